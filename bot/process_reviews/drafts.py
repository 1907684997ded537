"""What reviews need of the drafts feature (rituals/process_drafts, storage/draft_queries), in
one place: the team's open draft, its process, its items, what changed, and a suggestion
checked, applied and recorded as an edit."""

from __future__ import annotations

from datetime import date

from bot.replies import Problem
from rituals import dates
from rituals.process import Process
from rituals.process_drafts import DraftItem, apply_suggestion, check_suggestion, diff, items
from rituals.process_drafts.drafts import (
    as_published,
    base_of,
    draft_process,
    flattened,
    record_edit,
)
from rituals.process_reviews import ALL, PARTS
from storage import draft_queries
from storage.models import ProcessDraft, SalesTeam
from storage.unit_of_work import Session

__all__ = [
    "DraftItem",
    "apply_suggestion",
    "changes",
    "check_suggestion",
    "draft_process",
    "open_draft",
    "part_items",
    "record_edit",
    "refuse_if_scheduled",
]

MAX_OPTIONS = 100  # a Slack static select's options


def open_draft(session: Session, team_id: int) -> ProcessDraft | None:
    return draft_queries.open_draft(session, team_id)


def refuse_if_scheduled(session: Session, team_id: int, doing: str) -> None:
    """A Problem naming the scheduled publish, when the team's draft waits for its day
    (bot/process_drafts/scheduled.py): it is locked against edits and new review rounds."""
    row = draft_queries.scheduled_draft(session, team_id)
    if row is not None:
        raise Problem(
            f"The draft is scheduled to be published on {dates.long(row.publish_on)} and is "
            f"locked until then, so {doing}. `/pacer process discard` cancels the scheduled "
            "publish (and discards the draft)."
        )


def part_items(process: Process, part: str) -> list[DraftItem]:
    """The items a reviewer may point at: the part's, or every part's for a whole-draft round."""
    if part == ALL:
        return [item for each in PARTS for item in items(process, each)][:MAX_OPTIONS]
    return items(process, part)[:MAX_OPTIONS]


def changes(session: Session, team: SalesTeam, draft: ProcessDraft, today: date) -> list[str]:
    """What the draft changes in the version in force, as the drafts feature words it (the
    version flattened to today's goals, as a draft is)."""
    base, _ = base_of(session, team)
    return diff(flattened(base, today), as_published(session, draft, base))
