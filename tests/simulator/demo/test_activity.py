"""Which days the demo plays, and which of them is the contest week."""

from datetime import date, timedelta

from simulator.demo.activity import contest_week, working_days


def test_the_contest_week_is_a_full_played_week_whatever_the_day():
    for offset in range(7):  # Mon 16 … Sun 22 Nov 2026
        today = date(2026, 11, 16) + timedelta(days=offset)
        days = working_days(today, 2)
        monday = contest_week(days)
        assert monday is not None and monday.weekday() == 0, today
        assert all(monday + timedelta(days=i) in days for i in range(5)), today
        assert monday + timedelta(days=7) <= days[-1] < monday + timedelta(days=14), today
        assert contest_week(working_days(today, 1)) is None, today
