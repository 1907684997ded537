"""A draft published from a later day: scheduled, locked, and published by the clock.

`/pacer process publish from DATE` (a later day) checks the draft as a publish today would and
then only schedules it (bot/process_drafts/publish.py): status "scheduled" with the day, its
review rounds closed. A scheduled draft is the team's pending next version: it can't be edited,
reviewed again, or joined by a new draft (uq_draft_open_team covers it) until it is published
or `/pacer process discard` cancels it.

The sweep, run by the clock every minute (bot/delivery/clock.py) and by
`pacer rituals run process-publish [--at ISO]`, publishes each scheduled draft once its day has
begun in the team's timezone: the version is loaded at that day's first instant, so every
period from the day on is judged by it and none before. The claim (scheduled -> published) is
in the same transaction as the stored version, so two clocks never publish it twice; the
announcement goes out after the commit.

What can't be published at all is checked again on the day, because logs and people moved on
since the draft was scheduled: a KPI the draft removes may have been logged meanwhile, a role
it drops given to someone. Then nothing is published; the draft becomes the team's open draft
again, unlocked, and its author and whoever scheduled it are told why, privately."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot import messages
from bot.process_drafts.publish import EFFECTIVE_WORDS, announce, announcement, in_use_and_held
from bot.process_reviews import delivery
from bot.process_reviews.drafts import refuse_if_scheduled
from bot.services import Services
from rituals import dates
from rituals.process_drafts import diff
from rituals.process_drafts.drafts import copied_from, draft_process
from rituals.process_drafts.publish import (
    ReviewState,
    blockers,
    published,
    review_state,
    reviewed_by,
    starts_at,
)
from rituals.teams import admins_of, managers_of, store_process, team_process
from storage import draft_queries, people_queries
from storage.draft_queries import PUBLISHED, SCHEDULED

log = logging.getLogger("pacer.drafts")
AHEAD = timedelta(hours=14)  # the furthest any timezone's date is ahead of UTC's
__all__ = ["refuse_if_scheduled", "sweep"]


def sweep(services: Services, now: datetime, team_id: int | None = None) -> int:
    """Publish the scheduled drafts whose day has begun at ``now``; how many were published."""
    with services.unit_of_work() as session:
        due = [d.id for d in draft_queries.scheduled_due(session, (now + AHEAD).date(), team_id)]
    count = 0
    for draft_id in due:
        try:
            count += _publish_one(services, draft_id, now)
        except Exception:  # one team's trouble must not hold up the others
            log.exception("scheduled publish of draft %s failed; trying again", draft_id)
    return count


def _publish_one(services: Services, draft_id: int, now: datetime) -> int:
    post = None
    with services.unit_of_work() as session:
        row = draft_queries.draft_by_id(session, draft_id)
        team = people_queries.get_team(session, row.team_id) if row is not None else None
        if row is None or team is None or row.status != SCHEDULED:
            return 0
        current, _ = team_process(session, team.id)
        start = starts_at(current.calendar, row.publish_on)
        if now < start:
            return 0
        by = row.closed_by or row.author_id
        draft = draft_process(row)
        in_use, held = in_use_and_held(session, team.id, current)
        day = row.publish_on
        refused = blockers(
            current,
            draft,
            effective=day,
            today=day,
            state=ReviewState(),
            kpis_in_use=in_use,
            roles_held=held,
        ).refused
        if refused:
            if not draft_queries.reopen_scheduled(session, row, at=now):
                return 0
            log.warning("scheduled draft %s not published: %s", row.id, "; ".join(refused))
            people = [p for p in dict.fromkeys((row.author_id, by)) if p != "cli"]
            post = _tell(services, team.workspace_id, people, not_published_text(day, refused))
            published_now = 0
        # The claim: only one sweep turns it from scheduled to published.
        elif draft_queries.close_draft(session, row, PUBLISHED, by=by, at=now, was=SCHEDULED):
            post = _store(services, session, team, row, current, draft, by, start)
            published_now = 1
        else:
            return 0
    if post is not None:  # committed first: nobody is told of what was not stored
        post()
    return published_now


def _store(services: Services, session, team, row, current, draft, by: str, start: datetime):
    """The claimed draft stored as the team's next version; the job announcing it, if any."""
    base = copied_from(session, row)
    version = published(current, draft, row.publish_on, by=by, at=start, base=base)
    changes = diff(current, version)
    stored = store_process(
        session,
        version,
        team=team,
        loaded_by=by,
        change=EFFECTIVE_WORDS.format(day=row.publish_on.isoformat())
        + ("; ".join(changes) or "no change"),
        now=start,
        draft_id=row.id,
    )
    if stored is None:  # another version took the number: roll back, try next minute
        raise RuntimeError("a process version was stored at the same moment")
    draft_queries.set_published_version(session, row, stored.version)
    answers = draft_queries.current_answers(session, row.id)
    state = review_state(answers, draft_queries.reviewers_of(session, [row.id])[row.id])
    managers = set(managers_of(session, team.id)) | set(
        admins_of(session, team.workspace_id, services.settings.admins)
    )
    who = reviewed_by(state.answered, managers)
    text = announcement(version, stored.version, row.publish_on, row.publish_on, changes, who)
    log.info("scheduled draft %s published as version %s", row.id, stored.version)
    slack = services.slack_ids(session, team.workspace_id) if team.channel_id else None
    return announce(services, slack, team.channel_id, text) if slack else None


def _tell(services: Services, workspace_id: int, people: list[str], text: str):
    """The job telling ``people`` privately why the scheduled draft was not published."""
    message = messages.message(text, messages.section(text))

    def post() -> None:
        for person in people:
            delivery.tell(services, workspace_id, person, message)

    return post


def not_published_text(day: date, refused: list[str]) -> str:
    return (
        f"*The process draft scheduled for {dates.long(day)} was not published*: "
        + "; ".join(refused)
        + ".\n\nIt is the team's open draft again, unlocked: `/pacer process draft show` shows "
        "it. Change what stops it, then `/pacer process publish` (or `publish from DATE`); "
        "`/pacer process discard` drops it."
    )
