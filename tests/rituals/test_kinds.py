"""The registry of ritual kinds (rituals/kinds.py): one name and one process-file field per
kind, every word people type naming exactly one kind, and everything that lists rituals — the
process file's validation, its defaults, RitualSchedule, the schedule's triggers and period keys
— reading it. (That the clock, `pacer rituals run`, its --help and `/pacer ritual` take every
kind, and that every kind has a delivery: tests/bot/test_ritual_deliveries.py.)"""

from datetime import date, time

import pytest

from rituals import kinds
from rituals.kinds import GRACE, KINDS, RITUAL_KINDS, kind_for, kind_named, ritual_kind
from rituals.process import (
    RITUAL_DEFAULT_TIMES,
    RITUALS,
    ProcessError,
    RitualSchedule,
    default_process,
    load_process_dict,
)
from rituals.process.ritual_checks import ritual_name
from rituals.schedule import period_key, triggers


def test_kind_names_and_words():
    assert ritual_kind("Nudges") == "nudge" and ritual_kind("daily-digest") == "daily"
    assert ritual_kind("lag_check") == "lag-check" and ritual_kind("contest") == "standings"
    assert RITUAL_KINDS == (
        "daily",
        "weekly",
        "monthly",
        "leaderboard",
        "nudge",
        "standings",
        "lag-check",
        "coaching",
    )
    assert set(GRACE) == set(RITUAL_KINDS)


def test_each_kind_has_one_name_one_field_and_words_of_its_own():
    assert len({k.name for k in KINDS}) == len({k.field for k in KINDS}) == len(KINDS)
    every_word = [word for k in KINDS for word in k.words()]
    assert len(every_word) == len(set(every_word))  # no word names two kinds
    for kind in KINDS:
        for word in (kind.name, kind.field, *kind.aliases, kind.name.upper(), f" {kind.field} "):
            assert kind_for(word) is kind, word
            assert ritual_kind(word) == kind.name and ritual_name(word) == kind.field
        assert kind_named(kind.name) is kind
    assert kind_for("concert") is None and kind_for(None) is None and ritual_name(3) is None
    with pytest.raises(ValueError, match="unknown ritual 'concert': use one of daily, weekly"):
        ritual_kind("concert")
    with pytest.raises(KeyError):
        kind_named("lag_check")  # a field, not a stored name
    assert set(kinds.ONE_TIME_RUNS).isdisjoint(RITUAL_KINDS)


def test_the_process_file_reads_the_registry():
    assert tuple(k.field for k in KINDS) == RITUALS
    assert list(RitualSchedule().to_dict()) == list(RITUALS)  # every field, in the same order
    assert {k.field: k.default_at for k in KINDS if k.default_at} == RITUAL_DEFAULT_TIMES
    defaults = RitualSchedule()
    for kind in KINDS:
        if kind.default_at is not None:
            assert getattr(defaults, kind.field) == kind.default_at, kind.field
        assert kind.has_weekday == hasattr(defaults, f"{kind.field}_day")


def _process_with(field: str, value):
    data = default_process().to_dict()
    data["rituals"] = {**data["rituals"], field: value}
    return load_process_dict(data)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_is_valid_in_a_process_file_and_can_be_turned_off(kind):
    value = kind.example.split(" ", 1) if kind.field == "leaderboards" else kind.example
    if kind.field == "leaderboards":
        value = [{"at": value[0], "kpis": value[1].split()}]
    assert _process_with(kind.field, value).rituals != RitualSchedule.off()
    off = _process_with(kind.field, "off")
    assert not getattr(off.rituals, kind.field)
    with pytest.raises(ProcessError) as info:
        _process_with(kind.field, {"at": "25:00"})
    assert info.value.problems[0].path.startswith(f"rituals.{kind.field}")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_can_be_changed_by_any_of_its_words(kind):
    p = default_process()
    # A leaderboard is a list of slots (`/pacer ritual` splits them at ";").
    example = [kind.example] if kind is kinds.LEADERBOARD else kind.example
    for word in (kind.name, kind.field):
        p.with_ritual(word, example)  # accepted (a ProcessError otherwise)
        off = p.with_ritual(word, "off")
        assert not getattr(off.rituals, kind.field)
        assert off.with_ritual(word, "on").rituals.to_dict()[kind.field] != "off"
    if kind.default_at is not None:
        assert getattr(p.with_ritual(kind.name, "06:45").rituals, kind.field) == time(6, 45)


def test_the_schedule_triggers_every_kind_the_clock_runs():
    p = default_process()
    assert {kind for kind, _, _ in triggers(p)} == {
        k.name for k in KINDS if k.scheduled_by_the_clock
    }
    assert [k.name for k in KINDS if not k.scheduled_by_the_clock] == ["standings"]  # rows


def test_every_period_rule_makes_a_key_or_says_where_it_comes_from():
    day = date(2026, 11, 26)
    for kind in KINDS:
        if kind.period in (kinds.THE_SWEEP, kinds.THE_CONTEST_POST):
            with pytest.raises(ValueError):
                period_key(kind.name, day)
        else:
            assert period_key(kind.name, day, time(12)).startswith("2026-")


def test_help_text_has_every_kind():
    text = kinds.help_text()
    assert [line.split()[0] for line in text.splitlines()] == list(RITUAL_KINDS)
    assert kinds.names_in_words() == (
        "daily, weekly, monthly, leaderboard, nudge, standings, lag-check or coaching"
    )
