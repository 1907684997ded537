"""rituals/process_reviews: a part in plain words, the tally, and when a reminder is due."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rituals.holiday_rules import HolidayRules
from rituals.pacing import WorkCalendar
from rituals.process import default_process
from rituals.process_reviews import Answer, part_lines, reminder_due, tally


def test_the_journey_is_a_numbered_list_with_activity_and_kpis():
    lines = part_lines(default_process(), "journey")
    assert lines[0] == "1. Receives Call/Email — Call Lead, counted by Calls / Emails (leading)"
    assert lines[5] == "6. Purchase — Close Deal, counted by Deals Closed (lagging)"
    assert len(lines) == 6


def test_scorecards_and_all_parts():
    lines = part_lines(default_process(), "scorecards")
    assert lines[0].startswith("Sales Development Rep: Calls / Emails 60/day, Conversations 12/day")
    assert lines[0].endswith("(3 leading + 1 lagging)")
    everything = part_lines(default_process(), "all")
    assert everything[0] == "The buyer's journey:" and "The scorecards and goals:" in everything
    with pytest.raises(ValueError):
        part_lines(default_process(), "goals")


def test_tally_counts_the_last_answer_of_each_person():
    answers = [
        Answer(1, "A", "suggest", "stage:x", "New name", "clearer"),
        Answer(2, "A", "approve", status="open"),
        Answer(3, "B", "suggest", "stage:x", "Other", ""),
        Answer(4, "C", "suggest", "stage:gone", "Y", ""),
        Answer(5, "D", "suggest", "stage:y", "Z", "", status="dismissed"),
    ]
    # answer 1 was superseded in storage; the tally also keeps only the newest per person
    t = tally(["A", "B", "C", "D", "E", "F"], answers, [("stage:x", "X"), ("stage:y", "Y")])
    assert t.answered_text() == "4 of 6 answered"
    assert t.owing == ("E", "F") and t.approved_by == ("A",)
    assert [(i.ref, i.approvals, [a.reviewer for a in i.suggestions]) for i in t.items] == [
        ("stage:x", 1, ["B"]),
        ("stage:y", 1, []),
        ("stage:gone", 1, ["C"]),
    ]
    assert {a.id for a in t.open_suggestions} == {3, 4}


def test_an_answer_of_someone_not_asked_is_not_counted():
    t = tally(["A"], [Answer(1, "Z", "approve")])
    assert t.answered_text() == "0 of 1 answered" and t.owing == ("A",)


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
