"""rituals.schedule on days off: no daily digest, leaderboard, lag check or nudge on a holiday;
the monthly digest on the month's first working day; a weekly ritual whose day is a holiday on
the next working day of that week (else the last one before it). Thanksgiving 2026 is Thursday
26 Nov; 1 Jan 2027 is a Friday holiday."""

from __future__ import annotations

import pickle
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rituals.process import default_process
from rituals.schedule import (
    RitualTrigger,
    first_working_day,
    next_occurrences,
    nudge_due,
    weekly_run_day,
)
from rituals.scorecard import rep_calendar
from tests.rituals.schedule_support import NY, fires, local, make, of, utc

US = {"country": "US"}


def days_of(kind, occurrences, tz=NY):
    return [o.due_at.astimezone(tz).date() for o in of(kind, occurrences)]


def test_thanksgiving_has_no_daily_digest_leaderboard_or_lag_check():
    week = next_occurrences(default_process(), local(NY, 2026, 11, 22), local(NY, 2026, 11, 29))
    thursday = date(2026, 11, 26)
    for kind in ("daily", "leaderboard", "lag-check"):
        assert thursday not in days_of(kind, week), kind
        assert date(2026, 11, 27) in days_of(kind, week), kind  # Friday is a working day
    # On main, before holidays: the digest and both leaderboards posted on Thanksgiving.
    plain = next_occurrences(make(), local(NY, 2026, 11, 26), local(NY, 2026, 11, 27))
    assert days_of("daily", plain) == [thursday] and len(of("leaderboard", plain)) == 2


@pytest.mark.parametrize("tz", ["America/New_York", "Asia/Tokyo", "America/Los_Angeles"])
def test_nobody_is_nudged_on_thanksgiving_in_their_own_timezone(tz):
    cal = rep_calendar(default_process(), tz)
    zone = ZoneInfo(tz)
    for hour in range(9, 17):
        assert nudge_due(cal, time(15), local(zone, 2026, 11, 26, hour, 30)) is None
    assert nudge_due(cal, time(15), local(zone, 2026, 11, 25, 15)) == date(2026, 11, 25)
    assert nudge_due(cal, time(15), local(zone, 2026, 11, 27, 15)) == date(2026, 11, 27)


def test_the_monthly_digest_waits_for_the_first_working_day_after_new_years_day():
    due = of("monthly", next_occurrences(default_process(), *WINTER))
    assert [(o.due_at, o.period_key) for o in due] == [
        (utc(2026, 12, 1, 14), "2026-11"),
        (utc(2027, 1, 4, 14), "2026-12"),  # Fri 1 Jan: New Year's Day; Mon 4 Jan
        (utc(2027, 2, 1, 14), "2027-01"),
    ]
    assert first_working_day(2027, 1, default_process().calendar) == date(2027, 1, 4)
    assert first_working_day(2027, 1, frozenset(range(5))) == date(2027, 1, 1)
    # 1 Jan 2029 is a Monday holiday: Tuesday the 2nd.
    assert first_working_day(2029, 1, default_process().calendar) == date(2029, 1, 2)


WINTER = (local(NY, 2026, 11, 30), local(NY, 2027, 2, 2))


def test_a_monday_holiday_moves_the_weekly_digest_and_coaching_to_tuesday():
    # Labor Day, Mon 7 Sep 2026: the weekly digest (Mon 09:00) posts Tue 09:00, still about
    # the week before (its period key is unchanged, so it posts once).
    p = make(holidays=US, coaching={"day": "mon", "at": "09:30", "every_days": 14})
    weeks = next_occurrences(p, local(NY, 2026, 8, 30), local(NY, 2026, 9, 20))
    assert [
        (d, o.period_key)
        for d, o in zip(days_of("weekly", weeks), of("weekly", weeks), strict=True)
    ] == [
        (date(2026, 8, 31), "2026-W35"),
        (date(2026, 9, 8), "2026-W36"),
        (date(2026, 9, 14), "2026-W37"),
    ]
    assert days_of("coaching", weeks) == [date(2026, 8, 31), date(2026, 9, 8), date(2026, 9, 14)]
    assert of("weekly", weeks)[1].due_at == utc(2026, 9, 8, 13)  # 09:00 EDT


def test_a_friday_holiday_at_the_end_of_the_week_moves_it_back_to_thursday():
    p = make(holidays=US, weekly={"day": "fri", "at": "16:00"})
    december = next_occurrences(p, local(NY, 2026, 12, 14), local(NY, 2026, 12, 31))
    # Fri 25 Dec is Christmas Day and nothing after it that week is a working day.
    assert days_of("weekly", december) == [date(2026, 12, 18), date(2026, 12, 24)]
    assert [o.period_key for o in of("weekly", december)] == ["2026-W50", "2026-W51"]


def test_weekly_run_day_keeps_a_chosen_weekend_day_and_a_week_without_working_days():
    cal = make(holidays=US).calendar
    assert weekly_run_day(date(2026, 9, 9), 0, cal) == date(2026, 9, 8)  # Labor Day week
    assert weekly_run_day(date(2026, 11, 24), 6, cal) == date(2026, 11, 29)  # a Sunday: kept
    shutdown = make(
        holidays={"country": "US", "add": [f"2026-12-{d}" for d in (28, 29, 30, 31)]}
    ).calendar  # 1 Jan is New Year's Day: the whole week is off
    assert weekly_run_day(date(2026, 12, 30), 0, shutdown) == date(2026, 12, 28)


def test_a_company_day_off_and_a_worked_holiday():
    p = make(
        holidays={
            "country": "US",
            "add": [{"date": "2026-12-24", "name": "Christmas Eve"}],
            "remove": ["2026-11-11"],
        }
    )
    days = days_of("daily", next_occurrences(p, local(NY, 2026, 11, 9), local(NY, 2026, 12, 28)))
    assert date(2026, 11, 11) in days  # Veterans Day, worked
    assert date(2026, 12, 24) not in days and date(2026, 12, 25) not in days
    assert date(2026, 11, 26) not in days and date(2026, 12, 23) in days


def test_a_subdivisions_own_holiday():
    # Lincoln's Birthday, Fri 12 Feb 2027, is a New York state holiday, not a federal one.
    ny = make(holidays={"country": "US", "subdivision": "NY"})
    span = (local(NY, 2027, 2, 11), local(NY, 2027, 2, 13))
    assert days_of("daily", next_occurrences(ny, *span)) == [date(2027, 2, 11)]
    assert days_of("daily", next_occurrences(make(holidays=US), *span)) == [
        date(2027, 2, 11),
        date(2027, 2, 12),
    ]


def test_a_holiday_on_a_weekend_changes_no_ritual():
    base = make(holidays=US)
    saturday = make(holidays={"country": "US", "add": ["2026-11-28"]})
    span = (local(NY, 2026, 11, 1), local(NY, 2026, 12, 31))
    assert next_occurrences(base, *span) == next_occurrences(saturday, *span)


def test_a_trigger_with_a_calendar_survives_pickling():
    cal = default_process().calendar
    trigger = RitualTrigger(time(9), NY, first_working_day=True, calendar=cal)
    copy_ = pickle.loads(pickle.dumps(trigger))
    start, end = local(NY, 2026, 1, 1), local(NY, 2027, 12, 31)
    assert fires(copy_, start, end) == fires(trigger, start, end)
    assert copy_.calendar == cal
    assert [f.date() for f in fires(trigger, start, end)][12] == date(2027, 1, 4)
    assert all(f.time() == time(9) for f in fires(trigger, start, start + timedelta(days=90)))
