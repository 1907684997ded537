"""Reads and writes for contests (issue 4). Counting is one statement per standings: the
contest's entrants LEFT JOIN the logs that counted at an instant, GROUP BY entrant.

A log counts for a contest as of instant T when its KPI is the contest's, its rep is an entrant,
it happened on a day of the window (``occurred_on`` between ``start_day`` and ``end_day``), it
was stored by T (``created_at <= T``) and it was not voided by T (``voided_at`` is NULL or later
than T). So the standings of any past moment can be rebuilt exactly, and a result frozen at its
settle time is the same whenever it is computed.

Every function works inside the caller's transaction: it flushes (to get an id, or to see a
unique key) and never commits or rolls back; the unit of work does (storage/unit_of_work.py).
Writes that race settle the race here without ending that transaction: compare-and-set UPDATEs
whose row count says who won (freezing a result, ending a contest, deciding a lag suggestion),
and ``INSERT … ON CONFLICT DO NOTHING`` on a unique key (a contest's start key, a lag
suggestion's team, KPI and week), so the first one wins and the others see it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import db
from storage.models import ActivityLog, Contest, ContestEntrant, LagSuggestion

RUNNING, ENDED, CANCELLED = "running", "ended", "cancelled"
OPEN, LAUNCHED, DISMISSED = "open", "launched", "dismissed"  # a lag suggestion's status
# What store_contest did: stored it; found the one its start key already started; stored
# nothing because the lag suggestion was no longer open, because another running contest of the
# team has that name (started at the same instant), or because the key was taken by a contest
# it cannot read.
CREATED, DUPLICATE, SUGGESTION_TAKEN, NAME_TAKEN, NOT_STORED = (
    "created",
    "duplicate",
    "suggestion-taken",
    "name-taken",
    "not-stored",
)


@dataclass(frozen=True)
class EntrantCount:
    user_id: str
    group_name: str
    total: int


@dataclass(frozen=True)
class LateChange:
    """A log that changed a contest's numbers after its result was frozen at ``as_of``."""

    log_id: int
    rep_id: str
    count: int
    change: str  # "voided": counted in the result, voided since | "added": stored since
    at: datetime  # when it was voided or stored


def _run(session: Session, query):
    return session.connection().execute(query)


# -- contests ---------------------------------------------------------------------------------


def get_contest(session: Session, contest_id: int) -> Contest | None:
    return session.exec(
        select(Contest).where(Contest.id == contest_id).execution_options(populate_existing=True)
    ).first()


def contest_by_start_key(session: Session, workspace_id: int, start_key: str) -> Contest | None:
    return session.exec(
        select(Contest)
        .where(Contest.workspace_id == workspace_id, Contest.start_key == start_key)
        .execution_options(populate_existing=True)
    ).first()


def store_contest(
    session: Session,
    contest: Contest,
    entrants: Iterable[tuple[str, str]],
    *,
    suggestion_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Contest | None, str]:
    """Store a new contest and its entrants (user id, group name), flushed: (the stored row,
    CREATED). With ``suggestion_id`` the lag suggestion is claimed first (compare-and-set open
    -> launched, by ``contest.created_by`` at ``now``) and then points at the contest.

    Nothing is stored when: the suggestion is no longer open ((the contest this start key
    already started, DUPLICATE), else (None, SUGGESTION_TAKEN)); the start key is taken, by the
    same request twice, even at once ((that contest, DUPLICATE), or (None, NOT_STORED) if it
    cannot be read); another running contest of the team has the name, started even at the same
    instant ((that contest, NAME_TAKEN): the unique index uq_contest_running_name)."""
    if suggestion_id is not None and not _claim_suggestion(
        session, suggestion_id, contest.team_id, contest.created_by, now
    ):
        existing = contest_by_start_key(session, contest.workspace_id, contest.start_key)
        return (existing, DUPLICATE) if existing is not None else (None, SUGGESTION_TAKEN)
    if not _insert_contest(session, contest):
        if suggestion_id is not None:  # give back the claim: this transaction stores nothing
            _unclaim_suggestion(session, suggestion_id)
        existing = contest_by_start_key(session, contest.workspace_id, contest.start_key)
        if existing is not None:
            return existing, DUPLICATE
        namesake = running_by_name(session, contest.team_id, contest.name)
        return (namesake, NAME_TAKEN) if namesake is not None else (None, NOT_STORED)
    stored = contest_by_start_key(session, contest.workspace_id, contest.start_key)
    session.add_all(
        ContestEntrant(contest_id=stored.id, user_id=user_id, group_name=group)
        for user_id, group in entrants
    )
    session.flush()
    if suggestion_id is not None:
        session.exec(
            update(LagSuggestion)
            .where(LagSuggestion.id == suggestion_id)
            .values(contest_id=stored.id)
            .execution_options(synchronize_session=False)
        )
    return stored, CREATED


def running_by_name(session: Session, team_id: int, name: str) -> Contest | None:
    """The team's running contest called exactly ``name`` (at most one: uq_contest_running_name)."""
    return session.exec(
        select(Contest)
        .where(Contest.team_id == team_id, Contest.name == name, Contest.status == RUNNING)
        .execution_options(populate_existing=True)
    ).first()


def _insert_contest(session: Session, contest: Contest) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; False when the start key or the running name was taken.
    A SAVEPOINT would not do on SQLite: pysqlite commits the transaction when the first
    savepoint is released."""
    table = Contest.__table__
    values = {c.name: getattr(contest, c.name) for c in table.columns if c.name != "id"}
    # No conflict target: a partial index (the running name) cannot be named as one portably.
    statement = db.insert_ignoring_duplicates(session, table, None)
    if statement is not None:  # a row back only when stored (rowcount is -1 on psycopg)
        returning = statement.values(**values).returning(table.c.id)
        return session.execute(returning).first() is not None
    try:  # any other database: a savepoint around the insert
        with session.begin_nested():
            session.execute(insert(table).values(**values))
    except IntegrityError:
        return False
    return True


def team_contests(
    session: Session, team_id: int, *, since: datetime | None = None
) -> list[Contest]:
    """The team's contests (not cancelled), newest first: all of them, or those still running or
    that ended (or were due to end) at or after ``since``."""
    query = select(Contest).where(Contest.team_id == team_id, Contest.status != CANCELLED)
    if since is not None:
        query = query.where(
            or_(
                Contest.status == RUNNING,
                Contest.ends_at >= since,
                col(Contest.settles_at) >= since,
                col(Contest.ended_at) >= since,
            )
        )
    return list(
        session.exec(
            query.order_by(col(Contest.starts_at).desc(), col(Contest.id).desc()).execution_options(
                populate_existing=True
            )
        )
    )


def contests_between(
    session: Session, team_id: int, after: datetime, until: datetime
) -> list[Contest]:
    """The team's contests that may have a post due in (after, until]: started by ``until`` and
    not over (ended, settled, or due to end or settle) before ``after``. Oldest first."""
    return list(
        session.exec(
            select(Contest)
            .where(
                Contest.team_id == team_id,
                Contest.status != CANCELLED,
                Contest.starts_at <= until,
                or_(
                    Contest.ends_at > after,
                    col(Contest.settles_at) > after,
                    col(Contest.ended_at) > after,
                ),
            )
            .order_by(Contest.starts_at, Contest.id)
            .execution_options(populate_existing=True)
        )
    )


def entrants(session: Session, contest_id: int) -> list[ContestEntrant]:
    return list(
        session.exec(
            select(ContestEntrant)
            .where(ContestEntrant.contest_id == contest_id)
            .order_by(ContestEntrant.group_name, ContestEntrant.user_id)
        )
    )


def entrant_counts_by_contest(session: Session, contest_ids: list[int]) -> dict[int, int]:
    """How many people take part in each contest, in one query."""
    if not contest_ids:
        return {}
    rows = _run(
        session,
        select(ContestEntrant.contest_id, func.count())
        .where(col(ContestEntrant.contest_id).in_(contest_ids))
        .group_by(ContestEntrant.contest_id),
    )
    return {contest_id: int(n) for contest_id, n in rows}


# -- counting ---------------------------------------------------------------------------------


def _counted_at(contest: Contest, as_of: datetime):
    """The join condition of a log that counts for the contest at ``as_of``."""
    return and_(
        ActivityLog.workspace_id == contest.workspace_id,
        ActivityLog.rep_id == ContestEntrant.user_id,
        ActivityLog.kpi == contest.kpi,
        ActivityLog.occurred_on >= contest.start_day,
        ActivityLog.occurred_on <= contest.end_day,
        ActivityLog.created_at <= as_of,
        or_(col(ActivityLog.voided_at).is_(None), col(ActivityLog.voided_at) > as_of),
    )


def entrant_totals(session: Session, contest: Contest, as_of: datetime) -> list[EntrantCount]:
    """Every entrant's counted total at ``as_of`` (0 for those with nothing), in one statement:
    the entrants LEFT JOIN their counted logs, GROUP BY entrant."""
    rows = _run(
        session,
        select(
            ContestEntrant.user_id,
            ContestEntrant.group_name,
            func.coalesce(func.sum(ActivityLog.count), 0),
        )
        .select_from(ContestEntrant)
        .outerjoin(ActivityLog, _counted_at(contest, as_of))
        .where(ContestEntrant.contest_id == contest.id)
        .group_by(ContestEntrant.user_id, ContestEntrant.group_name)
        .order_by(ContestEntrant.user_id),
    )
    return [EntrantCount(user_id, group or "", int(total)) for user_id, group, total in rows]


def changes_after(session: Session, contest: Contest, as_of: datetime) -> list[LateChange]:
    """The logs of the contest's entrants, KPI and window that changed after ``as_of`` (when
    the result was frozen): voided since (they were counted), or stored since (backdated into
    the window, or logged after the end) and still counted. One statement, oldest first."""
    in_window = and_(
        ActivityLog.workspace_id == contest.workspace_id,
        ActivityLog.kpi == contest.kpi,
        ActivityLog.occurred_on >= contest.start_day,
        ActivityLog.occurred_on <= contest.end_day,
        col(ActivityLog.rep_id).in_(
            select(ContestEntrant.user_id).where(ContestEntrant.contest_id == contest.id)
        ),
    )
    voided = and_(ActivityLog.created_at <= as_of, col(ActivityLog.voided_at) > as_of)
    added = and_(ActivityLog.created_at > as_of, col(ActivityLog.voided_at).is_(None))
    rows = _run(
        session,
        select(
            ActivityLog.id,
            ActivityLog.rep_id,
            ActivityLog.count,
            ActivityLog.created_at,
            ActivityLog.voided_at,
        )
        .where(in_window, or_(voided, added))
        .order_by(ActivityLog.id),
    )
    out = []
    for log_id, rep_id, count, created_at, voided_at in rows:
        if voided_at is not None:
            out.append(LateChange(log_id, rep_id, int(count), "voided", voided_at))
        else:
            out.append(LateChange(log_id, rep_id, int(count), "added", created_at))
    return sorted(out, key=lambda c: (c.at, c.log_id))


# -- compare-and-set writes -------------------------------------------------------------------


def freeze_result(session: Session, contest_id: int, result: str, closed_at: datetime) -> bool:
    """Store the result if none is stored yet (first freeze wins) and mark the contest ended
    (``ended_at`` = when it closed, i.e. settled, unless it was ended early). False when another
    run froze it first (re-read the contest for theirs)."""
    outcome = session.exec(
        update(Contest)
        .where(Contest.id == contest_id, col(Contest.result).is_(None))
        .values(
            result=result,
            status=ENDED,
            ended_at=func.coalesce(Contest.ended_at, closed_at),
        )
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def end_early(session: Session, contest_id: int, by: str, now: datetime) -> bool:
    """End a running contest now (``/contest end``): only one that is running (or settling: its
    days are over but its result is not frozen yet), not yet ended and not yet frozen (the
    caller freezes the result in the same transaction). False when it had already ended."""
    outcome = session.exec(
        update(Contest)
        .where(
            Contest.id == contest_id,
            Contest.status == RUNNING,
            col(Contest.ended_at).is_(None),
            col(Contest.result).is_(None),
            or_(Contest.ends_at > now, col(Contest.settles_at) > now),
        )
        .values(ended_at=now, ended_by=by)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


# -- lag suggestions --------------------------------------------------------------------------


def _claim_suggestion(
    session: Session, suggestion_id: int, team_id: int, by: str, now: datetime | None
) -> bool:
    """Lag suggestion open -> launched, compare-and-set on its status (and its team). False when
    it is no longer open (launched or dismissed meanwhile) or belongs to another team."""
    outcome = session.exec(
        update(LagSuggestion)
        .where(
            LagSuggestion.id == suggestion_id,
            LagSuggestion.team_id == team_id,
            LagSuggestion.status == OPEN,
        )
        .values(status=LAUNCHED, decided_by=by, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def _unclaim_suggestion(session: Session, suggestion_id: int) -> None:
    session.exec(
        update(LagSuggestion)
        .where(LagSuggestion.id == suggestion_id, col(LagSuggestion.contest_id).is_(None))
        .values(status=OPEN, decided_by=None, decided_at=None)
        .execution_options(synchronize_session=False)
    )


def dismiss_suggestion(session: Session, suggestion_id: int, by: str, now: datetime) -> bool:
    """Compare-and-set open -> dismissed; False (nothing changed) when it was no longer open —
    launched or dismissed by someone else a moment ago."""
    outcome = session.exec(
        update(LagSuggestion)
        .where(LagSuggestion.id == suggestion_id, LagSuggestion.status == OPEN)
        .values(status=DISMISSED, decided_by=by, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def get_suggestion(session: Session, suggestion_id: int) -> LagSuggestion | None:
    """Fresh from the database (populate_existing), whatever this session read before."""
    return session.exec(
        select(LagSuggestion)
        .where(LagSuggestion.id == suggestion_id)
        .execution_options(populate_existing=True)
    ).first()


def add_suggestions(session: Session, rows: list[dict]) -> None:
    """INSERT … ON CONFLICT (team_id, kpi, week_key) DO NOTHING: a KPI that already has a
    suggestion this week keeps it, and the new rows beside it still land."""
    if not rows:
        return
    table = LagSuggestion.__table__
    statement = db.insert_ignoring_duplicates(session, table, ["team_id", "kpi", "week_key"])
    if statement is not None:
        session.execute(statement.values(rows))
        return
    for row in rows:  # any other database: one savepoint per row
        try:
            with session.begin_nested():
                session.execute(insert(table).values(**row))
        except IntegrityError:
            pass


def suggestions_for_week(session: Session, team_id: int, week: str) -> list[LagSuggestion]:
    """A team's suggestions of one ISO week, oldest first, fresh from the database."""
    return list(
        session.exec(
            select(LagSuggestion)
            .where(LagSuggestion.team_id == team_id, LagSuggestion.week_key == week)
            .order_by(LagSuggestion.id)
            .execution_options(populate_existing=True)
        )
    )
