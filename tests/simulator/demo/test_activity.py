"""Which days the demo plays, and which of them is the contest week."""

from datetime import date, timedelta

from simulator.demo.activity import contest_week, working_days


def test_the_contest_week_is_a_played_week_whatever_the_day():
    for offset in range(7):  # Mon 16 … Sun 22 Nov 2026
        today = date(2026, 11, 16) + timedelta(days=offset)
        days = working_days(today, 2)
        monday = contest_week(days)
        assert monday is not None and monday.weekday() == 0, today
        # Mon 9 – Fri 13 Nov: every weekday played but Wednesday, Veterans Day
        week = [monday + timedelta(days=i) for i in range(5)]
        assert [d in days for d in week] == [True, True, False, True, True], today
        assert monday + timedelta(days=7) <= days[-1] < monday + timedelta(days=14), today
        assert contest_week(working_days(today, 1)) is None, today


def test_the_days_played_are_the_calendars_working_days():
    days = working_days(date(2026, 11, 27), 2)  # Fri 27 Nov, the day after Thanksgiving
    assert days[0] == date(2026, 11, 16) and days[-1] == date(2026, 11, 27)
    assert date(2026, 11, 26) not in days and len(days) == 9
    assert working_days(date(2026, 11, 26), 1)[-1] == date(2026, 11, 25)  # on the holiday
