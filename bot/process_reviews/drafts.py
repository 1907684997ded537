"""What reviews need of the drafts feature (rituals/process_drafts, storage/draft_queries), in
one place: the draft in force for a team, its process, its items and the suggestion checks."""

from __future__ import annotations

import json

from rituals.process import Process, load_process_dict
from rituals.process_drafts import DraftItem, apply_suggestion, check_suggestion, diff, items
from rituals.process_reviews import ALL, PARTS
from storage import draft_queries
from storage.models import ProcessDraft
from storage.unit_of_work import Session

__all__ = [
    "DraftItem",
    "apply_suggestion",
    "check_suggestion",
    "diff",
    "draft_process",
    "open_draft",
    "part_items",
    "save_edit",
]

MAX_OPTIONS = 100  # a Slack static select's options


def open_draft(session: Session, team_id: int) -> ProcessDraft | None:
    return draft_queries.open_draft(session, team_id)


def draft_process(draft: ProcessDraft) -> Process:
    return load_process_dict(json.loads(draft.definition))


def part_items(process: Process, part: str) -> list[DraftItem]:
    """The items a reviewer may point at: the part's, or every part's for a whole-draft round."""
    if part == ALL:
        return [item for each in PARTS for item in items(process, each)][:MAX_OPTIONS]
    return items(process, part)[:MAX_OPTIONS]


def save_edit(session: Session, draft: ProcessDraft, process: Process, **kw) -> bool:
    return draft_queries.save_edit(session, draft, process, **kw)
