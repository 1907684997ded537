"""The clock's heartbeat: each `pacer clock` process stamps its row every minute (bot/delivery/
clock.py), and `pacer doctor` reads them to tell a stopped clock, or two running, from one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col, select

from storage import db
from storage.models import ClockHeartbeat
from storage.unit_of_work import Session

# Rows of clocks silent for this long are deleted by the next beat of any clock: a restarted
# clock (a new pid) leaves its old row behind, and doctor only cares about recent ones.
RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class Beat:
    owner: str
    started_at: datetime
    beat_at: datetime


def beat(session: Session, owner: str, started_at: datetime, now: datetime) -> None:
    """This clock is alive at ``now``: its row is stamped (created on its first beat)."""
    stamped = session.execute(
        update(ClockHeartbeat).where(col(ClockHeartbeat.owner) == owner).values(beat_at=now)
    )
    if stamped.rowcount == 0:
        insert = db.insert_ignoring_duplicates(session, ClockHeartbeat.__table__, ["owner"])
        values = {"owner": owner, "started_at": started_at, "beat_at": now}
        if insert is None:
            session.add(ClockHeartbeat(**values))
        else:
            session.execute(insert.values(**values))
    session.execute(delete(ClockHeartbeat).where(col(ClockHeartbeat.beat_at) < now - RETENTION))
    session.flush()


def beats(session: Session) -> list[Beat]:
    """Every clock's last beat, newest first (times as timezone-aware UTC)."""
    rows = session.exec(select(ClockHeartbeat).order_by(col(ClockHeartbeat.beat_at).desc())).all()
    return [Beat(r.owner, _utc(r.started_at), _utc(r.beat_at)) for r in rows]


def _utc(instant: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written as UTC."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
