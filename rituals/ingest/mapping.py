"""The held queue: items whose owner Pacer could not match, waiting until someone says who the
owner is. Mapping an email or another system's id to a Slack user applies what is queued under
it (each item's dates checked against when it arrived, so waiting costs it nothing) and every
later item with that owner."""

from dataclasses import dataclass
from datetime import datetime

from rituals.dates import aware
from rituals.ingest.items import SLACK_USER_ID, IngestItem, ItemResult, owner_key
from rituals.ingest.upsert import apply
from rituals.tenure import on_team
from storage import ingest_queries as q
from storage.ingest_queries import HeldOwner
from storage.unit_of_work import Session

__all__ = ["HeldOwner", "MappingRefused", "Mapped", "held_queue", "map_owner"]


class MappingRefused(ValueError):
    """A mapping that would not work; the message says why and what to do instead."""


@dataclass(frozen=True)
class Mapped:
    owner: str
    user_id: str
    replaced: str | None  # the user it meant before, if it was mapped already
    results: list[ItemResult]  # the queued items it applied

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for result in self.results:
            out[result.status] = out.get(result.status, 0) + 1
        return out


def held_queue(session: Session, workspace_id: int) -> list[HeldOwner]:
    """One line per unmatched owner, the most items first."""
    return q.held_summary(session, workspace_id)


def map_owner(
    session: Session,
    workspace_id: int,
    owner: str,
    user_id: str,
    by: str,
    now: datetime,
    today=None,
) -> Mapped:
    """Say that ``owner`` (an email or a CRM id) is the Slack user ``user_id``, and apply the
    items held for it (flushed in the caller's unit of work). ``today``: the date a rep must be
    on a team on (default: anyone with a membership and a role)."""
    key = owner_key(owner)
    if not key:
        raise MappingRefused("name the owner to map: the email or id the items were sent with")
    if len(key) > 200:
        raise MappingRefused("that owner is longer than 200 characters: no item can name it")
    found = q.members(session, workspace_id, [user_id, owner.strip()])
    if SLACK_USER_ID.match(owner.strip()) and owner.strip() in found:
        raise MappingRefused(
            f"{owner.strip()} is a Slack user on a team already: items naming it need no mapping"
        )
    member = found.get(user_id)
    if member is None or not member.active or not member.role:
        raise MappingRefused(f"{user_id} is not a rep on a Pacer team: add them first")
    if today is not None and not on_team(member, today):
        raise MappingRefused(f"{user_id} is not on their team today")
    replaced = q.save_alias(session, workspace_id, key, user_id, by, now)
    results: list[ItemResult] = []
    held = q.held_for_owner(session, workspace_id, key)
    # Applied in groups of what entered them the same way (the API, a CSV import…).
    groups: dict[tuple[str, str], list] = {}
    for row in held:
        groups.setdefault((row.via, row.entered_by), []).append(row)
    for (via, entered_by), rows in groups.items():
        items = [
            IngestItem(
                r.source, r.external_id, aware(r.occurred_at), r.owner, r.kpi, r.count, False
            )
            for r in rows
        ]
        received = [aware(r.received_at) for r in rows]
        results += apply(session, workspace_id, items, received, now, via, entered_by)
    # Items that could not count (a KPI not on the rep's scorecard) leave the queue too: their
    # results say why, and no later mapping would change it.
    q.delete_held(session, [row.id for row in held])
    return Mapped(owner.strip(), user_id, replaced if replaced != user_id else None, results)
