"""rituals/contests/timing.py: a contest's window in whole team-local working days, when it ends,
settles and closes, and its midpoint in working time, across weekends and DST changes (New York,
Mon–Fri 09:00–17:00, no holidays; DST starts Sun 8 Mar 2026 and ends Sun 1 Nov 2026)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rituals.contests import timing
from rituals.pacing import WorkCalendar
from tests.rituals.contests.support import PROCESS, local, unsaved_contest

CAL = PROCESS.calendar
FRI_30_OCT, MON_2_NOV, TUE_3_NOV = date(2026, 10, 30), date(2026, 11, 2), date(2026, 11, 3)


def test_a_contest_ends_at_the_end_of_its_last_days_working_hours_in_utc():
    assert timing.ends_at_for(PROCESS, FRI_30_OCT) == datetime(2026, 10, 30, 21, 0, tzinfo=UTC)
    # After the clocks went back, 17:00 in New York is an hour later in UTC.
    assert timing.ends_at_for(PROCESS, MON_2_NOV) == datetime(2026, 11, 2, 22, 0, tzinfo=UTC)


def test_a_wall_time_skipped_by_dst_resolves_by_the_offset_before_the_change():
    # 02:30 on Sun 8 Mar 2026 never happens in New York: it is 02:30 EST, i.e. 03:30 EDT.
    assert timing.at(date(2026, 3, 8), time(2, 30), CAL) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert timing.at(date(2026, 3, 9), time(9), CAL) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "first_day"),
    [
        (local(date(2026, 11, 24), "11:00"), date(2026, 11, 24)),  # Tuesday, in working hours
        (local(date(2026, 11, 23), "07:00"), date(2026, 11, 23)),  # Monday, before they begin
        (local(date(2026, 11, 24), "17:00"), date(2026, 11, 25)),  # Tuesday's hours are over
        (local(date(2026, 11, 27), "17:30"), date(2026, 11, 30)),  # Friday evening: Monday
        (local(date(2026, 11, 28), "10:00"), date(2026, 11, 30)),  # Saturday: Monday
        (datetime(2026, 11, 28, 3, 0, tzinfo=UTC), date(2026, 11, 30)),  # Fri 22:00 local
    ],
)
def test_a_contest_started_now_begins_today_or_on_the_next_working_day(now, first_day):
    assert timing.start_day_for(PROCESS, now) == first_day


def test_the_first_working_day_on_or_after_a_day():
    assert timing.first_working_day(CAL, date(2026, 11, 28)) == date(2026, 11, 30)  # Sat → Mon
    assert timing.first_working_day(CAL, date(2026, 11, 30)) == date(2026, 11, 30)
    weekend_team = WorkCalendar(ZoneInfo("America/New_York"), working_days={5, 6})
    assert timing.first_working_day(weekend_team, date(2026, 11, 25)) == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("first", "days", "last"),
    [
        (date(2026, 11, 23), 1, date(2026, 11, 23)),  # the first day counts
        (date(2026, 11, 23), 5, date(2026, 11, 27)),  # Mon–Fri
        (date(2026, 11, 26), 3, date(2026, 11, 30)),  # Thu, Fri, (weekend), Mon
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday: Monday
        (date(2026, 11, 23), 6, date(2026, 11, 30)),
        (FRI_30_OCT, 2, MON_2_NOV),  # across the weekend the clocks went back
    ],
)
def test_a_window_of_whole_working_days(first, days, last):
    assert timing.after_working_days(CAL, first, days) == last


def test_a_contest_closes_when_it_settles_or_when_a_manager_ended_it_early():
    start = local(date(2026, 11, 24), "11:00")
    contest = unsaved_contest(date(2026, 11, 24), date(2026, 11, 26), start)
    # It ends at 17:00; its result is settled two hours later (the default process).
    assert timing.closes_at(contest) == local(date(2026, 11, 26), "19:00")
    assert not timing.is_over(contest, local(date(2026, 11, 26), "18:59"))
    assert timing.is_over(contest, local(date(2026, 11, 26), "19:00"))
    early = local(date(2026, 11, 25), "12:00")
    contest.ended_at = early
    assert timing.closes_at(contest) == early and timing.is_over(contest, early)
    assert not timing.is_over(contest, early - timedelta(seconds=1))
    # An end recorded after the contest settled doesn't move it later.
    contest.ended_at = contest.settles_at + timedelta(hours=1)
    assert timing.closes_at(contest) == contest.settles_at


def test_a_contest_with_its_result_frozen_is_over_whatever_the_clock():
    start = local(date(2026, 11, 24), "11:00")
    contest = unsaved_contest(date(2026, 11, 24), date(2026, 11, 26), start, result="{}")
    assert timing.is_over(contest, start)


def test_the_midpoint_of_a_contest_across_a_weekend_is_in_working_time():
    # Thu 13:00 → Mon 17:00: Thu 4 h, Fri 8 h, Mon 8 h of work; half of the 20 h is Fri 15:00.
    start = local(date(2026, 11, 26), "13:00")
    contest = unsaved_contest(date(2026, 11, 26), date(2026, 11, 30), start)
    mid = timing.working_midpoint(PROCESS, contest)
    assert mid == local(date(2026, 11, 27), "15:00")
    plain = start + (contest.ends_at - start) / 2
    assert plain.astimezone(CAL.tz).weekday() == 5  # plain time would be "half way" on Saturday


@pytest.mark.parametrize(
    ("friday", "monday", "tuesday"),
    [
        (FRI_30_OCT, MON_2_NOV, TUE_3_NOV),  # the clocks go back on Sunday 1 Nov
        (date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)),  # forward on Sunday 8 Mar
    ],
)
def test_the_midpoint_across_a_dst_change_is_in_that_days_local_hours(friday, monday, tuesday):
    # Fri 13:00 → Tue 17:00: Fri 4 h, Mon 8 h, Tue 8 h; half of the 20 h is Monday 15:00 local.
    contest = unsaved_contest(friday, tuesday, local(friday, "13:00"))
    mid = timing.working_midpoint(PROCESS, contest)
    assert mid == local(monday, "15:00")
    assert mid.astimezone(CAL.tz).time() == time(15, 0)


def test_a_contest_without_working_time_is_half_way_in_plain_time():
    saturday = date(2026, 11, 28)
    start = local(saturday, "10:00")
    contest = unsaved_contest(saturday, saturday, start)
    assert timing.working_midpoint(PROCESS, contest) == local(saturday, "13:30")


def test_working_time_before_the_start_does_not_count():
    # Started Tuesday 15:00 for Tue–Wed: Tue 2 h and Wed 8 h; half of the 10 h is Wed 12:00.
    start = local(date(2026, 11, 24), "15:00")
    contest = unsaved_contest(date(2026, 11, 24), date(2026, 11, 25), start)
    assert timing.working_midpoint(PROCESS, contest) == local(date(2026, 11, 25), "12:00")


# -- settling: the result waits for the last day's late logs ----------------------------------

NO_SETTLE = PROCESS.with_settings(settle="0")


@pytest.mark.parametrize(
    ("process", "settles"),
    [
        (PROCESS, "19:00"),  # two hours after 17:00 (the default)
        (PROCESS.with_settings(settle="90m"), "18:30"),
        (NO_SETTLE.with_ritual("daily", "off"), "17:00"),  # as before: at the end
        (NO_SETTLE, "17:30"),  # never before the day's daily digest
        (PROCESS.with_settings(settle="15m").with_ritual("daily", "17:30"), "17:30"),
        (PROCESS.with_ritual("daily", "18:00"), "19:00"),  # the settle time is later
        (NO_SETTLE.with_ritual("daily", "08:00"), "17:00"),  # a morning digest: no later
    ],
)
def test_a_contest_settles_after_its_last_working_day_never_before_its_digest(process, settles):
    thursday = date(2026, 11, 26)
    assert timing.settles_at_for(process, thursday) == local(thursday, settles)


def test_a_contest_whose_last_day_is_a_friday_settles_on_friday_not_monday():
    friday = date(2026, 11, 27)
    assert timing.settles_at_for(PROCESS, friday) == local(friday, "19:00")
    assert timing.settles_at_for(NO_SETTLE, friday) == local(friday, "17:30")


def test_the_digest_bound_needs_a_working_day():
    # A contest may end on a Saturday (a date picked in the form): no digest that day.
    saturday = date(2026, 11, 28)
    assert timing.digest_at(PROCESS, saturday) is None
    assert timing.settles_at_for(NO_SETTLE, saturday) == local(saturday, "17:00")


@pytest.mark.parametrize(
    ("day", "settles_utc", "digest_utc"),
    [
        (FRI_30_OCT, datetime(2026, 10, 30, 23, 0, tzinfo=UTC), datetime(2026, 10, 30, 21, 30)),
        # After the clocks went back: 19:00 in New York is midnight UTC.
        (MON_2_NOV, datetime(2026, 11, 3, 0, 0, tzinfo=UTC), datetime(2026, 11, 2, 22, 30)),
        # After they went forward (Sun 8 Mar): EDT again.
        (date(2026, 3, 9), datetime(2026, 3, 9, 23, 0, tzinfo=UTC), datetime(2026, 3, 9, 21, 30)),
    ],
)
def test_settle_times_across_dst_are_in_that_days_local_hours(day, settles_utc, digest_utc):
    assert timing.settles_at_for(PROCESS, day) == settles_utc
    assert timing.settles_at_for(NO_SETTLE, day) == digest_utc.replace(tzinfo=UTC)
    assert timing.settles_at_for(PROCESS, day).astimezone(CAL.tz).time() == time(19, 0)


def test_a_settle_time_is_elapsed_time_even_across_a_dst_change():
    # A Mon–Sat team's Saturday contest settling 12 hours after 17:00 on Sat 31 Oct: the clocks
    # go back at 02:00 that night, so 12 hours later reads 04:00 (EST), not 05:00.
    six_days = PROCESS.with_settings(working_days="mon-sat", settle="12h")
    saturday = date(2026, 10, 31)
    settles = timing.settles_at_for(six_days, saturday)
    assert settles - timing.ends_at_for(six_days, saturday) == timedelta(hours=12)
    assert settles.astimezone(CAL.tz).replace(tzinfo=None) == datetime(2026, 11, 1, 4, 0)


def test_a_contest_is_settling_between_its_end_and_its_settle_time():
    start = local(date(2026, 11, 24), "11:00")
    contest = unsaved_contest(date(2026, 11, 24), date(2026, 11, 26), start)
    thursday = date(2026, 11, 26)
    assert not timing.is_settling(contest, local(thursday, "16:59"))
    assert timing.is_settling(contest, local(thursday, "17:00"))
    assert timing.is_settling(contest, local(thursday, "18:59"))
    assert not timing.is_settling(contest, local(thursday, "19:00"))
    assert timing.is_over(contest, local(thursday, "19:00"))
    # Ended by a manager while settling: over at once.
    contest.ended_at = local(thursday, "17:20")
    assert timing.closes_at(contest) == contest.ended_at
    assert not timing.is_settling(contest, local(thursday, "17:20"))
    # A contest stored before settle times existed settles at its end.
    old = unsaved_contest(date(2026, 11, 24), thursday, start, settles_at=None)
    assert timing.settles_at(old) == old.ends_at == timing.closes_at(old)
    assert not timing.is_settling(old, local(thursday, "17:10"))
