"""bot/admin/holidays.py: /pacer holiday through signed requests: the coming days off for
anyone, changes for managers (each a new process version that scorecards follow at once), and a
specific answer, ending with a command, to every mistake, which changes nothing."""

import json

import pytest

from storage import people_queries, process_queries
from storage.unit_of_work import unit_of_work
from tests.bot.support import MGR, SDR


def versions(rig) -> int:
    with unit_of_work(rig.engine) as session:
        team = people_queries.teams(session)[0]
        return len(process_queries.process_versions(session, team.id))


def test_anyone_sees_the_coming_days_off_with_names_and_sources(rig):
    rig.team()
    for text in ("holiday", "holiday list", "holidays"):
        listing = rig.text("/pacer", text, SDR)
        assert (
            "*Days off · Sales* · working days Mon, Tue, Wed, Thu, Fri · public holidays of United States"
            in listing
        )
        assert "• Thu 26 Nov 2026 — Thanksgiving Day · public holiday" in listing
        assert "• Fri 1 Jan 2027 — New Year's Day · public holiday" in listing
        assert "11 Nov 2026" not in listing  # Veterans Day is behind us on Tue 24 Nov
        assert "• Thu 11 Nov 2027 — Veterans Day" in listing  # a year ahead
    assert "`/pacer holiday remove 2026-11-26` makes a day off a working day" in listing


def test_a_manager_adds_a_company_day_off_and_works_a_public_holiday(rig):
    rig.team()
    assert "300 (" not in rig.text("/scorecard", "", SDR)
    assert "of 240 (" in rig.text("/scorecard", "", SDR)  # Thanksgiving week: 4 × 60 calls
    added = rig.text("/pacer", "holiday add 2026-12-24 Christmas Eve", MGR)
    assert added.startswith("*Thu 24 Dec 2026* is a company day off for *Sales*: Christmas Eve.")
    assert "process version 1" in added and "`/pacer holiday remove 2026-12-24`" in added
    assert "• Thu 24 Dec 2026 — Christmas Eve · company day off" in rig.text(
        "/pacer", "holiday", SDR
    )
    worked = rig.text("/pacer", "holiday remove 2026-11-26", MGR)
    assert "*Thu 26 Nov 2026* (Thanksgiving Day) is a public holiday the team works" in worked
    assert "of 300 (" in rig.text("/scorecard", "", SDR)  # this week's goal follows at once
    back = rig.text("/pacer", "holiday add 2026-11-26", MGR)
    assert "is a public holiday again for *Sales*: Thanksgiving Day" in back
    assert "of 240 (" in rig.text("/scorecard", "", SDR)
    dropped = rig.text("/pacer", "holiday remove 2026-12-24", MGR)
    assert "(Christmas Eve) is no longer a day off" in dropped
    assert versions(rig) == 4


def test_the_country_and_subdivision(rig):
    rig.team()
    assert "public holidays of United States (New York) off" in rig.text(
        "/pacer", "holiday country US NY", MGR
    )
    assert "Election Day" in rig.text("/pacer", "holiday list", MGR)  # Tue 2 Nov 2027, NY
    assert "takes no public holidays now" in rig.text("/pacer", "holiday country off", MGR)
    listing = rig.text("/pacer", "holiday", MGR)
    assert "No public holidays" in listing and "`/pacer holiday country US`" in listing
    assert "of 300 (" in rig.text("/scorecard", "", SDR)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("holiday add 2026-12-26 Boxing Day", "Sat 26 Dec 2026 is a Saturday, not a working day"),
        (
            "holiday add 2026-11-26 Turkey",
            "Thu 26 Nov 2026 is already a public holiday: Thanksgiving Day",
        ),
        (
            "holiday remove 2026-11-12",
            "Thu 12 Nov 2026 is neither a public holiday nor a company day off",
        ),
        ("holiday add 2026-02-30 Leap", "`2026-02-30` isn't a date; write it as YYYY-MM-DD"),
        ("holiday add 24/12/2026 Eve", "`24/12/2026` isn't a date"),
        ("holiday add", "Say which day, as YYYY-MM-DD"),
        ("holiday remove 2026-11-26 please", "takes one date and nothing after it"),
        ("holiday add 2031-01-02 Far", "is too far off"),
        ("holiday add 2026-12-24 " + "x" * 80, "is 80 characters long; keep it to 75"),
        ("holiday add 2026-12-24 &lt;!channel&gt;", "can't contain < or >"),
        ("holiday 2026-12-24", "Say what to do with `2026-12-24`"),
        ("holiday frob", "`frob` isn't something `/pacer holiday` does"),
        ("holiday list all", "takes nothing after it"),
        ("holiday country Untied", "unknown country 'Untied'"),
        ("holiday country US nyc", "did you mean NY (New York)?"),
        ("holiday country", "Give a country code"),
    ],
)
def test_every_mistake_is_answered_specifically_and_changes_nothing(rig, text, words):
    rig.team()
    reply = rig.text("/pacer", text, MGR)
    assert reply.startswith(":warning:") and words in reply, reply
    assert "`/pacer holiday" in reply or "`/pacer help`" in reply  # a command that works
    assert versions(rig) == 0
    assert "<!channel>" not in json.dumps(rig.run("/pacer", text, MGR))


def test_a_rep_may_look_but_not_change(rig):
    rig.team()
    for text in ("holiday add 2026-12-24 Eve", "holiday remove 2026-11-26", "holiday country GB"):
        reply = rig.text("/pacer", text, SDR)
        assert "Only the team's managers and Pacer admins can change the team's days off" in reply
    assert versions(rig) == 0
