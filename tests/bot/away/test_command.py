"""/away through the real Bolt app (signed requests, the Rig): days away added, listed and
cancelled, by a rep and by their manager; every mistake answered and nothing stored.
The Rig's clock: Tue 24 Nov 2026 11:00 New York, the week of Thanksgiving (Thu 26 Nov)."""

from datetime import date

import pytest

from tests.bot.away.support import away, dms_to, rows
from tests.bot.support import ADMIN, AE, MGR, SDR

WED, THU, FRI, MON = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)


@pytest.fixture
def team_rig(rig):
    rig.team()
    return rig


def test_a_range_stores_its_working_days_and_says_what_it_skipped(team_rig):
    rig = team_rig
    text = rig.text("/away", "2026-11-25 to 2026-11-30 Family visit", SDR)
    assert "Away *Wed 25 – Mon 30 Nov 2026*: 3 working days" in text
    assert "Thu 26 Nov is Thanksgiving Day; weekends don't count" in text
    assert "_Family visit_" in text and "`/away cancel 2026-11-25 2026-11-30`" in text
    assert away(rig, SDR) == [WED, FRI, MON]
    stored = rows(rig, SDR)
    assert {(r.note, r.entered_by) for r in stored} == {("Family visit", SDR)}


def test_words_for_dates_read_as_in_the_rest_of_pacer(team_rig):
    rig = team_rig
    assert "Away *Wed 25 Nov 2026*: 1 working day" in rig.text("/away", "tomorrow", SDR)
    assert "Fri 27 – Mon 30 Nov 2026" in rig.text("/away", "fri mon", SDR)  # the coming ones
    assert away(rig, SDR) == [WED, FRI, MON]
    assert "did you mean `/away 2026-12-24`?" in rig.text("/away", "dec 24", SDR)
    assert "looks like a date" in rig.text("/away", "12/24", SDR)
    assert "isn't a date or something `/away` does" in rig.text("/away", "vacation", SDR)


def test_the_same_command_twice_stores_once_and_a_partial_overlap_adds_the_rest(team_rig):
    rig = team_rig
    rig.text("/away", "2026-11-25", SDR)
    again = rig.text("/away", "2026-11-25", SDR)
    assert "already away on every working day of that: Wed 25 Nov; nothing changed" in again
    overlap = rig.text("/away", "2026-11-25 2026-11-27", SDR)
    assert "1 working day (Thu 26 Nov is Thanksgiving Day; already away: Wed 25 Nov)" in overlap
    assert away(rig, SDR) == [WED, FRI] and len(rows(rig, SDR)) == 2


def test_a_manager_enters_a_past_day_for_a_rep_who_is_told(team_rig):
    rig = team_rig
    text = rig.text("/away", f"<@{SDR}> 2026-10-05 Sick", MGR)
    assert "is away *Mon 5 Oct 2026*: 1 working day · _Sick_" in text
    assert away(rig, SDR) == [date(2026, 10, 5)]
    told = [t for t in dms_to(rig, SDR) if "days away" in t]
    assert len(told) == 1 and "entered days away for you: Mon 5 Oct 2026" in told[0]
    assert rows(rig, SDR)[0].entered_by == MGR
    # before the 1st of last month, even a manager can't
    back = rig.text("/away", f"<@{SDR}> 2026-09-30", MGR)
    assert "too far back: a manager can change days away from Thu 1 Oct 2026 on" in back
    cancelled = rig.text("/away", f"cancel <@{SDR}> 2026-10-05", MGR)
    assert "Cancelled 1 day away of" in cancelled and away(rig, SDR) == []
    assert "cancelled 1 day away of yours (Mon 5 Oct)" in dms_to(rig, SDR)[-1]


def test_lists_own_a_reps_and_the_team(team_rig):
    rig = team_rig
    assert "None coming, and none in the last 30 days." in rig.text("/away", "list", SDR)
    rig.text("/away", f"<@{SDR}> 2026-11-23 Sick", MGR)
    rig.text("/away", "2026-12-21 2026-12-31 Ski trip", SDR)
    rig.text("/away", "2026-12-01", AE)
    mine = rig.text("/away", "list", SDR)
    assert "Mon 21 – Thu 31 Dec 2026 · 8 working days · _Ski trip_" in mine  # Christmas skipped
    assert "The last 30 days:\n• Mon 23 Nov 2026 · 1 working day · _Sick_" in mine
    theirs = rig.text("/away", f"list <@{SDR}>", MGR)
    assert "Days away of <@U0SDR0001>" in theirs and "_Ski trip_" in theirs
    team = rig.text("/away", "list team", MGR)
    assert team.index("Tue 1 Dec 2026") < team.index("Mon 21 – Thu 31 Dec 2026")
    assert "Mon 23 Nov" not in team  # coming days only
    assert "Only the team's managers" in rig.text("/away", "list team", SDR)
    assert "Only <@U0SDR0001>'s managers" in rig.text("/away", f"list <@{SDR}>", AE)
    assert "_Ski trip_" in rig.text("/away", f"list <@{SDR}>", ADMIN)  # an admin sees anyone's


def test_cancel_a_range_and_a_day_not_away(team_rig):
    rig = team_rig
    rig.text("/away", "2026-11-25 2026-11-30", SDR)
    text = rig.text("/away", "cancel 2026-11-27 2026-11-30", SDR)
    assert "Cancelled 2 days away (Fri 27 Nov, Mon 30 Nov)" in text
    assert away(rig, SDR) == [WED]
    again = rig.text("/away", "cancel 2026-11-30", SDR)
    assert "You're not away on Mon 30 Nov 2026, so there is nothing to cancel" in again
    assert "takes a day or two and nothing after them" in rig.text(
        "/away", "cancel 2026-11-25 please", SDR
    )
    assert len(rows(rig, SDR)) == 3  # cancelled rows stay, marked


@pytest.mark.parametrize(
    ("user", "text", "words"),
    [
        (SDR, "2026-12-05 2026-12-01", "is before the first (Sat 5 Dec 2026)"),
        (SDR, "2026-12-01 2027-01-31", "is 62 days; one entry covers at most 60"),
        (SDR, "2027-12-01", "more than a year ahead"),
        (SDR, "2026-11-23", "has passed: you can enter days away from today on"),
        (SDR, "2026-11-28", "is not a working day for the team (a Saturday)"),
        (SDR, "2026-11-26", "(Thu 26 Nov is Thanksgiving Day)"),
        (SDR, "2026-11-25 " + "x" * 201, "at most 200 characters; this one has 201"),
        (AE, f"<@{SDR}> 2026-11-25", "Only <@U0SDR0001>'s managers and Pacer admins"),
        (MGR, "2026-11-25", "You're not a rep on a Pacer team"),
        (MGR, "<@U0NOBODY1> 2026-11-25", "<@U0NOBODY1> isn't a rep on a Pacer team"),
        (SDR, "cancel 2026-11-25", "not away on Wed 25 Nov 2026"),
        (SDR, "2026-11-25 to", "Give the last day after `to`"),
    ],
)
def test_mistakes_are_answered_and_change_nothing(team_rig, user, text, words):
    answer = team_rig.run("/away", text, user)
    shown = answer["blocks"][0]["text"]["text"]
    assert words in shown, shown
    assert "`/" in shown  # a command that would work
    assert rows(team_rig) == []


def test_help(team_rig):
    text = team_rig.text("/away", "help", SDR)
    assert "`/away 2026-12-21 2026-12-31 Ski trip`" in text and "`/away list team`" in text
    assert team_rig.text("/away", "", SDR) == text
