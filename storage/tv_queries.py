"""The sales-floor TV's reads and writes: its links (token hashes) and the team's change marker.

The marker is one small query that says whether anything the TV shows may have changed: the
team's logs since a date (how many, the newest id, how many voided: an undo or an edit moves
it), its contests (how many, the newest id, how many settled or stopped) and the config stamp
(roster, names, goals). Served by ix_log_team_date and ix_contest team index."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, true
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, col

from storage import db
from storage.errors import DatabaseUnavailable
from storage.models import ActivityLog, ConfigStamp, Contest, TvLink


def link_by_hash(session: Session, token_hash: str) -> TvLink | None:
    return session.execute(select(TvLink).where(TvLink.token_hash == token_hash)).scalars().first()


def link_reader(engine: Engine) -> Engine:
    """The engine the TV looks its links up with, made once (storage.db.autocommit_reader)."""
    return db.autocommit_reader(engine)


def link_reader_connections(engine: Engine) -> int:
    """The most connections link_reader's engine opens in a process beside ``engine``'s own
    pool: its own pool's on PostgreSQL, none on SQLite (it shares ``engine``'s pool)."""
    reader = link_reader(engine)
    if reader.pool is engine.pool:
        return 0
    try:
        return db.connections_per_process(reader)
    finally:
        reader.dispose()


def team_of_link(reader: Engine, token_hash: str) -> int | None:
    """The team a link opens, or None: one lookup on the unique index uq_tv_link_token. The TV
    asks it on every request, never from a cache, so a revoked link is refused at once by every
    worker and replica. ``reader``: link_reader's."""
    query = select(TvLink.team_id).where(TvLink.token_hash == token_hash)
    for attempt in (1, 2):
        try:
            with reader.connect() as conn:
                return conn.execute(query).scalar()
        except OperationalError as error:
            if attempt == 1 and error.connection_invalidated:
                continue  # a pooled connection the database dropped: once more, on a new one
            raise DatabaseUnavailable(str(error.orig or error)) from error
        except PoolTimeout as error:
            raise DatabaseUnavailable(str(error)) from error
    return None  # not reached


def link_of_team(session: Session, team_id: int) -> TvLink | None:
    return session.execute(select(TvLink).where(TvLink.team_id == team_id)).scalars().first()


def replace_link(
    session: Session, workspace_id: int, team_id: int, token_hash: str, by: str, now: datetime
) -> bool:
    """The team's link is now this one (an old one stops working). False if another request
    made one at the same moment (theirs stands)."""
    old = link_of_team(session, team_id)
    try:
        with db.savepoint(session):  # not begin_nested: pysqlite needs its BEGIN first
            if old is not None:
                session.delete(old)
                session.flush()
            session.add(
                TvLink(
                    workspace_id=workspace_id,
                    team_id=team_id,
                    token_hash=token_hash,
                    created_by=by,
                    created_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def delete_link(session: Session, team_id: int) -> bool:
    old = link_of_team(session, team_id)
    if old is None:
        return False
    session.delete(old)
    session.flush()
    return True


def change_marker(session: Session, team_id: int, since: date) -> tuple:
    """One round trip: what moves when a log, a contest or the team's settings change."""
    logs = select(
        func.count(ActivityLog.id), func.max(ActivityLog.id), func.count(ActivityLog.voided_at)
    ).where(ActivityLog.team_id == team_id, col(ActivityLog.occurred_on) >= since)
    contests = select(
        func.count(Contest.id),
        func.max(Contest.id),
        func.count(Contest.result),
        func.count(Contest.id).filter(Contest.status != "running"),
    ).where(Contest.team_id == team_id)
    stamp = select(ConfigStamp.version).where(ConfigStamp.id == 1).scalar_subquery()
    a, b = logs.subquery(), contests.subquery()
    row = session.execute(  # two one-row aggregates side by side: a join on true
        select(a, b, stamp.label("stamp")).select_from(a.join(b, true()))
    ).first()
    return tuple(row) if row is not None else ()


def recent_logs(session: Session, team_id: int, since: date, limit: int) -> list[ActivityLog]:
    """The team's newest logs that still count, newest first (the TV's ticker)."""
    return list(
        session.execute(
            select(ActivityLog)
            .where(
                ActivityLog.team_id == team_id,
                col(ActivityLog.occurred_on) >= since,
                col(ActivityLog.voided_at).is_(None),
            )
            .order_by(col(ActivityLog.id).desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
