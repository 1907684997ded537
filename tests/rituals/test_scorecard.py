"""rituals/scorecard.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
the scorecard's numbers from what was stored, by hand.

The clock is Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working day, and 10 of
the 32 working hours of the week (Mon 23 - Sun 29; Thursday 26 is Thanksgiving, a US public
holiday in the default process) have passed."""

from datetime import timedelta

import pytest

from rituals import activity, scorecard
from rituals.pacing import STATUS_AT_RISK, STATUS_BEHIND, STATUS_ON_PACE, Period
from tests.rituals.activity_support import (
    MANAGER,
    MONDAY,
    REP,
    actor_for,
    add_people,
    build,
    lines,
    log,
)
from tests.storage.support import NOW


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)


def test_the_scorecard_numbers(session, ws, people):
    log(session, REP, {"calls": 30}, trigger="T1")
    log(session, REP, {"calls": 30}, trigger="T1")  # Slack's retry: counted once
    log(session, REP, {"conversations": 5}, trigger="T2", now=NOW + timedelta(seconds=1))
    activity.undo_last(session, actor_for(session, REP), NOW + timedelta(seconds=2))
    log(session, REP, {"meetings_scheduled": 2}, trigger="T3", on=MONDAY)  # backdated
    log(session, MANAGER, {"sao": 1}, trigger="T4")  # a manager credits the rep

    day = lines(build(session, ws, "day"))
    assert list(day) == ["calls", "conversations", "meetings_scheduled", "sao"]
    # calls: 30 of 60/day with a quarter of the day gone: expected 15, pace 200%
    calls = day["calls"]
    assert (calls.actual, calls.goal, calls.elapsed) == (30, 60, 0.25)
    assert calls.expected == pytest.approx(15)
    assert calls.pace == pytest.approx(2.0)
    assert calls.attainment == pytest.approx(0.5)
    assert calls.projection == pytest.approx(120)
    assert calls.status == STATUS_ON_PACE
    # conversations: the undone 5 do not count
    assert (day["conversations"].actual, day["conversations"].status) == (0, STATUS_BEHIND)
    # A weekly goal is never shown for a day: today's scorecard shows the week to date (the
    # meetings backdated to Monday count there); a monthly one the month to date (issue 12).
    meetings_so_far = day["meetings_scheduled"]
    assert (meetings_so_far.actual, meetings_so_far.goal) == (2, 8)
    assert meetings_so_far.period == Period("week", MONDAY, MONDAY + timedelta(days=6))
    sao_so_far = day["sao"]
    assert (sao_so_far.actual, sao_so_far.goal, sao_so_far.period.kind) == (1, 6, "month")
    # November's 19 working days (Veterans Day and Thanksgiving off): 15 and a quarter gone
    assert sao_so_far.elapsed == pytest.approx(15.25 / 19)
    # ... and the backdated meetings count on Monday, not today
    actor = actor_for(session, REP)
    (standing,) = scorecard.standings(
        session, ws.id, actor.process, actor.member, ["meetings_scheduled"], NOW
    )
    assert (standing.today, standing.daily_goal, standing.so_far.pacing.actual) == (0, None, 2)

    week = lines(build(session, ws, "week"))
    # calls: 4 working days × 60 = 240; expected by now 240 × 10/32 = 75
    assert (week["calls"].actual, week["calls"].goal) == (30, 240)
    assert week["calls"].pace == pytest.approx(30 / 75)
    assert week["calls"].status == STATUS_BEHIND
    # meetings: 8/week, done in the week's 4 working days; expected 8 × 10/32 = 2.5
    meetings = week["meetings_scheduled"]
    assert (meetings.actual, meetings.goal) == (2, 8)
    assert meetings.pace == pytest.approx(0.8)
    assert meetings.status == STATUS_AT_RISK
    assert week["conversations"].actual == 0

    month = lines(build(session, ws, "month"))
    # November 2026 has 19 working days (21 weekdays, Veterans Day and Thanksgiving off);
    # 15 and a quarter of them have passed
    assert month["sao"].actual == 1
    assert month["sao"].goal == 6
    assert month["sao"].elapsed == pytest.approx(15.25 / 19)
    assert month["calls"].goal == 60 * 19
