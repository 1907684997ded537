"""Days away (time_off rows): who is away when; adding, cancelling and listing them.

At most one live row per rep and day (the partial unique index ``uq_time_off_live``): adding a
day already away stores nothing (``INSERT … ON CONFLICT DO NOTHING``), so the same request
delivered twice, or two at once, stores each day once. Cancelling keeps the row, marked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage import config_cache, db
from storage.models import TimeOff
from storage.unit_of_work import Session

_LIVE = text("cancelled_at IS NULL")  # the partial unique index's condition
_KEYS = ["workspace_id", "user_id", "day"]


def days_away(
    session: Session, workspace_id: int, user_ids: Iterable[str], first: date, last: date
) -> dict[str, frozenset[date]]:
    """user -> the days from ``first`` to ``last`` they are away (cancelled ones left out), in
    one statement; a user away on none of them is absent from the result."""
    users = tuple(dict.fromkeys(user_ids))
    if not users:
        return {}
    found = config_cache.cached(
        session,
        ("days away", workspace_id, users, first, last),
        lambda: _days_away(session, workspace_id, users, first, last),
    )
    return dict(found)


def _days_away(
    session: Session, workspace_id: int, users: tuple[str, ...], first: date, last: date
) -> tuple[tuple[str, frozenset[date]], ...]:
    rows = session.exec(
        select(TimeOff.user_id, TimeOff.day).where(
            TimeOff.workspace_id == workspace_id,
            col(TimeOff.user_id).in_(users),
            TimeOff.day >= first,
            TimeOff.day <= last,
            col(TimeOff.cancelled_at).is_(None),
        )
    )
    found: dict[str, set[date]] = {}
    for user_id, day in rows:
        found.setdefault(user_id, set()).add(day)
    return tuple((user, frozenset(days)) for user, days in found.items())


def entries(
    session: Session, workspace_id: int, user_ids: Iterable[str], first: date, last: date
) -> list[TimeOff]:
    """The live rows of these people from ``first`` to ``last``, by person and day."""
    users = list(dict.fromkeys(user_ids))
    if not users:
        return []
    return list(
        session.exec(
            select(TimeOff)
            .where(
                TimeOff.workspace_id == workspace_id,
                col(TimeOff.user_id).in_(users),
                TimeOff.day >= first,
                TimeOff.day <= last,
                col(TimeOff.cancelled_at).is_(None),
            )
            .order_by(TimeOff.user_id, TimeOff.day)
        )
    )


def add_days(
    session: Session,
    workspace_id: int,
    user_id: str,
    days: Iterable[date],
    *,
    note: str,
    entered_by: str,
    now: datetime,
) -> list[date]:
    """Store a live row for each day, skipping the days already away (a concurrent request's
    rows included); the days this call stored, in order."""
    wanted = sorted(set(days))
    if not wanted:
        return []
    values = [
        {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "day": day,
            "note": note,
            "entered_by": entered_by,
            "entered_at": now,
        }
        for day in wanted
    ]
    table = TimeOff.__table__
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(session.get_bind().dialect.name)
    if dialect is not None:
        statement = (
            dialect.insert(table)
            .values(values)
            .on_conflict_do_nothing(index_elements=_KEYS, index_where=_LIVE)
            .returning(table.c.day)
        )
        return sorted(session.execute(statement).scalars())
    stored = []
    for row in values:  # any other database: the unique index decides, a savepoint per day
        try:
            with db.savepoint(session):
                session.add(TimeOff(**row))
        except IntegrityError:
            continue
        stored.append(row["day"])
    return stored


def cancel_days(
    session: Session,
    workspace_id: int,
    user_id: str,
    first: date,
    last: date,
    *,
    cancelled_by: str,
    now: datetime,
) -> list[date]:
    """Mark the live rows from ``first`` to ``last`` cancelled; the days this call cancelled
    (a row another request cancelled first is not counted twice), in order."""
    statement = (
        update(TimeOff)
        .where(
            col(TimeOff.workspace_id) == workspace_id,
            col(TimeOff.user_id) == user_id,
            col(TimeOff.day) >= first,
            col(TimeOff.day) <= last,
            col(TimeOff.cancelled_at).is_(None),
        )
        .values(cancelled_at=now, cancelled_by=cancelled_by)
        .returning(col(TimeOff.day))
    )
    return sorted(session.execute(statement).scalars())
