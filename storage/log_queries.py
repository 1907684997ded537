"""Activity logs: writing them exactly once, undo and voids, and every read of them.
Aggregates are computed in SQL; callers pass the session and the time.

Team-wide reads for digests and leaderboards: one GROUP BY for a whole team, never one query
per rep. Every total counts only logs that were not voided; dates are the reps' local dates as
stored (``occurred_on``), bounds inclusive.

A team's reps are passed as a list of Slack user IDs and matched with ``rep_id IN (...)``, which
the ``(workspace_id, rep_id, occurred_on)`` index serves. Lists longer than ``MAX_IN`` (far more
people than a sales team has) are split into several queries so no database's limit on bound
parameters is ever reached."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum

from sqlalchemy import delete, func, literal_column, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import db
from storage.models import ActivityLog, LogUndo


def insert_logs(session: Session, rows: list[ActivityLog]) -> bool:
    """Store one batch atomically (not committed: the caller's unit of work commits). False, and
    nothing of the batch stored, when Slack's trigger_id was already stored (the same request
    delivered twice is counted once); the caller's transaction goes on. A row refused for
    another reason (a foreign key) raises IntegrityError, and the unit of work rolls back.

    One statement, the acknowledgement's only write: ``INSERT … ON CONFLICT DO NOTHING
    RETURNING``, no savepoint around it (on SQLite the savepoint also took the write lock for
    the whole request). A batch that collides only in part (never a Slack retry, which repeats
    the whole batch) has its inserted rows deleted again in the same transaction."""
    kpis = [r.kpi for r in rows]
    insert = _LOG_INSERTS.get(session.get_bind().dialect.name)
    if insert is None or len(set(kpis)) != len(kpis):  # rows are told apart by KPI below
        return _insert_logs_orm(session, rows)
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the unit of work holds goes first, as an ORM add would
    values = _values(rows)  # one row (the usual log): one execute, not an executemany
    found = session.connection().execute(insert, values[0] if len(values) == 1 else values)
    stored = {kpi: log_id for log_id, kpi in found}
    if len(stored) < len(rows):
        if stored:
            session.connection().execute(
                delete(ActivityLog).where(col(ActivityLog.id).in_(list(stored.values())))
            )
        return False
    for row in rows:
        row.id = stored[row.kpi]
    return True


def _insert_logs_orm(session: Session, rows: list[ActivityLog]) -> bool:
    """The same through the ORM inside a savepoint: a batch with one KPI twice (an import), or
    a database without ON CONFLICT."""
    try:
        with db.savepoint(session):
            session.add_all(rows)
    except IntegrityError:
        return False
    return True


_COLUMNS = tuple(c.name for c in ActivityLog.__table__.columns if c.name != "id")  # type: ignore[attr-defined]


def _values(rows: list[ActivityLog]) -> list[dict]:
    return [{c: getattr(row, c) for c in _COLUMNS} for row in rows]


def _log_insert(insert):
    # Built once per process: only the rows' values change from one log to the next.
    table = ActivityLog.__table__  # type: ignore[attr-defined]
    return insert(table).on_conflict_do_nothing().returning(table.c.id, table.c.kpi)


_LOG_INSERTS = {"sqlite": _log_insert(sqlite_insert), "postgresql": _log_insert(pg_insert)}


def logs_by_trigger(session: Session, workspace_id: int, trigger_id: str) -> list[ActivityLog]:
    return list(
        session.exec(
            select(ActivityLog)
            .where(ActivityLog.workspace_id == workspace_id, ActivityLog.trigger_id == trigger_id)
            .order_by(ActivityLog.id)
        )
    )


def last_batch(session: Session, workspace_id: int, entered_by: str) -> list[ActivityLog]:
    """The newest batch this person entered that is not voided yet."""
    newest = session.exec(
        select(ActivityLog.batch_id)
        .where(
            ActivityLog.workspace_id == workspace_id,
            ActivityLog.entered_by == entered_by,
            col(ActivityLog.voided_at).is_(None),
        )
        .order_by(col(ActivityLog.created_at).desc(), col(ActivityLog.id).desc())
    ).first()
    if newest is None:
        return []
    return list(
        session.exec(
            select(ActivityLog).where(ActivityLog.batch_id == newest).order_by(ActivityLog.id)
        )
    )


def undo_by_trigger(session: Session, workspace_id: int, trigger_id: str) -> list[ActivityLog]:
    """The rows an earlier delivery of the same `/log undo` voided (empty if none)."""
    return list(
        session.exec(
            select(ActivityLog)
            .join(LogUndo, LogUndo.batch_id == ActivityLog.batch_id)
            .where(LogUndo.workspace_id == workspace_id, LogUndo.trigger_id == trigger_id)
            .order_by(ActivityLog.id)
        )
    )


class _NothingVoided(Exception):
    """A concurrent undo voided the batch first."""


def void_batch(
    session: Session,
    batch_id: str,
    voided_by: str,
    now: datetime,
    *,
    workspace_id: int | None = None,
    trigger_id: str | None = None,
) -> int:
    """Void every row of a batch that is still counted, and record the undo under Slack's
    trigger_id, together (flushed, not committed). Returns how many rows this call voided: 0, and
    nothing written, when a concurrent undo got there first, or when this very request was
    already handled (trigger_id taken)."""
    try:
        with db.savepoint(session):
            if trigger_id and workspace_id is not None:
                session.add(
                    LogUndo(
                        workspace_id=workspace_id,
                        trigger_id=trigger_id,
                        batch_id=batch_id,
                        undone_by=voided_by,
                        undone_at=now,
                    )
                )
            voided = session.exec(
                update(ActivityLog)
                .where(ActivityLog.batch_id == batch_id, col(ActivityLog.voided_at).is_(None))
                .values(voided_at=now, voided_by=voided_by)
            ).rowcount
            if voided == 0:
                raise _NothingVoided  # undoes the recorded undo with the savepoint
            # Undoing a correction brings back the log it replaced, in the same transaction: an
            # edit then an undo leaves what was there before, never nothing.
            replaced = select(ActivityLog.replaces_id).where(
                ActivityLog.batch_id == batch_id, col(ActivityLog.replaces_id).is_not(None)
            )
            session.exec(
                update(ActivityLog)
                .where(col(ActivityLog.id).in_(replaced), col(ActivityLog.voided_at).is_not(None))
                .values(voided_at=None, voided_by=None)
            )
    except (IntegrityError, _NothingVoided):
        return 0
    return voided


def recent_logs(
    session: Session, workspace_id: int, entered_by: str, limit: int
) -> list[ActivityLog]:
    """The newest logs this person entered (for themselves or others) that still count, newest
    first. One query, served by the (workspace_id, entered_by, created_at) index."""
    return list(
        session.exec(
            select(ActivityLog)
            .where(
                ActivityLog.workspace_id == workspace_id,
                ActivityLog.entered_by == entered_by,
                col(ActivityLog.voided_at).is_(None),
            )
            .order_by(col(ActivityLog.created_at).desc(), col(ActivityLog.id).desc())
            .limit(limit)
        )
    )


def get_log(session: Session, log_id: int) -> ActivityLog | None:
    return session.get(ActivityLog, log_id)


def _void_row(session: Session, row: ActivityLog, by: str, now: datetime) -> bool:
    """Mark one row voided if it still counts (compare-and-set)."""
    result = session.exec(
        update(ActivityLog)
        .where(ActivityLog.id == row.id, col(ActivityLog.voided_at).is_(None))
        .values(voided_at=now, voided_by=by)
    )
    return result.rowcount == 1


def void_log(session: Session, row: ActivityLog, voided_by: str, now: datetime) -> bool:
    """Void one log if it still counts (flushed, not committed). False when someone voided it
    first; either way ``row`` is read again, so it says who voided it and when."""
    voided = _void_row(session, row, voided_by, now)
    session.refresh(row)
    return voided


class Replaced(Enum):
    """What ``replace_log`` did."""

    DONE = "done"
    VOIDED_BEFORE = "voided before"  # someone voided the old row first: nothing written
    KEY_TAKEN = "key taken"  # the new row's trigger_id is stored already: nothing written


def replace_log(
    session: Session, row: ActivityLog, new: ActivityLog, voided_by: str, now: datetime
) -> Replaced:
    """Void ``row`` and store ``new`` in its place, together or not at all (flushed, not
    committed). ``row`` is read again afterwards, whatever happened."""
    try:
        with db.savepoint(session):
            if not _void_row(session, row, voided_by, now):
                raise _NothingVoided
            session.add(new)
    except _NothingVoided:
        outcome = Replaced.VOIDED_BEFORE
    except IntegrityError:
        outcome = Replaced.KEY_TAKEN
    else:
        outcome = Replaced.DONE
    session.refresh(row)
    return outcome


def kpi_totals(
    session: Session, workspace_id: int, rep_id: str, start: date, end: date
) -> dict[str, int]:
    """Counted (not voided) totals per KPI for one rep between two dates, inclusive."""
    rows = session.exec(
        select(ActivityLog.kpi, func.sum(ActivityLog.count))
        .where(
            ActivityLog.workspace_id == workspace_id,
            ActivityLog.rep_id == rep_id,
            ActivityLog.occurred_on >= start,
            ActivityLog.occurred_on <= end,
            col(ActivityLog.voided_at).is_(None),
        )
        .group_by(ActivityLog.kpi)
    )
    return {kpi: int(total) for kpi, total in rows}


def kpi_daily_totals(
    session: Session, workspace_id: int, rep_id: str, start: date, end: date
) -> dict[tuple[str, date], int]:
    """Counted totals per (KPI, date) for one rep: one query serves several periods at once
    (today and this week, for the reply to a log)."""
    rows = session.exec(
        select(ActivityLog.kpi, ActivityLog.occurred_on, func.sum(ActivityLog.count))
        .where(
            ActivityLog.workspace_id == workspace_id,
            ActivityLog.rep_id == rep_id,
            ActivityLog.occurred_on >= start,
            ActivityLog.occurred_on <= end,
            col(ActivityLog.voided_at).is_(None),
        )
        .group_by(ActivityLog.kpi, ActivityLog.occurred_on)
    )
    return {(kpi, day): int(total) for kpi, day, total in rows}


def logs_for(
    session: Session, workspace_id: int, rep_id: str, kpi: str | None, start: date, end: date
) -> list[ActivityLog]:
    """Every log (voided ones too) behind a number, oldest first."""
    query = select(ActivityLog).where(
        ActivityLog.workspace_id == workspace_id,
        ActivityLog.rep_id == rep_id,
        ActivityLog.occurred_on >= start,
        ActivityLog.occurred_on <= end,
    )
    if kpi is not None:
        query = query.where(ActivityLog.kpi == kpi)
    return list(
        session.exec(
            query.order_by(ActivityLog.occurred_on, ActivityLog.created_at, ActivityLog.id)
        )
    )


def count_logs(session: Session, workspace_id: int | None = None) -> int:
    query = select(func.count()).select_from(ActivityLog)
    if workspace_id is not None:
        query = query.where(ActivityLog.workspace_id == workspace_id)
    return session.exec(query).one()


# Bound parameters in the IN lists of one statement: well under SQLite's 32,766 and
# PostgreSQL's 65,535.
MAX_IN = 5000


def _chunks(rep_ids: Iterable[str], per_chunk: int | None = None) -> Iterator[list[str]]:
    ids = sorted(set(rep_ids))
    per_chunk = per_chunk or MAX_IN
    for i in range(0, len(ids), per_chunk):
        yield ids[i : i + per_chunk]


def _run(session: Session, query):
    """Rows of plain values through the session's connection: no ORM objects are loaded, which
    saves about a millisecond per thousand rows."""
    return session.connection().execute(query)


def _counted(workspace_id: int, rep_ids: list[str], start: date, end: date) -> list:
    return [
        ActivityLog.workspace_id == workspace_id,
        col(ActivityLog.rep_id).in_(rep_ids),
        ActivityLog.occurred_on >= start,
        ActivityLog.occurred_on <= end,
        col(ActivityLog.voided_at).is_(None),
    ]


def team_totals(
    session: Session, workspace_id: int, rep_ids: Iterable[str], start: date, end: date
) -> dict[str, dict[str, int]]:
    """rep -> KPI -> counted total between two dates. A rep with no counted log is absent."""
    out: dict[str, dict[str, int]] = {}
    for ids in _chunks(rep_ids):
        rows = _run(
            session,
            select(ActivityLog.rep_id, ActivityLog.kpi, func.sum(ActivityLog.count))
            .where(*_counted(workspace_id, ids, start, end))
            .group_by(ActivityLog.rep_id, ActivityLog.kpi),
        )
        for rep, kpi, total in rows:
            out.setdefault(rep, {})[kpi] = int(total)
    return out


def team_daily_totals(
    session: Session, workspace_id: int, rep_ids: Iterable[str], start: date, end: date
) -> dict[tuple[str, str, date], int]:
    """(rep, KPI, date) -> counted total, for day-by-day trends."""
    out: dict[tuple[str, str, date], int] = {}
    for ids in _chunks(rep_ids):
        rows = _run(
            session,
            select(
                ActivityLog.rep_id,
                ActivityLog.kpi,
                ActivityLog.occurred_on,
                func.sum(ActivityLog.count),
            )
            .where(*_counted(workspace_id, ids, start, end))
            .group_by(ActivityLog.rep_id, ActivityLog.kpi, ActivityLog.occurred_on),
        )
        for rep, kpi, day, total in rows:
            out[(rep, kpi, day)] = int(total)
    return out


def team_period_totals(
    session: Session,
    workspace_id: int,
    rep_ids: Iterable[str],
    ranges: Sequence[tuple[date, date]],
) -> list[dict[str, dict[str, int]]]:
    """Several periods' ``team_totals`` in one statement: one GROUP BY per period, joined with
    UNION ALL and tagged with the period's index. Returns one rep -> KPI -> total mapping per
    range, in the order given; ranges may overlap (a log then counts in each).

    One plain GROUP BY per period rather than a CASE bucket over the whole span: each part is
    the indexed query ``team_totals`` runs, and grouping a few small sets is cheaper than one
    big one (SQLite groups by sorting)."""
    ranges = list(ranges)
    for start, end in ranges:
        if end < start:
            raise ValueError(f"range end {end} is before start {start}")
    out: list[dict[str, dict[str, int]]] = [{} for _ in ranges]
    if not ranges:
        return out
    for ids in _chunks(rep_ids, per_chunk=max(1, MAX_IN // len(ranges))):
        parts = [
            select(
                literal_column(str(index)).label("period"),
                ActivityLog.rep_id,
                ActivityLog.kpi,
                func.sum(ActivityLog.count).label("total"),
            )
            .where(*_counted(workspace_id, ids, start, end))
            .group_by(ActivityLog.rep_id, ActivityLog.kpi)
            for index, (start, end) in enumerate(ranges)
        ]
        query = parts[0] if len(parts) == 1 else union_all(*parts)
        for index, rep, kpi, total in _run(session, query):
            out[int(index)].setdefault(rep, {})[kpi] = int(total)
    return out


def reps_with_logs_on(
    session: Session, workspace_id: int, rep_ids: Iterable[str], day: date
) -> set[str]:
    """The reps among ``rep_ids`` with at least one counted log on ``day``."""
    found: set[str] = set()
    for ids in _chunks(rep_ids):
        found.update(
            _run(
                session,
                select(ActivityLog.rep_id).where(*_counted(workspace_id, ids, day, day)).distinct(),
            ).scalars()
        )
    return found
