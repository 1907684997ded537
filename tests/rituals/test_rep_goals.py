"""A rep's goal day by day (rituals/rep_goals.py): DESIGN.md §4's example and its properties,
on the default process's calendar (US holidays: Thanksgiving, Thu 26 Nov 2026, is off)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rituals.availability import EVERY_DAY, RepDays
from rituals.holiday_rules import HolidayRules
from rituals.pacing import Period, WorkCalendar, elapsed_share, period_containing, scaled_goal
from rituals.process import Goal, GoalTimeline, default_process
from rituals.rep_goals import day_goals, goal_and_elapsed, period_goal

CAL = default_process().calendar
NY = ZoneInfo("America/New_York")
WEEK = period_containing("week", date(2026, 11, 23))  # Thanksgiving week: Mon 23 – Sun 29 Nov
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))
CALLS = GoalTimeline.constant(Goal(60, "day"))
MEETINGS = GoalTimeline.constant(Goal(8, "week"))


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=NY)


def test_the_design_example_60_a_day_thanksgiving_week_away_wednesday_is_180():
    away_wed = RepDays(away={WED})
    assert period_goal(CALLS, WEEK, CAL) == 240  # a full-week rep: 4 working days
    assert period_goal(CALLS, WEEK, CAL, away_wed) == 180
    assert [d.day for d in day_goals(CALLS, WEEK, CAL, away_wed)] == [MON, TUE, FRI]


def test_a_rep_who_started_on_tuesday_has_three_days():
    assert period_goal(CALLS, WEEK, CAL, RepDays(start=TUE)) == 180


def test_a_weekly_goal_spreads_over_the_teams_days_and_the_rep_gets_their_share():
    # 8 a week over the team's 4 working days: 2 a day; away Wednesday, 6 are theirs.
    assert period_goal(MEETINGS, WEEK, CAL, RepDays(away={WED})) == 6


def test_a_goal_change_applies_from_its_day_not_before():
    raised = GoalTimeline(Goal(60, "day"), ((WED, Goal(80, "day")),))
    assert period_goal(raised, WEEK, CAL) == 60 + 60 + 80 + 80
    # Tuesday evening: Monday's and Tuesday's 120 are due, not 40% of the week's 280.
    goal, elapsed = goal_and_elapsed(raised, WEEK, at(TUE, 18), CAL)
    assert goal * elapsed == 120


def test_the_ramp_scales_the_first_months():
    rep = RepDays(start=date(2026, 11, 2), ramp=(0.25, 0.5))
    assert period_goal(CALLS, WEEK, CAL, rep) == 60  # 4 days × 60 × 25%
    december = period_containing("week", date(2026, 12, 7))
    assert period_goal(CALLS, december, CAL, rep) == 150  # 5 × 60 × 50%


def test_a_rep_away_the_whole_period_has_no_goal():
    assert period_goal(CALLS, WEEK, CAL, RepDays(away={MON, TUE, WED, FRI})) is None
    goal, _ = goal_and_elapsed(CALLS, WEEK, at(TUE, 11), CAL, RepDays(last_day=date(2026, 11, 20)))
    assert goal is None


def test_the_elapsed_share_counts_the_reps_own_days():
    # Away Monday: at Tuesday 13:00 half of Tuesday is gone of their 3 days, not 1.5 of 4.
    goal, elapsed = goal_and_elapsed(CALLS, WEEK, at(TUE, 13), CAL, RepDays(away={MON}))
    assert goal == 180 and elapsed == 0.5 / 3


def test_without_rep_days_or_changes_it_is_the_teams_math_exactly():
    for now in (at(MON, 8), at(TUE, 11), at(FRI, 17)):
        assert goal_and_elapsed(CALLS, WEEK, now, CAL) == (
            scaled_goal(60, "day", WEEK, CAL),
            elapsed_share(WEEK, now, CAL),
        )


weekdays = st.frozensets(st.integers(0, 6), min_size=1)
days_in_2026 = st.integers(0, 364).map(lambda n: date(2026, 1, 1) + timedelta(days=n))
goals = st.builds(
    Goal, st.sampled_from([1, 2.5, 8, 60, 300]), st.sampled_from(["day", "week", "month"])
)


@given(
    working=weekdays,
    off=st.frozensets(days_in_2026, max_size=20),
    away=st.frozensets(days_in_2026, max_size=40),
    start=st.none() | days_in_2026,
    goal=goals,
    month=st.integers(1, 12),
)
def test_the_days_goals_sum_to_the_periods_goal(working, off, away, start, goal, month):
    """For any calendar, holidays and time off: each day's goal adds up to the week's and the
    month's, and a period the rep has no day of has no goal."""
    cal = WorkCalendar(NY, working, holidays=HolidayRules(added=tuple((d, "Off") for d in off)))
    rep = RepDays(start=start, away=away)
    timeline = GoalTimeline.constant(goal)
    for period in (
        period_containing("month", date(2026, month, 1)),
        period_containing("week", date(2026, month, 10)),
    ):
        whole = period_goal(timeline, period, cal, rep)
        parts = [period_goal(timeline, Period("day", d, d), cal, rep) for d in period.days()]
        summed = sum(p for p in parts if p)
        if whole is None:
            assert summed == 0
            assert not any(cal.is_working_day(d) and rep.available(d) for d in period.days())
        else:
            assert abs(whole - summed) < 1e-9 * max(1, whole)


@given(goal=goals, saturday=st.integers(0, 51))
def test_a_holiday_on_a_weekend_changes_nothing(goal, saturday):
    day = date(2026, 1, 3) + timedelta(weeks=saturday)  # a Saturday
    plain = WorkCalendar(NY)
    with_holiday = WorkCalendar(NY, holidays=HolidayRules(added=((day, "Weekend party"),)))
    timeline = GoalTimeline.constant(goal)
    for kind in ("week", "month"):
        period = period_containing(kind, day)
        assert period_goal(timeline, period, plain) == period_goal(timeline, period, with_holiday)
    assert EVERY_DAY.plain
