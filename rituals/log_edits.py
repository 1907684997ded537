"""Changing one logged number after the fact, from the App Home tab: void it, or correct it.

Nothing is updated in place or deleted: a void sets ``voided_at``/``voided_by`` on the row, and a
correction voids the row and stores a new one with the right count in the same transaction, so
the trail behind every number stays complete (the logs behind a number list voided rows,
marked). Who may change a log follows undo: the person who entered it (a credit only while they
may still credit that rep), or a manager of the rep's team, or an admin. Every rule is checked
before anything is written, so a refused change changes nothing."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from rituals.activity import LogItem, check_allowed, check_counts, check_date, rep_today
from rituals.refusals import (
    AlreadyVoided,
    KpiDropped,
    LogNotFound,
    NoLongerRep,
    NotYourLog,
    SameCount,
)
from rituals.teams import Actor
from rituals.tenure import on_team
from storage import log_queries, people_queries
from storage.models import ActivityLog, Member
from storage.unit_of_work import Session

RECENT = 5  # logs shown on the Home tab


def recent_logs(
    session: Session, workspace_id: int, entered_by: str, limit: int = RECENT
) -> list[ActivityLog]:
    """The newest logs this person entered (for themselves or others) that still count, newest
    first."""
    return log_queries.recent_logs(session, workspace_id, entered_by, limit)


def get_log(session: Session, actor: Actor, log_id: int) -> ActivityLog:
    row = log_queries.get_log(session, log_id)
    if row is None or row.workspace_id != actor.workspace_id:
        raise LogNotFound(log_id)
    return row


def _kpi_name(actor: Actor, key: str) -> str:
    return actor.process.kpi(key).name if actor.process.has_kpi(key) else key


def check_may_change(session: Session, actor: Actor, row: ActivityLog, verb: str) -> Member | None:
    """Refuses unless this person may void or correct this log; returns the rep's membership."""
    rep = people_queries.get_member(session, actor.workspace_id, row.rep_id)
    rep_known = on_team(rep, actor.today()) and actor.process.has_role(rep.role)
    runs_their_team = actor.is_manager and (
        actor.is_admin or (rep is not None and rep.team_id == actor.team_id)
    )
    if row.entered_by != actor.user_id:
        if runs_their_team:
            return rep
        raise NotYourLog(verb)
    if row.rep_id != actor.user_id:  # a credit: only while they may still credit that rep
        if not rep_known:
            if not actor.is_manager:
                raise NoLongerRep(row.rep_id, verb)
        elif actor.process.has_kpi(row.kpi):
            check_allowed(actor, rep, [actor.process.kpi(row.kpi)])
    return rep


def already_voided(session: Session, actor: Actor, row: ActivityLog, tried: str) -> AlreadyVoided:
    """Who voided the log and when, for someone who may change it; anyone else is refused as
    for any log not theirs (check_may_change raises), learning nothing of whose or what."""
    check_may_change(session, actor, row, tried)
    when = row.voided_at.astimezone(actor.process.calendar.tz) if row.voided_at else None
    return AlreadyVoided(
        row.count,
        _kpi_name(actor, row.kpi),
        row.occurred_on,
        when,
        row.voided_by,
        row.voided_by == actor.user_id,
        tried,
    )


def void_log(session: Session, actor: Actor, log_id: int, now: datetime) -> ActivityLog:
    """Void one log (flushed; the request's unit of work commits it). A log already voided (by
    a second press, or someone else) is refused with who voided it and when."""
    row = get_log(session, actor, log_id)
    if row.voided_at is not None:
        raise already_voided(session, actor, row, "void")
    check_may_change(session, actor, row, "void")
    if not log_queries.void_log(session, row, actor.user_id, now):
        raise already_voided(session, actor, row, "void")
    return row


@dataclass
class Correction:
    old: ActivityLog  # now voided
    new: ActivityLog  # the count as corrected
    duplicate: bool = False  # the same request had already been handled


def correct_log(
    session: Session,
    actor: Actor,
    log_id: int,
    count: int,
    now: datetime,
    *,
    key: str,
    source: str = "modal",
    rep_tz: str | None = None,
) -> Correction:
    """Replace a log's count: the old row is voided and a new row (same rep, KPI, date and note)
    stored, together. ``key`` (Slack's view or trigger id) makes the same submission
    delivered twice correct once."""
    row = get_log(session, actor, log_id)
    if row.voided_at is not None:
        earlier = log_queries.logs_by_trigger(session, actor.workspace_id, key)
        if earlier:
            return Correction(row, earlier[0], duplicate=True)
        raise already_voided(session, actor, row, "edit")
    rep = check_may_change(session, actor, row, "edit")
    if not actor.process.has_kpi(row.kpi):
        raise KpiDropped(row.kpi)
    check_counts(actor.process, [LogItem(row.kpi, count)])
    if count == row.count:
        raise SameCount(count)
    check_date(actor.process, row.occurred_on, rep_today(actor.process, rep_tz, now))
    new = ActivityLog(
        workspace_id=row.workspace_id,
        team_id=rep.team_id if rep is not None and rep.active else row.team_id,
        rep_id=row.rep_id,
        entered_by=actor.user_id,
        kpi=row.kpi,
        count=count,
        occurred_on=row.occurred_on,
        created_at=now,
        source=source,
        batch_id=str(uuid.uuid4()),
        trigger_id=key,
        note=row.note,
        process_version_id=actor.process_version_id,
        replaces_id=row.id,
    )
    outcome = log_queries.replace_log(session, row, new, actor.user_id, now)
    if outcome is log_queries.Replaced.VOIDED_BEFORE:
        raise already_voided(session, actor, row, "edit")
    if outcome is log_queries.Replaced.KEY_TAKEN:  # this very submission was stored a moment ago
        earlier = log_queries.logs_by_trigger(session, actor.workspace_id, key)
        if not earlier:
            raise RuntimeError("replace_log refused a key that no earlier request stored")
        return Correction(row, earlier[0], duplicate=True)
    return Correction(row, new)
