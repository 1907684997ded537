"""Process versions: every change to a team's process is a new, numbered version; a period
is judged by the version in force then."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import config_cache, db
from storage.models import ProcessVersion


def latest_process_version(session: Session, team_id: int | None) -> ProcessVersion | None:
    """The team's newest version, else the newest install-wide version, else None (one query,
    cached: storage/config_cache.py)."""
    rows = config_cache.cached_rows(
        session,
        ("process", team_id),
        ProcessVersion,
        lambda: list(session.exec(_latest(team_id))),
    )
    return rows[0] if rows else None


def latest_definition(session: Session, team_id: int | None) -> tuple[int, str] | None:
    """(id, definition) of ``latest_process_version``: what every request needs of it, cached
    as a plain tuple (no row to copy into the session: the ack path reads it on every log)."""

    def load() -> tuple[int, str] | None:
        row = session.exec(_latest(team_id)).first()
        return (row.id, row.definition) if row is not None else None

    return config_cache.cached(session, ("process definition", team_id), load)


def _latest(team_id: int | None):
    # Built only on a cache miss: building a statement costs more than the cache lookup.
    install_wide = col(ProcessVersion.team_id).is_(None)
    scope = install_wide if team_id is None else (ProcessVersion.team_id == team_id) | install_wide
    return (
        select(ProcessVersion)
        .where(scope)
        .order_by(install_wide, col(ProcessVersion.version).desc())  # the team's own first
        .limit(1)
    )


def process_version_at(session: Session, team_id: int, instant: datetime) -> ProcessVersion | None:
    """The version in effect at an instant: the newest loaded by then (the team's own first)."""
    install_wide = col(ProcessVersion.team_id).is_(None)
    return session.exec(
        select(ProcessVersion)
        .where(
            (ProcessVersion.team_id == team_id) | install_wide, ProcessVersion.loaded_at <= instant
        )
        .order_by(install_wide, col(ProcessVersion.version).desc())
        .limit(1)
    ).first()


def team_version(session: Session, team_id: int, number: int) -> ProcessVersion | None:
    """The team's own version ``number``."""
    query = select(ProcessVersion).where(
        ProcessVersion.team_id == team_id, ProcessVersion.version == number
    )
    return session.exec(query).first()


def process_versions(session: Session, team_id: int | None) -> list[ProcessVersion]:
    condition = (
        ProcessVersion.team_id == team_id
        if team_id is not None
        else col(ProcessVersion.team_id).is_(None)
    )
    return list(
        session.exec(select(ProcessVersion).where(condition).order_by(ProcessVersion.version))
    )


NEWEST = object()  # add_process_version(after=NEWEST): number after whatever is newest


def add_process_version(
    session: Session, version: ProcessVersion, after=NEWEST
) -> ProcessVersion | None:
    """Store a new version in its scope (a team, or install-wide). With ``after`` — the version
    number it was derived from, None for none — it is stored only if that is still the newest;
    None comes back when another change got there first, so the caller derives again."""
    condition = (
        ProcessVersion.team_id == version.team_id
        if version.team_id is not None
        else col(ProcessVersion.team_id).is_(None)
    )
    newest = session.exec(select(func.max(ProcessVersion.version)).where(condition)).one() or 0
    if after is not NEWEST and newest != (after or 0):
        return None
    version.version = newest + 1
    try:
        with db.savepoint(session):  # flushed; the caller's unit of work commits it
            session.add(version)
    except IntegrityError:  # the same number, taken a moment ago
        return None
    return version
