"""rituals/contests/timing.py over days off (the default process: US public holidays; Thursday
26 Nov 2026 is Thanksgiving): a contest counts working days without the holiday, never starts on
it, and its midpoint is in working time."""

from datetime import date

from rituals.contests import timing
from rituals.process import default_process
from tests.rituals.contests.support import local, unsaved_contest

PROCESS = default_process()
CAL = PROCESS.calendar
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))


def test_working_days_skip_the_holiday():
    assert timing.after_working_days(CAL, MON, 4) == FRI  # Mon, Tue, Wed, (Thu off), Fri
    assert timing.after_working_days(CAL, WED, 2) == FRI
    assert timing.after_working_days(CAL, MON, 5) == date(2026, 11, 30)
    assert timing.first_working_day(CAL, THU) == FRI


def test_a_week_long_contest_is_a_calendar_week_a_holiday_shortens():
    assert timing.after_weeks(CAL, TUE, 1) == date(2026, 11, 30)  # Tue → Mon
    assert timing.after_weeks(CAL, FRI, 1) == date(2026, 12, 3)  # Fri → Thu
    # A week whose last day is a holiday ends on the working day before it.
    assert timing.after_weeks(CAL, date(2026, 11, 19), 1) == WED


def test_a_contest_started_on_the_holiday_begins_the_next_working_day():
    assert timing.start_day_for(PROCESS, local(THU, "10:00")) == FRI
    assert timing.start_day_for(PROCESS, local(WED, "17:30")) == FRI


def test_the_midpoint_skips_the_holiday():
    # Wed 13:00 → Fri 17:00: Wed 4 h, (Thu off), Fri 8 h; half of the 12 h is Fri 11:00.
    start = local(WED, "13:00")
    contest = unsaved_contest(WED, FRI, start)
    assert timing.working_midpoint(PROCESS, contest) == local(FRI, "11:00")
