"""Changing one logged number after the fact, from the App Home tab: void it, or correct it.

Nothing is updated in place or deleted: a void sets ``voided_at``/``voided_by`` on the row, and a
correction voids the row and stores a new one with the right count in the same transaction, so
the trail behind every number stays complete (`/scorecard calls` lists voided rows, marked).
Who may change a log follows `/log undo`: the person who entered it (a credit only while they may
still credit that rep), or a manager of the rep's team, or an admin. Every rule is checked
before anything is written, so a refused change changes nothing."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rituals import dates
from rituals.activity import LogItem, check_allowed, check_counts, check_date, rep_today
from rituals.refusals import Refusal
from rituals.teams import Actor
from storage import log_queries, people_queries
from storage.models import ActivityLog, Member

RECENT = 5  # logs shown on the Home tab


def recent_logs(
    session: Session, workspace_id: int, entered_by: str, limit: int = RECENT
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


def get_log(session: Session, actor: Actor, log_id: int) -> ActivityLog:
    row = session.get(ActivityLog, log_id)
    if row is None or row.workspace_id != actor.workspace_id:
        raise Refusal(
            "Pacer can't find that log, so nothing changed. `/scorecard calls` lists the logs "
            "behind a number."
        )
    return row


def _kpi_name(actor: Actor, key: str) -> str:
    return actor.process.kpi(key).name if actor.process.has_kpi(key) else key


def check_may_change(session: Session, actor: Actor, row: ActivityLog, verb: str) -> Member | None:
    """Refuses unless this person may void or correct this log; returns the rep's membership."""
    rep = people_queries.get_member(session, actor.workspace_id, row.rep_id)
    rep_known = rep is not None and rep.active and actor.process.has_role(rep.role)
    runs_their_team = actor.is_manager and (
        actor.is_admin or (rep is not None and rep.team_id == actor.team_id)
    )
    if row.entered_by != actor.user_id:
        if runs_their_team:
            return rep
        raise Refusal(
            f"Only the person who entered a log, or a manager, can {verb} it; nothing changed. "
            "Your own logs are listed on Pacer's Home tab, and `/log undo` takes back your last one."
        )
    if row.rep_id != actor.user_id:  # a credit: only while they may still credit that rep
        if not rep_known:
            if not actor.is_manager:
                raise Refusal(
                    f"<@{row.rep_id}> is no longer a rep on the team; ask a manager to {verb} it."
                )
        elif actor.process.has_kpi(row.kpi):
            check_allowed(actor, rep, [actor.process.kpi(row.kpi)])
    return rep


def already_voided(actor: Actor, row: ActivityLog, tried: str) -> Refusal:
    when = row.voided_at.astimezone(actor.process.calendar.tz) if row.voided_at else None
    by = "you" if row.voided_by == actor.user_id else f"<@{row.voided_by}>"
    stamp = f" on {dates.short(when)} at {when:%H:%M}" if when else ""
    return Refusal(
        f"That log ({row.count} {_kpi_name(actor, row.kpi)} on {dates.short(row.occurred_on)}) was "
        f"already voided{stamp} by {by}, so there was nothing left to {tried}; nothing changed."
    )


def _void_row(session: Session, row: ActivityLog, by: str, now: datetime) -> int:
    """Mark one row voided if it still counts (compare-and-set); not committed."""
    result = session.exec(
        update(ActivityLog)
        .where(ActivityLog.id == row.id, col(ActivityLog.voided_at).is_(None))
        .values(voided_at=now, voided_by=by)
    )
    return result.rowcount


def void_log(session: Session, actor: Actor, log_id: int, now: datetime) -> ActivityLog:
    """Void one log. A log already voided (by a second press, or someone else) is refused with
    who voided it and when."""
    row = get_log(session, actor, log_id)
    if row.voided_at is not None:
        raise already_voided(actor, row, "void")
    check_may_change(session, actor, row, "void")
    if _void_row(session, row, actor.user_id, now) == 0:
        session.rollback()
        session.refresh(row)
        raise already_voided(actor, row, "void")
    session.commit()
    session.refresh(row)
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
    stored, in one transaction. ``key`` (Slack's view or trigger id) makes the same submission
    delivered twice correct once."""
    row = get_log(session, actor, log_id)
    if row.voided_at is not None:
        earlier = log_queries.logs_by_trigger(session, actor.workspace_id, key)
        if earlier:
            return Correction(row, earlier[0], duplicate=True)
        raise already_voided(actor, row, "edit")
    rep = check_may_change(session, actor, row, "edit")
    if not actor.process.has_kpi(row.kpi):
        raise Refusal(
            f"`{row.kpi}` is no longer a KPI in the team's process, so this log can't be "
            "corrected; it can still be voided."
        )
    check_counts(actor.process, [LogItem(row.kpi, count)])
    if count == row.count:
        raise Refusal(f"That log already says {count}; nothing changed.")
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
    try:
        if _void_row(session, row, actor.user_id, now) == 0:
            session.rollback()
            session.refresh(row)
            raise already_voided(actor, row, "edit")
        session.add(new)
        session.commit()
    except IntegrityError:  # this very submission was stored a moment ago
        session.rollback()
        earlier = log_queries.logs_by_trigger(session, actor.workspace_id, key)
        if not earlier:
            raise
        session.refresh(row)
        return Correction(row, earlier[0], duplicate=True)
    session.refresh(row)
    return Correction(row, new)
