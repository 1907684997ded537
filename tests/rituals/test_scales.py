"""rituals/scales.py: goals at their own scale and shown figures (issue 12, DESIGN.md §4), with
fixed instants in New York (Mon–Fri 09:00–17:00). November 2026 has 21 working days, October 22;
the week of Mon 26 Oct ends on Sun 1 Nov, the week of Mon 30 Nov on Sun 6 Dec."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rituals.pacing import STATUS_MISSED, STATUS_ON_PACE, Period, WorkCalendar, period_containing
from rituals.process import Goal
from rituals.scales import (
    as_of,
    as_of_date,
    line_period,
    line_window,
    longest,
    number_decimals,
    plan_line,
    shown_figure,
    shown_number,
)

NY = ZoneInfo("America/New_York")
CAL = WorkCalendar(NY)
NOVEMBER = Period("month", date(2026, 11, 1), date(2026, 11, 30))
OCTOBER = Period("month", date(2026, 10, 1), date(2026, 10, 31))
THIS_WEEK = period_containing("week", date(2026, 11, 23))
TUESDAY = period_containing("day", date(2026, 11, 24))


def at(y, mo, d, h=11, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=NY)


NOW = at(2026, 11, 24)  # Tuesday 11:00: 16.25 of November's 21 working days gone


def test_a_monthly_goal_on_a_day_is_shown_month_to_date_never_as_a_days_share():
    # Issue 12: "deals 1 of 0.29 today, pace 988%" and "this week 2 of 1.43".
    sao = Goal(6, "month")
    day = plan_line(sao, TUESDAY, NOW, CAL)
    assert day.period == NOVEMBER
    assert day.window == (date(2026, 11, 1), date(2026, 11, 24))
    assert (day.goal, day.decimals, day.final) == (6, 0, False)
    assert day.elapsed == pytest.approx(16.25 / 21)
    week = plan_line(sao, THIS_WEEK, NOW, CAL)
    assert (week.period, week.window, week.goal) == (
        NOVEMBER,
        (date(2026, 11, 1), date(2026, 11, 29)),  # to the view's end: no log is dated ahead
        6,
    )
    # "SAO · month 5 of 6, pace 107%"
    pacing = day.pacing(5)
    assert (pacing.actual, pacing.goal, pacing.period) == (5, 6, NOVEMBER)
    assert pacing.pace == pytest.approx(5 / (6 * 16.25 / 21))
    assert pacing.status == STATUS_ON_PACE


def test_a_weekly_goal_on_a_day_is_the_week_so_far_and_a_daily_one_stays_the_days():
    meetings = plan_line(Goal(8, "week"), TUESDAY, NOW, CAL)
    assert (meetings.period, meetings.goal) == (THIS_WEEK, 8)
    assert meetings.window == (date(2026, 11, 23), date(2026, 11, 24))
    assert meetings.elapsed == pytest.approx(10 / 40)
    calls = plan_line(Goal(60, "day"), TUESDAY, NOW, CAL)
    assert (calls.period, calls.window, calls.goal) == (TUESDAY, (TUESDAY.start,) * 2, 60)
    assert plan_line(Goal(60, "day"), THIS_WEEK, NOW, CAL).goal == 300
    assert plan_line(None, TUESDAY, NOW, CAL).period == TUESDAY  # no goal: the view's own


def test_a_month_view_shows_a_weekly_goal_for_the_month_rounded_as_stated():
    line = plan_line(Goal(8, "week"), NOVEMBER, NOW, CAL)
    assert line.period == NOVEMBER
    assert line.goal == 34  # 8 × 21 / 5 = 33.6: a goal stated in whole meetings shows whole
    half = plan_line(Goal(2.5, "day"), THIS_WEEK, NOW, CAL)
    assert (half.goal, half.decimals) == (12.5, 1)  # 2.5 a day: 12.5 for the week
    assert plan_line(Goal(2.5, "week"), NOVEMBER, NOW, CAL).goal == 10.5  # 10.5 exactly
    assert plan_line(Goal(2.25, "week"), NOVEMBER, NOW, CAL).goal == 9.45  # 9.45 exactly


def test_a_week_across_two_months_shows_the_month_of_its_last_working_day_so_far():
    straddling = period_containing("week", date(2026, 11, 30))  # Mon 30 Nov – Sun 6 Dec
    monday = at(2026, 11, 30)
    assert line_period("month", straddling, monday, CAL) == NOVEMBER
    tuesday = line_period("month", straddling, at(2026, 12, 1), CAL)
    assert tuesday == Period("month", date(2026, 12, 1), date(2026, 12, 31))
    # Last week of October, seen on Monday 2 Nov: October (its Fri 30 Oct), not a November with
    # nothing in it yet; and October is over, so the line is final
    october_week = period_containing("week", date(2026, 10, 26))
    line = plan_line(Goal(6, "month"), october_week, at(2026, 11, 2), CAL)
    assert (line.period, line.window) == (OCTOBER, (date(2026, 10, 1), date(2026, 10, 31)))
    assert line.final and line.elapsed == 1.0
    assert line.pacing(4).status == STATUS_MISSED  # 4 of 6: well short of it
    # a Sunday's day view (no working day in it) takes the Sunday's own week and month
    sunday = period_containing("day", date(2026, 11, 1))
    assert line_period("week", sunday, at(2026, 11, 1), CAL).start == date(2026, 10, 26)
    assert line_period("month", sunday, at(2026, 11, 1), CAL) == NOVEMBER


def test_a_past_view_is_taken_at_its_end():
    last_week = period_containing("week", date(2026, 11, 16))
    assert as_of_date(last_week, NOW, CAL) == date(2026, 11, 22)
    assert as_of(last_week, NOW, CAL) == datetime(2026, 11, 23, 0, 0, tzinfo=NY)
    assert as_of(THIS_WEEK, NOW, CAL) == NOW
    line = plan_line(Goal(6, "month"), last_week, NOW, CAL)
    # November up to Sun 22 Nov: 15 of its 21 working days, and not final: November runs on
    assert line.window == (date(2026, 11, 1), date(2026, 11, 22))
    assert line.elapsed == pytest.approx(15 / 21) and not line.final
    own = plan_line(Goal(60, "day"), last_week, NOW, CAL)
    assert (own.goal, own.elapsed, own.final) == (300, 1.0, True)


def test_shown_figures_carry_the_stated_goals_decimals_and_never_vanish():
    assert [shown_figure(33.6, 0), shown_figure(33.5, 0), shown_figure(12.5, 1)] == [34, 34, 12.5]
    assert shown_figure(2.675, 2) == 2.68  # half up on the decimal, not on the binary value
    assert shown_figure(0.4, 0) == 0.4  # a goal rounded to nothing would be no goal at all
    assert shown_figure(0.004, 0) == 0.004
    assert shown_figure(0, 0) == 0
    assert [Goal(60, "day").decimals, Goal(2.5, "day").decimals, Goal(0.333, "day").decimals] == [
        0,
        1,
        2,
    ]


def test_longest_kind():
    assert longest(["day", "month", "week"]) == "month"
    assert longest([]) == "day"


@given(
    amount=st.integers(1, 500),
    per=st.sampled_from(["day", "week", "month"]),
    view_kind=st.sampled_from(["day", "week", "month"]),
    day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    hour=st.integers(0, 23),
)
def test_a_goal_is_never_shown_for_a_shorter_period_than_its_own(amount, per, view_kind, day, hour):
    view = period_containing(view_kind, day)
    now = datetime(day.year, day.month, day.day, hour, tzinfo=NY)
    line = plan_line(Goal(amount, per), view, now, CAL)
    order = ["day", "week", "month"]
    assert order.index(line.period.kind) == max(order.index(per), order.index(view_kind))
    first, last = line_window(line.period, view)
    assert line.period.start <= first <= last <= line.period.end
    # a goal stated in whole units is shown in whole units
    assert line.goal is not None and (line.goal == int(line.goal) or line.goal < 1)


def test_numbers_are_shown_with_the_decimals_pacer_prints():
    assert [number_decimals(v) for v in (60, 60.0000001, 0.95, 9.994, 183.44)] == [0, 0, 2, 2, 1]
    assert [shown_number(v) for v in (0.954, 183.44, 12.25)] == [0.95, 183.4, 12.2]
