"""A goal taken apart (rituals/goal_basis.py): the days counted at the goal in force each day,
the days left out and why, on the default process's calendar (Thanksgiving, Thu 26 Nov, off)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rituals.availability import RepDays
from rituals.goal_basis import AWAY, BEFORE_START, HOLIDAY, explain
from rituals.pacing import Period, period_containing
from rituals.process import Goal, GoalTimeline, default_process

CAL = default_process().calendar
WEEK = period_containing("week", date(2026, 11, 23))
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))
TUESDAY_11 = datetime(2026, 11, 24, 11, tzinfo=ZoneInfo("America/New_York"))


def test_the_issues_example_180_is_60_a_day_times_3_days_without_thanksgiving_and_wednesday():
    basis = explain(
        GoalTimeline.constant(Goal(60, "day")), WEEK, TUESDAY_11, CAL, RepDays(away={WED})
    )
    assert basis.total == 180
    [part] = basis.parts
    assert (part.goal, part.per_day, part.days) == (Goal(60, "day"), 60, (MON, TUE, FRI))
    assert [(x.day, x.reason, x.name) for x in basis.left_out] == [
        (WED, AWAY, ""),
        (THU, HOLIDAY, "Thanksgiving Day"),
    ]
    assert basis.due == 180 * 1.25 / 3  # Monday and a quarter of Tuesday, of their 3 days


def test_a_goal_change_and_a_start_date_split_the_days():
    timeline = GoalTimeline(Goal(60, "day"), ((WED, Goal(80, "day")),))
    basis = explain(timeline, WEEK, TUESDAY_11, CAL, RepDays(start=TUE))
    assert [(p.goal.amount, p.days) for p in basis.parts] == [(60, (TUE,)), (80, (WED, FRI))]
    assert basis.total == 220
    assert [x.reason for x in basis.left_out] == [BEFORE_START, HOLIDAY]


def test_a_weekly_goal_is_spread_over_the_teams_days_and_a_monthly_one_shown_for_its_month():
    meetings = explain(GoalTimeline.constant(Goal(8, "week")), WEEK, TUESDAY_11, CAL)
    [part] = meetings.parts
    assert (part.unit_days, part.per_day, meetings.total) == (4, 2, 8)
    day = Period("day", TUE, TUE)
    sao = explain(GoalTimeline.constant(Goal(6, "month")), day, TUESDAY_11, CAL)
    assert sao.period.kind == "month" and sao.total == 6
    assert {p.unit_days for p in sao.parts} == {19}  # November without Veterans Day, Thanksgiving


def test_a_ramp_is_part_of_the_days_share():
    basis = explain(
        GoalTimeline.constant(Goal(60, "day")),
        WEEK,
        TUESDAY_11,
        CAL,
        RepDays(start=date(2026, 11, 2), ramp=(0.5,)),
    )
    assert [(p.ramp, p.per_day) for p in basis.parts] == [(0.5, 30)] and basis.total == 120


def test_no_goal_on_any_day_is_no_total():
    basis = explain(
        GoalTimeline.constant(Goal(60, "day")),
        WEEK,
        TUESDAY_11,
        CAL,
        RepDays(away={MON, TUE, WED, FRI}),
    )
    assert basis.total is None and basis.parts == () and basis.due is None
