"""The review reminder: once, to each reviewer who has not answered, on the round's due date,
inside the team's working hours and not on a day off (rituals/process_reviews/reminders.py).

A sweep, run by the clock every minute (bot/delivery/clock.py) and by
`pacer rituals run review-reminder [--at ISO]`: one query finds who is owed a reminder; each is
claimed (``review_reviewer.reminded_at``) and committed before any message goes out, so a crash
may lose a reminder, never send two, whatever runs the sweep and however often."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.process_reviews import delivery, views
from bot.process_reviews.common import thread_owner
from bot.process_reviews.drafts import changes, draft_process
from bot.services import Services
from rituals.process_reviews import part_lines, reminder_due
from rituals.teams import team_process
from storage import draft_queries, review_queries

log = logging.getLogger("pacer.reviews")
AHEAD = timedelta(hours=14)  # the furthest any timezone's date is ahead of UTC's


def sweep(services: Services, now: datetime, team_id: int | None = None) -> int:
    """Send the reminders due at ``now`` (``team_id``: that team's only); how many were sent."""
    sends: list[tuple[int, str, dict]] = []  # (workspace, reviewer, message)
    owners: dict[int, tuple[str, object]] = {}  # round -> (thread owner, due date)
    reminded: dict[int, list[str]] = {}
    with services.unit_of_work() as session:
        owed = review_queries.reminders_owed(session, (now + AHEAD).date(), team_id)
        calendars: dict[int, object] = {}
        built: dict[int, dict] = {}
        for o in owed:
            if o.team.id not in calendars:
                calendars[o.team.id] = team_process(session, o.team.id)[0].calendar
            cal = calendars[o.team.id]
            if not reminder_due(cal, o.review.due_on, now):
                continue
            if not review_queries.claim_reminder(session, o.reviewer.id, now):
                continue
            review_queries.mark_round_reminded(session, o.review.id, now)
            if o.review.id not in built:
                draft = draft_queries.draft_by_id(session, o.review.draft_id)
                process = draft_process(draft)
                built[o.review.id] = views.request_message(
                    review_id=o.review.id,
                    author_id=thread_owner(draft, o.review),
                    draft_name=draft.name,
                    part=o.review.part,
                    lines=part_lines(process, o.review.part),
                    changes=changes(session, o.team, draft, cal.local_date(now)),
                    due_on=o.review.due_on,
                    reminder=True,
                )
                owners[o.review.id] = (thread_owner(draft, o.review), o.review.due_on)
            sends.append((o.review.workspace_id, o.reviewer.user_id, built[o.review.id]))
            reminded.setdefault(o.review.id, []).append(o.reviewer.user_id)
    for workspace_id, user_id, message in sends:  # claimed and committed: at most once each
        delivery.tell(services, workspace_id, user_id, message)
    for review_id, users in reminded.items():
        owner, due_on = owners[review_id]
        delivery.tell_author(services, review_id, owner, views.reminded_message(users, due_on))
    if sends:
        log.info("review reminders sent=%d", len(sends))
    return len(sends)
