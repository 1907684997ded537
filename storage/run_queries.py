"""Ritual runs' SQL: the ``ritual_run`` table, unique on (team, kind, period_key).

What a status means and when a run may be claimed, taken over or skipped is rituals/runs.py's;
this module only reads and writes rows. Nothing here commits or rolls back: a race on the unique
key is settled inside the statement (``INSERT … ON CONFLICT DO NOTHING``, or a SAVEPOINT on a
database without it), and a compare-and-set UPDATE that matched nothing changed nothing. The
caller's unit of work commits each step (a claim before anything is posted, a post recorded
before the next one).
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.db import insert_ignoring_duplicates
from storage.models import RitualRun

UNIQUE_KEY = ["team_id", "kind", "period_key"]


def get_run(session: Session, team_id: int, kind: str, period_key: str) -> RitualRun | None:
    """The run of a ritual for a period, as stored now (fresh from the database)."""
    return session.exec(
        select(RitualRun)
        .where(
            RitualRun.team_id == team_id,
            RitualRun.kind == kind,
            RitualRun.period_key == period_key,
        )
        .execution_options(populate_existing=True)
    ).first()


def insert_new(session: Session, row: RitualRun) -> bool:
    """Insert ``row`` unless its (team, kind, period) is taken; True when this call inserted it.
    The row object itself is not added to the session: read the stored row with get_run."""
    values = {c.name: getattr(row, c.name) for c in RitualRun.__table__.columns if c.name != "id"}
    statement = insert_ignoring_duplicates(session, RitualRun.__table__, UNIQUE_KEY)
    if statement is not None:  # RETURNING says whether it was inserted (rowcount may be -1)
        inserted = session.exec(statement.values(**values).returning(RitualRun.id))
        return inserted.first() is not None
    try:  # any other database: the duplicate is rolled back to a savepoint, nothing else
        with session.begin_nested():
            session.exec(insert(RitualRun).values(**values))
        return True
    except IntegrityError:
        return False


def detached(session: Session, row: RitualRun) -> RitualRun:
    """``row`` out of the session: what a claim holds (its ``attempts`` is the claim's fence)
    must not be refreshed by a later load, commit or rollback."""
    session.expunge(row)
    return row


def update_if_unchanged(session: Session, row: RitualRun, **values) -> bool:
    """Compare-and-set: update the run only while its status, attempts and claimed_at are still
    those of ``row`` as read; False (nothing changed) when another writer got there first."""
    result = session.exec(
        update(RitualRun)
        .where(
            RitualRun.id == row.id,
            RitualRun.status == row.status,
            RitualRun.attempts == row.attempts,
            RitualRun.claimed_at == row.claimed_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def update_if(
    session: Session, run_id: int, *, while_status: str, while_attempts: int, values: dict
) -> bool:
    """Update the run with ``values`` only while it has this status and attempt number (a
    claim's fence); False when it does not (nothing changed)."""
    result = session.exec(
        update(RitualRun)
        .where(
            RitualRun.id == run_id,
            RitualRun.status == while_status,
            RitualRun.attempts == while_attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def newest_of_each_kind(session: Session, team_id: int) -> list[RitualRun]:
    """The newest run of each kind for a team (by due time, then id), in no particular order."""
    ranked = (
        select(
            RitualRun.id,
            func.row_number()
            .over(
                partition_by=RitualRun.kind,
                order_by=(col(RitualRun.due_at).desc(), col(RitualRun.id).desc()),
            )
            .label("rank"),
        )
        .where(RitualRun.team_id == team_id)
        .subquery()
    )
    return list(
        session.exec(
            select(RitualRun)
            .join(ranked, ranked.c.id == RitualRun.id)
            .where(ranked.c.rank == 1)
            .execution_options(populate_existing=True)
        ).all()
    )


def in_status_or_stale(
    session: Session,
    *,
    statuses: Iterable[str],
    stale_status: str,
    stale_before: datetime,
    below_attempts: int,
    team_id: int | None = None,
) -> list[RitualRun]:
    """Runs with attempts below ``below_attempts`` that are in ``statuses``, or in
    ``stale_status`` since before ``stale_before``; oldest due first."""
    query = select(RitualRun).where(
        RitualRun.attempts < below_attempts,
        col(RitualRun.status).in_(tuple(statuses))
        | ((RitualRun.status == stale_status) & (RitualRun.claimed_at <= stale_before)),
    )
    if team_id is not None:
        query = query.where(RitualRun.team_id == team_id)
    return list(
        session.exec(
            query.order_by(RitualRun.due_at, RitualRun.id).execution_options(populate_existing=True)
        )
    )


def keys_due_since(
    session: Session,
    team_id: int,
    since: datetime,
    *,
    statuses: Iterable[str],
    or_status: str,
    at_attempts: int,
) -> set[tuple[str, str]]:
    """(kind, period_key) of the team's runs due since ``since`` that are in ``statuses``, or in
    ``or_status`` with at least ``at_attempts`` attempts."""
    rows = session.exec(
        select(RitualRun.kind, RitualRun.period_key).where(
            RitualRun.team_id == team_id,
            RitualRun.due_at >= since,
            col(RitualRun.status).in_(tuple(statuses))
            | ((RitualRun.status == or_status) & (RitualRun.attempts >= at_attempts)),
        )
    )
    return {(kind, key) for kind, key in rows}


def period_keys_taken(session: Session, team_id: int, kind: str, keys: list[str]) -> set[str]:
    """Which of these period keys of ``kind`` have a run for the team (one query)."""
    if not keys:
        return set()
    rows = session.exec(
        select(RitualRun.period_key).where(
            RitualRun.team_id == team_id,
            RitualRun.kind == kind,
            col(RitualRun.period_key).in_(keys),
        )
    )
    return set(rows)


def delete_due_before(
    session: Session, *, kind: str, key_suffix: str, before: datetime, statuses: Iterable[str]
) -> int:
    """Delete the runs of ``kind`` whose period key ends with ``key_suffix``, due before
    ``before``, in one of ``statuses``; how many."""
    result = session.exec(
        delete(RitualRun).where(
            RitualRun.kind == kind,
            col(RitualRun.period_key).endswith(key_suffix),
            RitualRun.due_at < before,
            col(RitualRun.status).in_(tuple(statuses)),
        )
    )
    return result.rowcount or 0


def newest_message_ts(
    session: Session, team_id: int, channel_id: str, finished_by: datetime, other_than: int
) -> str | None:
    """The newest ``message_ts`` recorded by the team's runs in ``channel_id`` that finished by
    ``finished_by``, other than run ``other_than`` (Slack's ts are fixed-width, so the greatest
    string is the newest)."""
    return session.exec(
        select(func.max(RitualRun.message_ts)).where(
            RitualRun.team_id == team_id,
            RitualRun.channel_id == channel_id,
            col(RitualRun.message_ts).is_not(None),
            RitualRun.finished_at <= finished_by,
            RitualRun.id != other_than,
        )
    ).first()
