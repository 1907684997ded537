"""Tests for rituals.pacing: fixed dates and instants only, never the real clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rituals.pacing import (
    EARLY_SHARE,
    PERIOD_KINDS,
    STATUS_AT_RISK,
    STATUS_BEHIND,
    STATUS_EARLY,
    STATUS_HIT,
    STATUS_MISSED,
    STATUS_NEAR_MISS,
    STATUS_NO_GOAL,
    STATUS_NOT_STARTED,
    STATUS_ON_PACE,
    WEEKDAY_NAMES,
    Pacing,
    Period,
    Thresholds,
    WorkCalendar,
    compute_pacing,
    daily_rate,
    elapsed_share,
    next_period,
    pace_for,
    parse_hhmm,
    period_containing,
    previous_period,
    scaled_goal,
)

LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")

CAL_LA = WorkCalendar(LA)  # Mon-Fri 09:00-17:00
CAL_NY = WorkCalendar(NY)
CAL_BERLIN = WorkCalendar(BERLIN)
SUN_THU = frozenset({6, 0, 1, 2, 3})

# November 2026: Sun 1 .. Mon 30, 21 Mon-Fri working days. December 2026: 23.
NOV = period_containing("month", date(2026, 11, 19))
DEC = period_containing("month", date(2026, 12, 1))
WEEK_NOV_16 = period_containing("week", date(2026, 11, 19))  # Mon 16 .. Sun 22
WEEK_NOV_30 = period_containing("week", date(2026, 12, 2))  # Mon 30 Nov .. Sun 6 Dec


def at(tz, *args):
    """An aware instant given in local wall time of `tz`."""
    return datetime(*args, tzinfo=tz)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# --- WorkCalendar ---------------------------------------------------------------------------


def test_local_date_and_now_convert_to_team_timezone():
    instant = utc(2026, 11, 16, 3, 0)  # Monday in UTC, Sunday 19:00 in Los Angeles
    assert CAL_LA.local_date(instant) == date(2026, 11, 15)
    assert CAL_LA.local_now(instant) == at(LA, 2026, 11, 15, 19, 0)
    assert CAL_LA.local_now(instant).tzinfo is LA
    assert WorkCalendar(ZoneInfo("Asia/Tokyo")).local_date(instant) == date(2026, 11, 16)


def test_naive_instant_is_rejected():
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL_LA.local_date(datetime(2026, 11, 16, 3, 0))
    with pytest.raises(ValueError):
        elapsed_share(NOV, datetime(2026, 11, 16, 3, 0), CAL_LA)


def test_is_working_day_default_and_custom():
    assert CAL_LA.is_working_day(date(2026, 11, 20))  # Friday
    assert not CAL_LA.is_working_day(date(2026, 11, 21))  # Saturday
    cal = WorkCalendar(LA, working_days=SUN_THU)
    assert cal.is_working_day(date(2026, 11, 22))  # Sunday
    assert not cal.is_working_day(date(2026, 11, 20))  # Friday


def test_working_days_in():
    assert CAL_LA.working_days_in(NOV.start, NOV.end) == 21
    assert CAL_LA.working_days_in(DEC.start, DEC.end) == 23
    assert CAL_LA.working_days_in(date(2026, 11, 16), date(2026, 11, 22)) == 5
    assert CAL_LA.working_days_in(date(2026, 11, 21), date(2026, 11, 22)) == 0  # weekend
    assert CAL_LA.working_days_in(date(2026, 11, 20), date(2026, 11, 20)) == 1
    assert CAL_LA.working_days_in(date(2026, 11, 20), date(2026, 11, 19)) == 0  # end < start
    assert WorkCalendar(LA, working_days=SUN_THU).working_days_in(NOV.start, NOV.end) == 22


def test_working_days_in_matches_day_by_day_count():
    cal = WorkCalendar(LA, working_days=frozenset({1, 3, 6}))
    start = date(2026, 1, 1)
    for span in range(0, 40):
        end = start + timedelta(days=span)
        naive = sum(
            1 for i in range(span + 1) if (start + timedelta(days=i)).weekday() in {1, 3, 6}
        )
        assert cal.working_days_in(start, end) == naive


def test_calendar_validation_and_hashability():
    with pytest.raises(ValueError):
        WorkCalendar(LA, day_start=time(17, 0), day_end=time(9, 0))
    with pytest.raises(ValueError):
        WorkCalendar(LA, day_start=time(9, 0), day_end=time(9, 0))
    with pytest.raises(ValueError):
        WorkCalendar(LA, working_days=frozenset({7}))
    cal = WorkCalendar(LA, working_days={0, 1})  # a plain set is stored as a frozenset
    assert cal.working_days == frozenset({0, 1})
    assert hash(cal) == hash(WorkCalendar(LA, working_days=frozenset({0, 1})))


# --- Periods --------------------------------------------------------------------------------


def test_period_containing_day_week_month():
    assert period_containing("day", date(2026, 11, 19)) == Period(
        "day", date(2026, 11, 19), date(2026, 11, 19)
    )
    week = Period("week", date(2026, 11, 16), date(2026, 11, 22))
    assert period_containing("week", date(2026, 11, 19)) == week
    # Monday and Sunday belong to the same Monday..Sunday week.
    assert period_containing("week", date(2026, 11, 16)) == WEEK_NOV_16
    assert period_containing("week", date(2026, 11, 22)) == WEEK_NOV_16
    assert period_containing("week", date(2026, 11, 23)).start == date(2026, 11, 23)
    month = Period("month", date(2026, 11, 1), date(2026, 11, 30))
    assert period_containing("month", date(2026, 11, 19)) == month
    assert period_containing("month", date(2028, 2, 10)).end == date(2028, 2, 29)  # leap year
    assert period_containing("month", date(2026, 2, 10)).end == date(2026, 2, 28)
    assert period_containing("month", date(2026, 12, 31)) == Period(
        "month", date(2026, 12, 1), date(2026, 12, 31)
    )


def test_period_containing_unknown_kind():
    with pytest.raises(ValueError, match="quarter"):
        period_containing("quarter", date(2026, 11, 19))


def test_period_validation():
    with pytest.raises(ValueError):
        Period("week", date(2026, 11, 22), date(2026, 11, 16))
    with pytest.raises(ValueError):
        Period("fortnight", date(2026, 11, 16), date(2026, 11, 29))
    with pytest.raises(TypeError):
        Period("day", datetime(2026, 11, 19, 9), datetime(2026, 11, 19, 9))


def test_contains_and_days():
    assert WEEK_NOV_16.contains(date(2026, 11, 16))
    assert WEEK_NOV_16.contains(date(2026, 11, 22))
    assert not WEEK_NOV_16.contains(date(2026, 11, 15))
    assert not WEEK_NOV_16.contains(date(2026, 11, 23))
    assert WEEK_NOV_16.days() == [date(2026, 11, 16) + timedelta(days=i) for i in range(7)]
    assert len(NOV.days()) == 30
    assert period_containing("day", date(2026, 11, 19)).days() == [date(2026, 11, 19)]


def test_previous_and_next_period_across_boundaries():
    day = period_containing("day", date(2026, 1, 1))
    assert previous_period(day) == period_containing("day", date(2025, 12, 31))
    assert next_period(day) == period_containing("day", date(2026, 1, 2))

    assert previous_period(WEEK_NOV_16) == Period("week", date(2026, 11, 9), date(2026, 11, 15))
    assert next_period(WEEK_NOV_16) == Period("week", date(2026, 11, 23), date(2026, 11, 29))
    new_year_week = period_containing("week", date(2026, 12, 30))
    assert new_year_week == Period("week", date(2026, 12, 28), date(2027, 1, 3))
    assert next_period(new_year_week).start == date(2027, 1, 4)

    assert next_period(NOV) == DEC
    assert previous_period(DEC) == NOV
    assert next_period(DEC) == Period("month", date(2027, 1, 1), date(2027, 1, 31))
    march = period_containing("month", date(2028, 3, 15))
    assert previous_period(march) == Period("month", date(2028, 2, 1), date(2028, 2, 29))


def test_labels():
    assert period_containing("day", date(2026, 11, 19)).label() == "Thu 19 Nov 2026"
    assert period_containing("day", date(2026, 12, 6)).label() == "Sun 6 Dec 2026"
    assert WEEK_NOV_16.label() == "Mon 16 \u2013 Sun 22 Nov 2026"
    assert WEEK_NOV_30.label() == "Mon 30 Nov \u2013 Sun 6 Dec 2026"
    assert period_containing("week", date(2026, 12, 31)).label() == (
        "Mon 28 Dec 2026 \u2013 Sun 3 Jan 2027"
    )
    assert NOV.label() == "November 2026"
    assert period_containing("month", date(2027, 1, 5)).label() == "January 2027"


def test_kinds_and_weekday_names():
    assert PERIOD_KINDS == ("day", "week", "month")
    assert WEEKDAY_NAMES[date(2026, 11, 19).weekday()] == "thu"
    assert len(WEEKDAY_NAMES) == 7


# --- Goal scaling ---------------------------------------------------------------------------


def test_daily_rate():
    thu, sat = date(2026, 11, 19), date(2026, 11, 21)
    assert daily_rate(60, "day", thu, CAL_LA) == 60
    assert daily_rate(8, "week", thu, CAL_LA) == pytest.approx(1.6)
    assert daily_rate(6, "month", thu, CAL_LA) == pytest.approx(6 / 21)
    assert daily_rate(6, "month", date(2026, 12, 1), CAL_LA) == pytest.approx(6 / 23)
    for per in PERIOD_KINDS:
        assert daily_rate(60, per, sat, CAL_LA) == 0
    with pytest.raises(ValueError):
        daily_rate(1, "year", thu, CAL_LA)


def test_daily_goal_scales_to_week_and_month():
    assert scaled_goal(60, "day", WEEK_NOV_16, CAL_LA) == pytest.approx(300)
    assert scaled_goal(60, "day", NOV, CAL_LA) == pytest.approx(60 * 21)


def test_weekly_goal_scales_to_day_and_month():
    assert scaled_goal(8, "week", period_containing("day", date(2026, 11, 19)), CAL_LA) == (
        pytest.approx(1.6)
    )
    assert scaled_goal(8, "week", period_containing("day", date(2026, 11, 21)), CAL_LA) == 0
    assert scaled_goal(8, "week", NOV, CAL_LA) == pytest.approx(1.6 * 21)  # 33.6
    assert scaled_goal(8, "week", DEC, CAL_LA) == pytest.approx(1.6 * 23)


def test_monthly_goal_spreads_over_the_months_working_days():
    assert scaled_goal(6, "month", WEEK_NOV_16, CAL_LA) == pytest.approx(5 * 6 / 21)
    assert scaled_goal(6, "month", period_containing("day", date(2026, 11, 19)), CAL_LA) == (
        pytest.approx(6 / 21)
    )
    # The days of a month add back up to the monthly goal.
    assert sum(
        scaled_goal(6, "month", period_containing("day", d), CAL_LA) for d in NOV.days()
    ) == pytest.approx(6)


def test_week_straddling_two_months_takes_each_days_rate_from_its_month():
    # Mon 30 Nov is 1 of November's 21 working days; Tue 1..Fri 4 Dec are 4 of December's 23.
    expected = 6 / 21 + 4 * 6 / 23
    assert scaled_goal(6, "month", WEEK_NOV_30, CAL_LA) == pytest.approx(expected)
    assert scaled_goal(6, "month", WEEK_NOV_30, CAL_LA) != pytest.approx(5 * 6 / 21)


def test_goal_per_same_kind_is_exact():
    assert scaled_goal(6, "month", NOV, CAL_LA) == 6
    assert scaled_goal(7, "month", DEC, CAL_LA) == 7
    assert scaled_goal(0.7, "week", WEEK_NOV_16, CAL_LA) == 0.7
    assert scaled_goal(60, "day", period_containing("day", date(2026, 11, 19)), CAL_LA) == 60


def test_goal_per_same_kind_on_a_non_working_day_is_zero():
    saturday = period_containing("day", date(2026, 11, 21))
    assert scaled_goal(60, "day", saturday, CAL_LA) == 0


def test_scaling_with_custom_working_days():
    cal = WorkCalendar(LA, working_days=SUN_THU)
    assert scaled_goal(10, "week", period_containing("day", date(2026, 11, 22)), cal) == 2  # Sun
    assert scaled_goal(10, "week", period_containing("day", date(2026, 11, 20)), cal) == 0  # Fri
    assert scaled_goal(22, "month", WEEK_NOV_16, cal) == pytest.approx(5)  # 22 working days
    three_days = WorkCalendar(LA, working_days=frozenset({0, 2, 4}))
    assert scaled_goal(9, "week", period_containing("day", date(2026, 11, 18)), three_days) == 3


def test_scaled_goal_unknown_per():
    with pytest.raises(ValueError):
        scaled_goal(1, "quarter", NOV, CAL_LA)


# --- Elapsed share --------------------------------------------------------------------------


def test_elapsed_share_midweek():
    # Wednesday 13:00: Mon and Tue in full, 4 of Wednesday's 8 hours: (2*8 + 4) / 40.
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 18, 13, 0), CAL_LA) == 0.5


@pytest.mark.parametrize(
    ("local_time", "share"),
    [
        ((7, 0), 16 / 40),  # before hours: today counts nothing yet
        ((9, 0), 16 / 40),  # start of day
        ((9, 30), 16.5 / 40),
        ((16, 59), (16 + 7 + 59 / 60) / 40),
        ((17, 0), 24 / 40),  # end of day: the whole day counts
        ((23, 59), 24 / 40),  # after hours
    ],
)
def test_elapsed_share_before_during_after_hours(local_time, share):
    now = at(LA, 2026, 11, 18, *local_time)
    assert elapsed_share(WEEK_NOV_16, now, CAL_LA) == pytest.approx(share)


def test_elapsed_share_on_the_weekend_and_outside_the_period():
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 21, 12, 0), CAL_LA) == 1.0  # Saturday
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 15, 23, 0), CAL_LA) == 0.0  # week before
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 16, 8, 59), CAL_LA) == 0.0  # Monday early
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 30, 10, 0), CAL_LA) == 1.0  # after


def test_elapsed_share_of_a_day():
    thu = period_containing("day", date(2026, 11, 19))
    assert elapsed_share(thu, at(LA, 2026, 11, 19, 11, 0), CAL_LA) == 0.25
    assert elapsed_share(thu, at(LA, 2026, 11, 18, 16, 0), CAL_LA) == 0.0
    assert elapsed_share(thu, at(LA, 2026, 11, 20, 8, 0), CAL_LA) == 1.0


def test_elapsed_share_with_no_working_time():
    saturday = period_containing("day", date(2026, 11, 21))
    assert elapsed_share(saturday, at(LA, 2026, 11, 21, 12, 0), CAL_LA) == 0.0
    assert elapsed_share(saturday, at(LA, 2026, 11, 21, 23, 59), CAL_LA) == 0.0
    assert elapsed_share(saturday, at(LA, 2026, 11, 22, 0, 0), CAL_LA) == 1.0
    assert elapsed_share(saturday, at(LA, 2026, 11, 20, 12, 0), CAL_LA) == 0.0


def test_elapsed_share_month_and_month_boundaries():
    # Wed 18 Nov 13:00: 12 full working days (2-6, 9-13, 16-17) plus 4 hours of 21 * 8.
    assert elapsed_share(NOV, at(LA, 2026, 11, 18, 13, 0), CAL_LA) == pytest.approx(100 / 168)
    # 02:00 UTC on 1 Dec is still Mon 30 Nov 18:00 in Los Angeles: November done, December not begun.
    instant = utc(2026, 12, 1, 2, 0)
    assert elapsed_share(NOV, instant, CAL_LA) == 1.0
    assert elapsed_share(DEC, instant, CAL_LA) == 0.0
    # The same instant is already 1 Dec 03:00 in Berlin, still before hours.
    assert elapsed_share(NOV, instant, CAL_BERLIN) == 1.0
    assert elapsed_share(DEC, instant, CAL_BERLIN) == 0.0
    # First working day of December, 17:00 Los Angeles = 01:00 UTC on 2 Dec.
    assert elapsed_share(DEC, utc(2026, 12, 2, 1, 0), CAL_LA) == pytest.approx(1 / 23)


def test_week_boundary_uses_team_timezone():
    instant = utc(2026, 11, 16, 3, 0)  # Monday 03:00 UTC, Sunday 19:00 in Los Angeles
    local_day = CAL_LA.local_date(instant)
    assert local_day == date(2026, 11, 15)
    this_week = period_containing("week", local_day)
    assert this_week == Period("week", date(2026, 11, 9), date(2026, 11, 15))
    assert elapsed_share(this_week, instant, CAL_LA) == 1.0
    assert elapsed_share(WEEK_NOV_16, instant, CAL_LA) == 0.0
    # In UTC the same instant is Monday: a new week has begun (before hours).
    cal_utc = WorkCalendar(ZoneInfo("UTC"))
    assert period_containing("week", cal_utc.local_date(instant)) == WEEK_NOV_16


def test_custom_working_days_and_hours():
    cal = WorkCalendar(LA, working_days=SUN_THU, day_start=time(8, 0), day_end=time(16, 0))
    # Sun 22 Nov is the last day of the Mon..Sun week: Mon-Thu in full, Friday/Saturday off.
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 22, 13, 0), cal) == pytest.approx(37 / 40)
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 20, 13, 0), cal) == pytest.approx(32 / 40)
    short = WorkCalendar(LA, day_start=time(10, 0), day_end=time(14, 30))
    # Tuesday 12:15: Monday 4.5h + 2.25h of 5 * 4.5h.
    assert elapsed_share(WEEK_NOV_16, at(LA, 2026, 11, 17, 12, 15), short) == 6.75 / 22.5


# --- DST ------------------------------------------------------------------------------------


def test_local_dates_across_new_york_dst():
    # Spring forward Sun 8 Mar 2026 02:00 EST -> 03:00 EDT (UTC offset -5 -> -4).
    assert CAL_NY.local_date(utc(2026, 3, 8, 4, 59)) == date(2026, 3, 7)  # 23:59 EST
    assert CAL_NY.local_date(utc(2026, 3, 8, 5, 0)) == date(2026, 3, 8)
    assert CAL_NY.local_date(utc(2026, 3, 9, 3, 59)) == date(2026, 3, 8)  # 23:59 EDT
    assert CAL_NY.local_date(utc(2026, 3, 9, 4, 0)) == date(2026, 3, 9)
    # Fall back Sun 1 Nov 2026 02:00 EDT -> 01:00 EST.
    assert CAL_NY.local_date(utc(2026, 11, 1, 3, 59)) == date(2026, 10, 31)  # 23:59 EDT
    assert CAL_NY.local_date(utc(2026, 11, 1, 4, 0)) == date(2026, 11, 1)
    assert CAL_NY.local_date(utc(2026, 11, 2, 4, 59)) == date(2026, 11, 1)  # 23:59 EST
    assert CAL_NY.local_date(utc(2026, 11, 2, 5, 0)) == date(2026, 11, 2)


def test_local_dates_across_berlin_dst():
    # Spring forward Sun 29 Mar 2026 02:00 CET -> 03:00 CEST (UTC offset +1 -> +2).
    assert CAL_BERLIN.local_date(utc(2026, 3, 28, 22, 59)) == date(2026, 3, 28)
    assert CAL_BERLIN.local_date(utc(2026, 3, 28, 23, 0)) == date(2026, 3, 29)
    assert CAL_BERLIN.local_date(utc(2026, 3, 29, 21, 59)) == date(2026, 3, 29)  # 23:59 CEST
    assert CAL_BERLIN.local_date(utc(2026, 3, 29, 22, 0)) == date(2026, 3, 30)


def test_elapsed_share_follows_local_hours_across_dst():
    # The same UTC hour is one local hour later after spring forward.
    before = period_containing("week", date(2026, 3, 2))
    after = period_containing("week", date(2026, 3, 9))
    assert elapsed_share(before, utc(2026, 3, 2, 15, 0), CAL_NY) == 1 / 40  # 10:00 EST
    assert elapsed_share(after, utc(2026, 3, 9, 15, 0), CAL_NY) == 2 / 40  # 11:00 EDT
    assert elapsed_share(after, utc(2026, 3, 9, 13, 0), CAL_NY) == 0.0  # 09:00 EDT

    berlin_before = period_containing("week", date(2026, 3, 23))
    berlin_after = period_containing("week", date(2026, 3, 30))
    assert elapsed_share(berlin_before, utc(2026, 3, 23, 11, 0), CAL_BERLIN) == 3 / 40  # 12:00 CET
    assert elapsed_share(berlin_after, utc(2026, 3, 30, 11, 0), CAL_BERLIN) == 4 / 40  # 13:00 CEST
    assert elapsed_share(berlin_after, utc(2026, 3, 30, 7, 0), CAL_BERLIN) == 0.0  # 09:00 CEST
    # The week containing the change is complete late on the Sunday in local time.
    assert elapsed_share(berlin_before, utc(2026, 3, 29, 21, 59), CAL_BERLIN) == 1.0


def test_dst_change_day_is_a_full_working_day():
    # A team working Sun-Thu: Sun 8 Mar 2026 is a working day with only 23 real hours.
    cal = WorkCalendar(NY, working_days=SUN_THU)
    sunday = period_containing("day", date(2026, 3, 8))
    assert elapsed_share(sunday, at(NY, 2026, 3, 8, 13, 0), cal) == 0.5
    assert elapsed_share(sunday, at(NY, 2026, 3, 8, 17, 0), cal) == 1.0
    # March 2026 has 23 Sun-Thu working days (Sun 1 .. Thu 5 before the change), 8 hours each.
    march = period_containing("month", date(2026, 3, 8))
    assert cal.working_days_in(march.start, march.end) == 23
    assert elapsed_share(march, at(NY, 2026, 3, 8, 13, 0), cal) == pytest.approx((5 * 8 + 4) / 184)


def test_working_hours_spanning_the_spring_forward_gap_use_wall_clock():
    cal = WorkCalendar(NY, working_days=SUN_THU, day_start=time(0, 0), day_end=time(12, 0))
    sunday = period_containing("day", date(2026, 3, 8))
    # 04:00 EDT is only 3 real hours after midnight, but 4 of the 12 wall-clock working hours.
    assert elapsed_share(sunday, at(NY, 2026, 3, 8, 4, 0), cal) == pytest.approx(4 / 12)
    # 01:59 EST is followed a minute later by 03:00 EDT: the skipped hour counts as worked.
    assert elapsed_share(sunday, utc(2026, 3, 8, 6, 59), cal) == pytest.approx((1 + 59 / 60) / 12)
    assert elapsed_share(sunday, utc(2026, 3, 8, 7, 0), cal) == pytest.approx(3 / 12)


def test_repeated_hour_at_fall_back_never_runs_backwards():
    cal = WorkCalendar(NY, working_days=SUN_THU, day_start=time(0, 0), day_end=time(12, 0))
    sunday = period_containing("day", date(2026, 11, 1))
    first_pass = elapsed_share(sunday, utc(2026, 11, 1, 5, 30), cal)  # 01:30 EDT
    second_pass = elapsed_share(sunday, utc(2026, 11, 1, 6, 30), cal)  # 01:30 EST again
    after = elapsed_share(sunday, utc(2026, 11, 1, 7, 0), cal)  # 02:00 EST
    assert first_pass == pytest.approx(1.5 / 12)
    assert second_pass == pytest.approx(2 / 12)  # held at the end of the repeated hour
    assert after == pytest.approx(2 / 12)
    assert elapsed_share(sunday, utc(2026, 11, 1, 8, 0), cal) == pytest.approx(3 / 12)


# --- Pace, projection, attainment, status --------------------------------------------------


def test_compute_pacing_values():
    p = compute_pacing(30, 100, 0.5)
    assert p == Pacing(
        actual=30,
        goal=100,
        elapsed=0.5,
        expected=50,
        pace=0.6,
        projection=60,
        attainment=0.3,
        status=STATUS_BEHIND,
    )


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (60, STATUS_ON_PACE),  # pace 1.2
        (50, STATUS_ON_PACE),  # pace exactly 1.0
        (49, STATUS_AT_RISK),  # 0.98
        (40, STATUS_AT_RISK),  # pace exactly 0.8
        (39, STATUS_BEHIND),  # 0.78
        (0, STATUS_BEHIND),
    ],
)
def test_status_thresholds(actual, status):
    assert compute_pacing(actual, 100, 0.5).status == status


def test_custom_thresholds():
    strict = Thresholds(on_pace=1.1, at_risk=0.9)
    assert compute_pacing(50, 100, 0.5, strict).status == STATUS_AT_RISK  # pace 1.0
    assert compute_pacing(55, 100, 0.5, strict).status == STATUS_ON_PACE  # pace 1.1
    assert compute_pacing(44, 100, 0.5, strict).status == STATUS_BEHIND  # pace 0.88
    lenient = Thresholds(on_pace=0.9, at_risk=0.5)
    assert compute_pacing(45, 100, 0.5, lenient).status == STATUS_ON_PACE
    assert compute_pacing(25, 100, 0.5, lenient).status == STATUS_AT_RISK


def test_goal_reached_is_on_pace_whatever_the_pace():
    strict = Thresholds(on_pace=1.5, at_risk=1.2)
    assert compute_pacing(100, 100, 1.0, strict).status == STATUS_ON_PACE  # pace 1.0 < 1.5
    assert compute_pacing(120, 100, 1.0, strict).status == STATUS_ON_PACE
    assert compute_pacing(99, 100, 1.0, strict).status == STATUS_BEHIND


def test_nothing_expected_yet():
    p = compute_pacing(0, 100, 0.0)
    assert (p.expected, p.pace, p.projection, p.attainment) == (0, None, None, 0)
    assert p.status == STATUS_NOT_STARTED
    early = compute_pacing(3, 100, 0.0)
    assert early.status == STATUS_EARLY  # was "on pace": too soon to say (issue 12)
    assert early.pace is None and early.projection is None
    assert early.attainment == 0.03


# --- Early, final: hit or missed (issue 12) --------------------------------------------------


def test_a_monday_morning_reads_early_not_1680_percent():
    # Mon 23 Nov 2026 09:30 in New York: half an hour of the week's 40 working hours
    week = period_containing("week", date(2026, 11, 23))
    p = pace_for(14, 60, "day", week, at(NY, 2026, 11, 23, 9, 30), CAL_NY)
    assert p.elapsed == pytest.approx(0.5 / 40)
    assert p.pace == pytest.approx(14 / (300 * 0.5 / 40))  # 1,120%: the number is kept...
    assert p.early and p.status == STATUS_EARLY  # ...but it reads "early", not "on pace"
    assert not p.final


def test_early_ends_at_a_tenth_of_the_working_time():
    week = period_containing("week", date(2026, 11, 23))
    before = pace_for(0, 60, "day", week, at(NY, 2026, 11, 23, 12, 59), CAL_NY)
    at_a_tenth = pace_for(0, 60, "day", week, at(NY, 2026, 11, 23, 13, 0), CAL_NY)  # 4 of 40 h
    assert before.early and before.status == STATUS_EARLY
    assert at_a_tenth.elapsed == EARLY_SHARE
    assert not at_a_tenth.early and at_a_tenth.status == STATUS_BEHIND
    # a day: early until 09:48
    day = period_containing("day", date(2026, 11, 23))
    assert pace_for(5, 60, "day", day, at(NY, 2026, 11, 23, 9, 47), CAL_NY).early
    assert not pace_for(5, 60, "day", day, at(NY, 2026, 11, 23, 9, 48), CAL_NY).early


def test_a_goal_met_early_is_on_pace_and_nothing_done_at_the_start_is_not_started():
    assert compute_pacing(60, 60, 0.05).status == STATUS_ON_PACE
    assert compute_pacing(0, 60, 0.0).status == STATUS_NOT_STARTED
    assert compute_pacing(0, 60, 0.05).status == STATUS_EARLY


def test_a_finished_period_is_final_and_judged_on_attainment():
    week = period_containing("week", date(2026, 11, 16))
    monday_after = at(NY, 2026, 11, 23, 9, 0)
    missed = pace_for(200, 60, "day", week, monday_after, CAL_NY)
    assert missed.final and not missed.early
    assert (missed.status, missed.attainment) == (STATUS_MISSED, pytest.approx(200 / 300))
    # within the at-risk threshold of the goal (80% by default): a near miss, still a miss
    near = pace_for(290, 60, "day", week, monday_after, CAL_NY)
    assert near.status == STATUS_NEAR_MISS
    assert pace_for(240, 60, "day", week, monday_after, CAL_NY).status == STATUS_NEAR_MISS
    hit = pace_for(300, 60, "day", week, monday_after, CAL_NY)
    assert hit.final and hit.status == STATUS_HIT
    # a goal is hit at 100% whatever the thresholds: they only say how near a miss was
    lenient = Thresholds(on_pace=0.5, at_risk=0.2)
    assert pace_for(290, 60, "day", week, monday_after, CAL_NY, lenient).status == STATUS_NEAR_MISS
    strict = Thresholds(on_pace=1.2, at_risk=1.1)
    assert pace_for(300, 60, "day", week, monday_after, CAL_NY, strict).status == STATUS_HIT
    assert pace_for(290, 60, "day", week, monday_after, CAL_NY, strict).status == STATUS_MISSED
    # Friday evening: the week's working time is over but its weekend is not: still running
    friday_night = pace_for(290, 60, "day", week, at(NY, 2026, 11, 20, 20, 0), CAL_NY)
    assert not friday_night.final and friday_night.status == STATUS_AT_RISK


@given(
    actual=st.integers(0, 1000),
    goal=st.floats(0.5, 1000),
    elapsed=st.floats(0, 1),
    final=st.booleans(),
)
def test_status_is_final_only_for_a_finished_period_and_early_only_before_it(
    actual, goal, elapsed, final
):
    p = compute_pacing(actual, goal, elapsed, final=final)
    if final:
        assert p.status in (STATUS_HIT, STATUS_NEAR_MISS, STATUS_MISSED) and not p.early
        assert (p.status == STATUS_HIT) == (actual / goal >= 1 - 1e-9)
    else:
        assert p.status not in (STATUS_HIT, STATUS_NEAR_MISS, STATUS_MISSED)
        if p.status == STATUS_EARLY:
            assert elapsed < EARLY_SHARE and actual / goal < 1


@pytest.mark.parametrize("goal", [None, 0])
def test_no_goal(goal):
    p = compute_pacing(12, goal, 0.25)
    assert p.status == STATUS_NO_GOAL
    assert p.goal == goal
    assert p.pace is None and p.attainment is None
    assert p.projection == 48  # still meaningful without a goal
    assert compute_pacing(0, goal, 0.0).status == STATUS_NO_GOAL


def test_compute_pacing_rejects_bad_elapsed():
    with pytest.raises(ValueError):
        compute_pacing(1, 10, 1.5)
    with pytest.raises(ValueError):
        compute_pacing(1, 10, -0.1)


def test_exactly_on_pace_is_not_lost_to_float_rounding():
    # 42/month in November (168 working hours) at Tue 17 Nov 13:00 (92 h): expected exactly 23.
    p = pace_for(23, 42, "month", NOV, at(LA, 2026, 11, 17, 13, 0), CAL_LA)
    assert p.expected == pytest.approx(23)
    assert p.pace == pytest.approx(1.0)
    assert p.status == STATUS_ON_PACE


def test_pace_for_combines_scaling_and_elapsed_share():
    # 60/day -> 300 for the week; Wednesday 13:00 is half the week, so 150 expected.
    p = pace_for(120, 60, "day", WEEK_NOV_16, at(LA, 2026, 11, 18, 13, 0), CAL_LA)
    assert p.goal == pytest.approx(300)
    assert p.elapsed == 0.5
    assert p.expected == pytest.approx(150)
    assert p.pace == pytest.approx(0.8)
    assert p.projection == pytest.approx(240)
    assert p.attainment == pytest.approx(0.4)
    assert p.status == STATUS_AT_RISK


def test_pace_for_without_goal_and_on_custom_thresholds():
    now = at(LA, 2026, 11, 18, 13, 0)
    assert pace_for(5, None, None, WEEK_NOV_16, now, CAL_LA).status == STATUS_NO_GOAL
    assert pace_for(5, 10, None, WEEK_NOV_16, now, CAL_LA).status == STATUS_NO_GOAL
    assert pace_for(5, 0, "week", WEEK_NOV_16, now, CAL_LA).status == STATUS_NO_GOAL
    # 8/week, half-way: 4 expected; 3 done is pace 0.75.
    assert pace_for(3, 8, "week", WEEK_NOV_16, now, CAL_LA).status == STATUS_BEHIND
    lenient = Thresholds(on_pace=0.9, at_risk=0.7)
    assert pace_for(3, 8, "week", WEEK_NOV_16, now, CAL_LA, lenient).status == STATUS_AT_RISK


def test_pace_for_on_a_weekend_day():
    saturday = period_containing("day", date(2026, 11, 21))
    p = pace_for(2, 60, "day", saturday, at(LA, 2026, 11, 21, 12, 0), CAL_LA)
    assert p.goal == 0
    assert p.status == STATUS_NO_GOAL


# --- parse_hhmm -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:30", time(9, 30)),
        ("17:30", time(17, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 8:05 ", time(8, 5)),
    ],
)
def test_parse_hhmm(text, expected):
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["", "9", "9:5", "24:00", "12:60", "9.30", "9:30am", "-1:00", "x"])
def test_parse_hhmm_rejects(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hhmm(text)


# --- Properties -----------------------------------------------------------------------------

ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "America/Los_Angeles",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Lord_Howe",  # 30-minute DST shift
        "Pacific/Auckland",
    )
]


@st.composite
def calendars(draw):
    tz = draw(st.sampled_from(ZONES))
    days = draw(st.frozensets(st.integers(0, 6)))
    start = draw(st.integers(0, 24 * 60 - 2))
    end = draw(st.integers(start + 1, 24 * 60 - 1))
    return WorkCalendar(tz, days, time(*divmod(start, 60)), time(*divmod(end, 60)))


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(
    cal=calendars(),
    kind=st.sampled_from(PERIOD_KINDS),
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    t1=instants,
    t2=instants,
)
def test_elapsed_share_is_bounded_and_non_decreasing(cal, kind, day, t1, t2):
    period = period_containing(kind, day)
    early, late = sorted((t1, t2))
    s1, s2 = elapsed_share(period, early, cal), elapsed_share(period, late, cal)
    assert 0.0 <= s1 <= s2 <= 1.0


@given(
    cal=calendars(),
    kind=st.sampled_from(PERIOD_KINDS),
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
)
def test_elapsed_share_is_zero_before_and_one_after(cal, kind, day):
    period = period_containing(kind, day)
    before = datetime.combine(period.start - timedelta(days=1), time(12), cal.tz)
    after = datetime.combine(period.end + timedelta(days=1), time(12), cal.tz)
    assert elapsed_share(period, before, cal) == 0.0
    assert elapsed_share(period, after, cal) == 1.0


@given(
    cal=calendars(),
    per=st.sampled_from(PERIOD_KINDS),
    amount=st.integers(0, 1000),
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
)
def test_scaled_goal_is_the_sum_of_daily_rates(cal, per, amount, day):
    for kind in PERIOD_KINDS:
        period = period_containing(kind, day)
        total = sum(daily_rate(amount, per, d, cal) for d in period.days())
        assert scaled_goal(amount, per, period, cal) == pytest.approx(total)
