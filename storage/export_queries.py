"""Reads for taking data out (`pacer export`) and for matching an exported file read back in.
Rows are streamed in id order, a thousand at a time, so a year of a big team never sits in
memory at once."""

from collections.abc import Iterable, Iterator
from datetime import date

from sqlmodel import Session, col, select

from storage.models import ActivityLog, Member, UserProfile

CHUNK = 1000


def logs(
    session: Session,
    workspace_id: int,
    team_ids: list[int] | None,
    start: date | None,
    end: date | None,
    *,
    counted_only: bool,
) -> Iterator[ActivityLog]:
    """A workspace's logs (of some teams), ``occurred_on`` within the bounds (inclusive; None:
    open), oldest day first; voided ones too unless ``counted_only``."""
    query = select(ActivityLog).where(ActivityLog.workspace_id == workspace_id)
    if team_ids is not None:
        query = query.where(col(ActivityLog.team_id).in_(team_ids))
    if start is not None:
        query = query.where(ActivityLog.occurred_on >= start)
    if end is not None:
        query = query.where(ActivityLog.occurred_on <= end)
    if counted_only:
        query = query.where(col(ActivityLog.voided_at).is_(None))
    query = query.order_by(ActivityLog.occurred_on, ActivityLog.id).execution_options(
        yield_per=CHUNK
    )
    yield from session.exec(query)


def logs_by_ids(session: Session, workspace_id: int, ids: Iterable[int]) -> dict[int, ActivityLog]:
    """Logs of the workspace with these ids (an exported `pacer` row names its log)."""
    wanted = sorted(set(ids))
    out: dict[int, ActivityLog] = {}
    for i in range(0, len(wanted), CHUNK):
        rows = session.exec(
            select(ActivityLog).where(
                ActivityLog.workspace_id == workspace_id,
                col(ActivityLog.id).in_(wanted[i : i + CHUNK]),
            )
        )
        out.update({row.id: row for row in rows})
    return out


def workspace_members(session: Session, workspace_id: int) -> list[Member]:
    """Everyone who is or was on a team of the workspace."""
    return list(
        session.exec(select(Member).where(Member.workspace_id == workspace_id).order_by(Member.id))
    )


def workspace_profiles(session: Session, workspace_id: int) -> dict[str, UserProfile]:
    rows = session.exec(select(UserProfile).where(UserProfile.workspace_id == workspace_id))
    return {row.user_id: row for row in rows}
