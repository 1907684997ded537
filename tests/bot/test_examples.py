"""bot/examples.py: every example command a hint shows parses, as shown, with /log's own parser
for the rep's role: for the default process and for one whose words are all its own."""

from datetime import date

import pytest

from bot.examples import article, example_log, log_words
from bot.parsing import parse_log
from rituals.process import Process, default_process, load_process_dict

TUESDAY = date(2026, 11, 24)


def with_own_words() -> Process:
    """A process whose reps type their own words: a role alias for a KPI, KPI keys with an
    underscore whose first alias is a phrase, and an SDR whose first KPI someone else records."""
    data = default_process().to_dict()
    kpis = {k["key"]: k for k in data["kpis"]}
    kpis["meetings_held"]["aliases"] = ["meeting held", "demo held", "held"]
    kpis["roi_discussions"]["aliases"] = ["roi chat"]  # no one-word alias: the key is shown
    kpis["proposals"]["aliases"] = ["quote", "quotes"]
    sdr, ae = data["roles"]
    sdr["scorecard"] = ["sao", "calls", "conversations", "meetings_scheduled"]
    sdr["aliases"] = {"booked": "meetings_scheduled", "dial": "calls"}
    ae["aliases"] = {"demo": "meetings_held"}
    return load_process_dict(data)


PROCESSES = {"default": default_process, "own words": with_own_words}


@pytest.mark.parametrize("name", PROCESSES)
def test_every_example_log_parses_for_its_role(name):
    process = PROCESSES[name]()
    words = log_words(process)
    for role in process.roles:
        assert set(words[role.key]) == set(role.scorecard)
        for kpi, word in words[role.key].items():
            parsed = parse_log(f"{word} 12", process, role.key, TUESDAY)
            assert parsed.items == [(kpi, 12)], (role.key, kpi, word)
        example = example_log(process, role.key)
        parsed = parse_log(example, process, role.key, TUESDAY)
        assert len(parsed.items) == 1 and parsed.items[0][1] == 12, example


def test_the_word_shown_is_the_roles_own_then_a_plain_key_then_a_one_word_alias():
    default = log_words(default_process())
    assert default["sdr"] == {
        "calls": "calls",
        "conversations": "conversations",
        "meetings_scheduled": "meeting",  # the SDR's own word
        "sao": "sao",
    }
    assert default["ae"]["meetings_held"] == "meeting"
    assert default["ae"]["roi_discussions"] == "roi"  # roi_discussions: its first plain alias
    own = log_words(with_own_words())
    assert own["sdr"]["calls"] == "dial" and own["sdr"]["meetings_scheduled"] == "booked"
    assert own["ae"]["meetings_held"] == "demo"
    assert own["ae"]["roi_discussions"] == "roi_discussions"  # no one-word alias


def test_the_example_is_a_kpi_the_rep_records_themselves():
    assert example_log(default_process(), "sdr") == "calls 12"
    assert example_log(default_process(), "ae") == "meeting 12"
    # The SDR's first KPI (sao) is recorded by an AE: the example is their first own one.
    assert example_log(with_own_words(), "sdr") == "dial 12"


def test_an_article_fits_the_noun():
    assert [article(n) for n in ("AE", "account executive", "SDR", "manager", "Inside rep")] == [
        "an",
        "an",
        "a",
        "a",
        "an",
    ]
