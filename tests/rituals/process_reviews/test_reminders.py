"""rituals/process_reviews/reminders.py: a reminder on the due date, on a working day, in
working hours; a due date that is a day off moves it to the next working day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rituals.holiday_rules import HolidayRules
from rituals.pacing import WorkCalendar
from rituals.process_reviews import reminder_due

NY = ZoneInfo("America/New_York")
CAL = WorkCalendar(tz=NY, holidays=HolidayRules(country="US"))


@pytest.mark.parametrize(
    ("local", "due", "expected"),
    [
        (datetime(2026, 11, 24, 8, 59), date(2026, 11, 24), False),  # before the day starts
        (datetime(2026, 11, 24, 9, 0), date(2026, 11, 24), True),
        (datetime(2026, 11, 24, 17, 0), date(2026, 11, 24), False),  # the day has ended
        (datetime(2026, 11, 23, 12, 0), date(2026, 11, 24), False),  # not due yet
        (datetime(2026, 11, 26, 12, 0), date(2026, 11, 26), False),  # Thanksgiving
        (datetime(2026, 11, 27, 10, 0), date(2026, 11, 26), True),  # the next working day
        (datetime(2026, 11, 28, 10, 0), date(2026, 11, 26), False),  # Saturday
    ],
)
def test_reminder_due_on_working_days_in_working_hours(local, due, expected):
    now = local.replace(tzinfo=NY).astimezone(UTC)
    assert reminder_due(CAL, due, now) is expected
    assert reminder_due(CAL, None, now) is False
