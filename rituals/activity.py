"""Recording activity and undoing it. Every rule is checked before anything is written, so a
refused log stores nothing; a log is written once per Slack trigger_id; undo voids, never deletes."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rituals.process import Kpi, Process
from rituals.refusals import (
    CountAboveLimit,
    CountBelowOne,
    FutureDate,
    KpiNotOnScorecard,
    NoLongerRep,
    NoOwnScorecard,
    NotAllowedToCredit,
    NothingToLog,
    NothingToUndo,
    NotOnTeam,
    RecordedByOther,
    RoleDropped,
    TooFarBack,
    TypedLog,
    UndoneMeanwhile,
)
from rituals.scorecard import rep_calendar
from rituals.teams import Actor
from rituals.tenure import has_left, not_started, on_team
from storage import log_queries, people_queries
from storage.models import ActivityLog, Member
from storage.unit_of_work import Session

SOURCES = ("slash", "modal", "button", "import", "demo")


@dataclass(frozen=True)
class LogItem:
    kpi: str  # KPI key
    count: int


@dataclass
class LogRequest:
    items: list[LogItem]
    rep_id: str  # for whom
    occurred_on: date | None = None  # None: today in the rep's timezone
    note: str = ""
    source: str = "slash"
    trigger_id: str | None = None


@dataclass
class Recorded:
    rows: list[ActivityLog]
    rep: Member
    occurred_on: date
    duplicate: bool = False  # the same request had already been recorded
    credited: bool = False  # entered for someone else


def rep_today(process: Process, rep_tz: str | None, now: datetime) -> date:
    """A log counts on the date it happened in the rep's own timezone (the team's as fallback)."""
    return rep_calendar(process, rep_tz).local_date(now)


def require_known_role(actor: Actor, rep: Member) -> None:
    """A process version may have dropped a role people still hold: say so, plainly."""
    if rep.role and not actor.process.has_role(rep.role):
        raise RoleDropped(
            rep.user_id, rep.user_id == actor.user_id, rep.role, _role_keys(actor.process)
        )


def _role_keys(process: Process) -> tuple[str, ...]:
    return tuple(r.key for r in process.roles)


def target_rep(session: Session, actor: Actor, rep_id: str) -> Member:
    """The member a log is for, who must be an active rep with a scorecard."""
    if rep_id == actor.user_id:
        if actor.member is None:
            raise _not_on_team(actor, actor.off_team, rep_id, True)
        if not actor.member.role:
            raise NoOwnScorecard()
        require_known_role(actor, actor.member)
        return actor.member
    member = people_queries.get_member(session, actor.workspace_id, rep_id)
    if member is None or not member.role or not on_team(member, actor.today()):
        raise _not_on_team(actor, member, rep_id, False)
    require_known_role(actor, member)
    return member


def _not_on_team(actor: Actor, member: Member | None, rep_id: str, is_self: bool) -> NotOnTeam:
    """Why a person has no scorecard to log to today: not on a team, not started yet, or left."""
    today = actor.today()
    starts = member.started_on if not_started(member, today) and member.role else None
    left = member.last_day if has_left(member, today) and member.role else None
    return NotOnTeam(rep_id, is_self, _role_keys(actor.process), starts, left)


def check_allowed(actor: Actor, rep: Member, kpis: list[Kpi]) -> None:
    """Reps log their own scorecard KPIs; managers may credit any rep; a KPI that names the role
    recording it for others (Sales Accepted Opportunities: an AE accepts an SDR's lead) may be
    credited by that role, and only by them or a manager."""
    process = actor.process
    role = process.role(rep.role)
    for kpi in kpis:
        if kpi.key not in role.scorecard:
            raise KpiNotOnScorecard(
                kpi.name,
                rep.user_id,
                rep.user_id == actor.user_id,
                role.name,
                tuple(process.kpi(k).name for k in role.scorecard),
                role.scorecard[0],
            )
    if rep.user_id == actor.user_id:
        for kpi in kpis:
            if kpi.recorded_by and kpi.recorded_by != rep.role and not actor.is_manager:
                recorder = (
                    process.role(kpi.recorded_by).name
                    if process.has_role(kpi.recorded_by)
                    else kpi.recorded_by
                )
                raise RecordedByOther(kpi.name, kpi.key, recorder, rep.user_id)
        return
    if actor.is_manager and (actor.is_admin or actor.team_id == rep.team_id):
        return
    for kpi in kpis:
        if not kpi.recorded_by or kpi.recorded_by != actor.role:
            recorder = None
            if kpi.recorded_by and process.has_role(kpi.recorded_by):
                recorder = process.role(kpi.recorded_by).name
            raise NotAllowedToCredit(kpi.name, kpi.key, recorder)


def check_date(
    process: Process, occurred_on: date, today: date, typed: TypedLog | None = None
) -> None:
    """``typed``: the log as typed, without its date, for the answer to show what would work
    (a form's field error has none)."""
    if occurred_on > today:
        raise FutureDate(occurred_on, typed)
    oldest = today - timedelta(days=process.backdate_days)
    if occurred_on < oldest:
        raise TooFarBack(occurred_on, oldest, process.backdate_days, typed)


def check_counts(process: Process, items: list[LogItem]) -> None:
    for item in items:
        if item.count < 1:
            raise CountBelowOne(item.count)
        if item.count > process.max_count:
            raise CountAboveLimit(
                item.count, item.kpi, process.kpi(item.kpi).name, process.max_count
            )


def record_activity(
    session: Session,
    actor: Actor,
    request: LogRequest,
    now: datetime,
    rep_tz: str | None = None,
    rep: Member | None = None,  # already resolved by the caller with target_rep()
) -> Recorded:
    process = actor.process
    if request.source not in SOURCES:
        raise ValueError(f"unknown log source {request.source!r}; one of {SOURCES}")
    if not request.items:
        raise NothingToLog()
    if rep is None or rep.user_id != request.rep_id:
        rep = target_rep(session, actor, request.rep_id)
    kpis = [process.kpi(item.kpi) for item in request.items]
    check_allowed(actor, rep, kpis)
    check_counts(process, request.items)
    today = rep_today(process, rep_tz, now)
    occurred_on = request.occurred_on or today
    typed = None
    if request.source == "slash":  # the answer shows what would work, typed
        typed = TypedLog(
            tuple((i.kpi, i.count) for i in request.items),
            None if request.rep_id == actor.user_id else request.rep_id,
        )
    check_date(process, occurred_on, today, typed)

    batch = str(uuid.uuid4())
    rows = [
        ActivityLog(
            workspace_id=actor.workspace_id,
            team_id=rep.team_id,
            rep_id=rep.user_id,
            entered_by=actor.user_id,
            kpi=item.kpi,
            count=item.count,
            occurred_on=occurred_on,
            created_at=now,
            source=request.source,
            batch_id=batch,
            trigger_id=request.trigger_id,
            note=request.note[:500],
            process_version_id=actor.process_version_id,
        )
        for item in request.items
    ]
    if not log_queries.insert_logs(session, rows):
        # Slack delivered this request before (the unique trigger_id says so): answer as then.
        earlier = log_queries.logs_by_trigger(session, actor.workspace_id, request.trigger_id or "")
        if not earlier:
            raise RuntimeError("insert_logs refused a batch that no earlier request stored")
        return _recorded(earlier, rep, actor, duplicate=True)
    return _recorded(rows, rep, actor)


def _recorded(rows: list[ActivityLog], rep: Member, actor: Actor, duplicate=False) -> Recorded:
    return Recorded(
        rows=rows,
        rep=rep,
        occurred_on=rows[0].occurred_on,
        duplicate=duplicate,
        credited=rows[0].rep_id != actor.user_id,
    )


def undo_last(
    session: Session, actor: Actor, now: datetime, trigger_id: str | None = None
) -> list[ActivityLog]:
    """Void the newest log this person entered (for themselves or someone else). The same undo
    delivered twice (same trigger_id) undoes one log, not two: it answers as before."""
    if trigger_id:
        earlier = log_queries.undo_by_trigger(session, actor.workspace_id, trigger_id)
        if earlier:
            return earlier
    rows = log_queries.last_batch(session, actor.workspace_id, actor.user_id)
    if not rows:
        raise NothingToUndo()
    if (
        rows[0].rep_id != actor.user_id
    ):  # a credit: only someone who may still credit them may undo it
        rep = people_queries.get_member(session, actor.workspace_id, rows[0].rep_id)
        if not on_team(rep, actor.today()) or not actor.process.has_role(rep.role):
            if not actor.is_manager:
                raise NoLongerRep(rows[0].rep_id, "undo")
        else:
            check_allowed(
                actor, rep, [actor.process.kpi(r.kpi) for r in rows if actor.process.has_kpi(r.kpi)]
            )
    voided = log_queries.void_batch(
        session,
        rows[0].batch_id,
        actor.user_id,
        now,
        workspace_id=actor.workspace_id,
        trigger_id=trigger_id,
    )
    if voided == 0:
        earlier = (
            log_queries.undo_by_trigger(session, actor.workspace_id, trigger_id)
            if trigger_id
            else []
        )
        if earlier:  # the same request, delivered twice at the same moment: it was handled once
            return earlier
        raise UndoneMeanwhile()
    return rows
