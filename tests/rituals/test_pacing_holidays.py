"""rituals.pacing with days off: a holiday is not a working day for goals, elapsed time, pace or
projections. Domain tests around Thanksgiving 2026 (Thu 26 Nov), Christmas and New Year, a worked
holiday, a company day off and a subdivision's holiday; and properties (hypothesis) for any
calendar and days off."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rituals.holiday_rules import HolidayRules
from rituals.pacing import (
    PERIOD_KINDS,
    STATUS_ON_PACE,
    Period,
    WorkCalendar,
    daily_rate,
    elapsed_share,
    pace_for,
    period_containing,
    scaled_goal,
)
from rituals.process import default_process
from tests.rituals.test_pacing import ZONES

NY = ZoneInfo("America/New_York")
US = HolidayRules("US")
CAL = WorkCalendar(NY, holidays=US)  # Mon–Fri 09:00–17:00, US public holidays
PLAIN = WorkCalendar(NY)
THANKSGIVING_WEEK = period_containing("week", date(2026, 11, 26))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


def test_the_default_process_takes_us_public_holidays_off():
    cal = default_process().calendar
    assert cal.holidays == US
    assert not cal.is_working_day(date(2026, 11, 26))  # Thanksgiving Day
    assert cal.is_working_day(date(2026, 11, 27))
    assert [(o.day, o.name) for o in cal.days_off(date(2026, 11, 1), date(2026, 11, 30))] == [
        (date(2026, 11, 11), "Veterans Day"),
        (date(2026, 11, 26), "Thanksgiving Day"),
    ]


def test_thanksgiving_week_has_four_working_days_and_their_goals():
    assert CAL.working_days_in(THANKSGIVING_WEEK.start, THANKSGIVING_WEEK.end) == 4
    assert scaled_goal(60, "day", THANKSGIVING_WEEK, CAL) == 240  # 4 × 60, not 300
    assert scaled_goal(60, "day", THANKSGIVING_WEEK, PLAIN) == 300  # what main computed
    thursday = Period("day", date(2026, 11, 26), date(2026, 11, 26))
    assert scaled_goal(60, "day", thursday, CAL) == 0  # nothing is due on a holiday
    # A weekly goal is done in the week's four working days; a monthly one spreads over the
    # month's 19 (November 2026: 21 weekdays, Veterans Day and Thanksgiving off).
    assert scaled_goal(8, "week", THANKSGIVING_WEEK, CAL) == 8
    assert daily_rate(8, "week", date(2026, 11, 24), CAL) == 2
    assert daily_rate(8, "week", date(2026, 11, 26), CAL) == 0
    assert scaled_goal(6, "month", THANKSGIVING_WEEK, CAL) == pytest.approx(6 * 4 / 19)
    november = period_containing("month", date(2026, 11, 1))
    assert scaled_goal(60, "day", november, CAL) == 60 * 19


def test_thanksgiving_week_elapsed_time_stands_still_on_the_holiday():
    week = THANKSGIVING_WEEK
    assert elapsed_share(week, at(2026, 11, 24, 11), CAL) == pytest.approx(10 / 32)
    wednesday_close = elapsed_share(week, at(2026, 11, 25, 17), CAL)
    assert wednesday_close == 0.75
    assert elapsed_share(week, at(2026, 11, 26, 12), CAL) == 0.75  # Thanksgiving: no time goes
    assert elapsed_share(week, at(2026, 11, 27, 13), CAL) == pytest.approx(28 / 32)
    assert elapsed_share(week, at(2026, 11, 27, 17), CAL) == 1.0


def test_a_full_week_sdr_reads_on_pace_in_thanksgiving_week():
    # 60 calls on each of Mon–Wed and Fri: the goal is 240 and they made it, not "20% behind".
    friday_close = at(2026, 11, 27, 17, 30)
    done = pace_for(240, 60, "day", THANKSGIVING_WEEK, friday_close, CAL)
    assert (done.goal, done.attainment, done.status) == (240, 1.0, STATUS_ON_PACE)
    wednesday = pace_for(180, 60, "day", THANKSGIVING_WEEK, at(2026, 11, 25, 17), CAL)
    assert wednesday.expected == 180 and wednesday.pace == 1.0
    assert wednesday.projection == 240
    # On main the same rep read 80% of a 300 goal, behind, at the end of the week.
    main = pace_for(240, 60, "day", THANKSGIVING_WEEK, friday_close, PLAIN)
    assert (main.goal, main.attainment) == (300, 0.8)


def test_christmas_and_new_year():
    week = period_containing("week", date(2026, 12, 31))  # Mon 28 Dec – Sun 3 Jan
    assert CAL.working_days_in(week.start, week.end) == 4  # Fri 1 Jan: New Year's Day
    eve = WorkCalendar(NY, holidays=HolidayRules("US", added=((date(2026, 12, 31), "NYE"),)))
    assert eve.working_days_in(week.start, week.end) == 3
    assert scaled_goal(60, "day", week, eve) == 180
    # A week spanning two months: each month's share of a monthly goal over its own days.
    december = period_containing("month", date(2026, 12, 1))
    assert CAL.working_days_in(december.start, december.end) == 22  # 23 weekdays, Christmas Day
    january = period_containing("month", date(2027, 1, 1))
    assert CAL.working_days_in(january.start, january.end) == 19  # New Year's Day, MLK Day
    assert scaled_goal(6, "month", week, CAL) == pytest.approx(6 * 4 / 22)


def test_a_worked_holiday_is_a_working_day():
    worked = WorkCalendar(NY, holidays=HolidayRules("US", removed=(date(2026, 11, 11),)))
    week = period_containing("week", date(2026, 11, 11))
    assert scaled_goal(60, "day", week, CAL) == 240
    assert scaled_goal(60, "day", week, worked) == 300
    assert worked.is_working_day(date(2026, 11, 11))
    assert not worked.is_working_day(date(2026, 11, 26))  # other holidays stay


def test_a_company_day_off_on_an_ordinary_day():
    offsite = WorkCalendar(NY, holidays=HolidayRules(added=((date(2026, 11, 18), "Offsite"),)))
    week = period_containing("week", date(2026, 11, 18))
    assert offsite.working_days_in(week.start, week.end) == 4
    assert elapsed_share(week, at(2026, 11, 18, 13), offsite) == 0.5  # Mon, Tue of 4 days
    assert [o.name for o in offsite.days_off(week.start, week.end)] == ["Offsite"]
    assert offsite.is_working_day(date(2026, 11, 26))  # no country: Thanksgiving is worked


def test_a_subdivisions_own_holiday():
    ny_state = WorkCalendar(NY, holidays=HolidayRules("US", "NY"))
    week = period_containing("week", date(2026, 11, 3))  # Tue 3 Nov 2026: Election Day in NY
    assert ny_state.working_days_in(week.start, week.end) == 4
    assert CAL.working_days_in(week.start, week.end) == 5
    assert ny_state.days_off(week.start, week.end)[0].name == "Election Day"


def test_a_team_working_sunday_to_thursday_keeps_its_own_weekdays():
    # Christmas 2026 is a Friday: no working day of a Sun–Thu team, so it changes nothing.
    cal = WorkCalendar(NY, frozenset({6, 0, 1, 2, 3}), holidays=US)
    week = period_containing("week", date(2026, 12, 25))
    assert cal.working_days_in(week.start, week.end) == 5
    assert cal.days_off(week.start, week.end) == []


# --------------------------------------------------------------------------------------------
# Properties: any calendar, any days off


@st.composite
def calendars_with_days_off(draw):
    tz = draw(st.sampled_from(ZONES))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start = draw(st.integers(0, 22 * 60))
    end = draw(st.integers(start + 1, 24 * 60 - 1))
    country = draw(st.sampled_from([None, "US", "GB", "DE"]))
    added = draw(
        st.lists(st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)), max_size=12)
    )
    removed = draw(
        st.lists(st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)), max_size=4)
    )
    rules = HolidayRules(
        country,
        None,
        tuple((d, "Company day off") for d in added),
        tuple(d for d in removed if d not in added),
    )
    return WorkCalendar(tz, days, time(*divmod(start, 60)), time(*divmod(end, 60)), holidays=rules)


DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@given(
    cal=calendars_with_days_off(),
    per=st.sampled_from(PERIOD_KINDS),
    amount=st.integers(0, 1000),
    day=DAYS,
)
def test_the_days_goals_sum_to_the_periods_goal(cal, per, amount, day):
    for kind in PERIOD_KINDS:
        period = period_containing(kind, day)
        days = [Period("day", d, d) for d in period.days()]
        total = sum(scaled_goal(amount, per, d, cal) for d in days)
        assert scaled_goal(amount, per, period, cal) == pytest.approx(total)
        rates = sum(daily_rate(amount, per, d.start, cal) for d in days)
        assert rates == pytest.approx(total)
        assert all(
            scaled_goal(amount, per, d, cal) == 0 for d in days if not cal.is_working_day(d.start)
        )


@given(
    cal=calendars_with_days_off(),
    per=st.sampled_from(PERIOD_KINDS),
    day=DAYS,
    extra=st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)),
    instant=st.datetimes(
        min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(UTC)
    ),
)
def test_a_holiday_on_a_day_the_team_does_not_work_changes_nothing(cal, per, day, extra, instant):
    assume(len(cal.working_days) < 7)  # the team has a weekend
    while extra.weekday() in cal.working_days:  # a weekend day, for this team
        extra += timedelta(days=1)
    rules = cal.holidays
    more = WorkCalendar(
        cal.tz,
        cal.working_days,
        cal.day_start,
        cal.day_end,
        holidays=HolidayRules(
            rules.country,
            rules.subdivision,
            (*rules.added, (extra, "Weekend party")),
            tuple(d for d in rules.removed if d != extra),
        ),
    )
    for kind in PERIOD_KINDS:
        period = period_containing(kind, day)
        assert scaled_goal(60, per, period, more) == scaled_goal(60, per, period, cal)
        assert elapsed_share(period, instant, more) == elapsed_share(period, instant, cal)
        assert more.working_days_in(period.start, period.end) == cal.working_days_in(
            period.start, period.end
        )


@given(cal=calendars_with_days_off(), day=DAYS)
def test_working_days_in_counts_the_working_days(cal, day):
    for kind in PERIOD_KINDS:
        period = period_containing(kind, day)
        expected = sum(1 for d in period.days() if cal.is_working_day(d))
        assert cal.working_days_in(period.start, period.end) == expected
