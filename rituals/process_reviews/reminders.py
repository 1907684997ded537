"""When a review's reminder is due: once, to each reviewer who has not answered, on the due date
in the team's calendar — not on a day off (a weekend, a public holiday, a company day off) and not
outside the team's working hours.

Decisions: a due date that is a day off moves the reminder to the next working day (the review
still wants its answers; nobody is reminded on a holiday); a reminder the clock could not send
on the due date (it was down) goes out at the next working moment after it, once. The reminder is
claimed per reviewer before it is sent (storage: ``review_reviewer.reminded_at``), so sweeps,
restarts and two clocks never remind anyone twice."""

from __future__ import annotations

from datetime import date, datetime

from rituals.pacing import WorkCalendar

SWEEP_MINUTES = 30  # how often the clock looks for reminders due (bot/process_reviews)


def reminder_due(cal: WorkCalendar, due_on: date | None, now: datetime) -> bool:
    """Whether a review due on ``due_on`` may remind its reviewers at ``now`` (aware)."""
    if due_on is None:
        return False
    local = cal.local_now(now)
    day, wall = local.date(), local.time().replace(tzinfo=None)
    if day < due_on or not cal.is_working_day(day):
        return False
    return cal.day_start <= wall < cal.day_end
