"""Reads and writes. Aggregates are computed in SQL; callers pass the session and the time."""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import (
    ActivityLog,
    Admin,
    LogUndo,
    Member,
    ProcessVersion,
    SalesTeam,
    UserProfile,
    Workspace,
)

DEFAULT_TEAM_NAME = "Sales"


def _get_or_create(session: Session, query, make):
    """Select a row, or insert it; if another request inserted it first, select it again."""
    row = session.exec(query).first()
    if row is not None:
        return row
    row = make()
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return session.exec(query).one()
    return row


# -- workspaces and teams ---------------------------------------------------------------------


def workspace_for(
    session: Session, slack_team_id: str, enterprise_id: str | None, now: datetime
) -> Workspace:
    enterprise_id = enterprise_id or ""
    query = select(Workspace).where(
        Workspace.slack_team_id == slack_team_id, Workspace.enterprise_id == enterprise_id
    )
    return _get_or_create(
        session,
        query,
        lambda: Workspace(slack_team_id=slack_team_id, enterprise_id=enterprise_id, created_at=now),
    )


def workspace_and_member(
    session: Session, slack_team_id: str, enterprise_id: str | None, user_id: str
) -> tuple[int | None, Member | None]:
    """The workspace's ID and the person's membership in one query (the start of every request)."""
    row = session.exec(
        select(Workspace.id, Member)
        .outerjoin(Member, (Member.workspace_id == Workspace.id) & (Member.user_id == user_id))
        .where(
            Workspace.slack_team_id == slack_team_id,
            Workspace.enterprise_id == (enterprise_id or ""),
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)


def all_workspaces(session: Session) -> list[Workspace]:
    return list(session.exec(select(Workspace).order_by(Workspace.id)))


def teams(session: Session, workspace_id: int | None = None) -> list[SalesTeam]:
    query = select(SalesTeam).order_by(SalesTeam.id)
    if workspace_id is not None:
        query = query.where(SalesTeam.workspace_id == workspace_id)
    return list(session.exec(query))


def default_team(session: Session, workspace_id: int, now: datetime) -> SalesTeam:
    """The workspace's first team, created on first use."""
    existing = session.exec(
        select(SalesTeam).where(SalesTeam.workspace_id == workspace_id).order_by(SalesTeam.id)
    ).first()
    if existing is not None:
        return existing
    query = select(SalesTeam).where(
        SalesTeam.workspace_id == workspace_id, SalesTeam.name == DEFAULT_TEAM_NAME
    )
    return _get_or_create(
        session,
        query,
        lambda: SalesTeam(workspace_id=workspace_id, name=DEFAULT_TEAM_NAME, created_at=now),
    )


def get_team(session: Session, team_id: int) -> SalesTeam | None:
    return session.get(SalesTeam, team_id)


def set_team_channel(session: Session, team: SalesTeam, channel_id: str) -> None:
    team.channel_id = channel_id
    session.add(team)
    session.commit()


# -- people -----------------------------------------------------------------------------------


def get_member(session: Session, workspace_id: int, user_id: str) -> Member | None:
    return session.exec(
        select(Member).where(Member.workspace_id == workspace_id, Member.user_id == user_id)
    ).first()


def active_members(session: Session, team_id: int) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .where(Member.team_id == team_id, col(Member.active).is_(True))
            .order_by(Member.added_at, Member.id)
        )
    )


def save_member(session: Session, member: Member) -> Member:
    session.add(member)
    session.commit()
    return member


def is_promoted_admin(session: Session, workspace_id: int, user_id: str) -> bool:
    return (
        session.exec(
            select(Admin.id).where(Admin.workspace_id == workspace_id, Admin.user_id == user_id)
        ).first()
        is not None
    )


def promoted_admins(session: Session, workspace_id: int) -> list[str]:
    return list(session.exec(select(Admin.user_id).where(Admin.workspace_id == workspace_id)))


def add_admin(
    session: Session, workspace_id: int, user_id: str, granted_by: str, now: datetime
) -> bool:
    """Returns False when the person already was an admin."""
    if is_promoted_admin(session, workspace_id, user_id):
        return False
    session.add(
        Admin(workspace_id=workspace_id, user_id=user_id, granted_by=granted_by, granted_at=now)
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def get_profile(session: Session, workspace_id: int, user_id: str) -> UserProfile | None:
    return session.exec(
        select(UserProfile).where(
            UserProfile.workspace_id == workspace_id, UserProfile.user_id == user_id
        )
    ).first()


def profiles(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> dict[str, UserProfile]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(UserProfile).where(
            UserProfile.workspace_id == workspace_id, col(UserProfile.user_id).in_(ids)
        )
    )
    return {row.user_id: row for row in rows}


def find_profiles_by_name(session: Session, workspace_id: int, name: str) -> list[UserProfile]:
    """People whose cached display name matches ``name`` (case-insensitive), for a plain ``@name``."""
    # Compared in Python: SQLite's lower() only folds ASCII, and names are often not ASCII (Zoë).
    wanted = name.casefold()
    rows = session.exec(select(UserProfile).where(UserProfile.workspace_id == workspace_id))
    return [row for row in rows if row.display_name.casefold() == wanted]


def save_profile(
    session: Session,
    workspace_id: int,
    user_id: str,
    display_name: str,
    tz: str | None,
    now: datetime,
) -> UserProfile:
    row = get_profile(session, workspace_id, user_id)
    if row is None:
        row = UserProfile(
            workspace_id=workspace_id,
            user_id=user_id,
            display_name=display_name,
            tz=tz,
            fetched_at=now,
        )
    else:
        row.display_name, row.tz, row.fetched_at = display_name, tz, now
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another request cached the same person first: theirs is as good
        session.rollback()
        return get_profile(session, workspace_id, user_id)
    return row


# -- process versions -------------------------------------------------------------------------


def latest_process_version(session: Session, team_id: int | None) -> ProcessVersion | None:
    """The team's newest version, else the newest install-wide version, else None (one query)."""
    install_wide = col(ProcessVersion.team_id).is_(None)
    scope = install_wide if team_id is None else (ProcessVersion.team_id == team_id) | install_wide
    return session.exec(
        select(ProcessVersion)
        .where(scope)
        .order_by(install_wide, col(ProcessVersion.version).desc())  # the team's own first
        .limit(1)
    ).first()


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
    session.add(version)
    try:
        session.commit()
    except IntegrityError:  # the same number, taken a moment ago
        session.rollback()
        return None
    return version


# -- activity ---------------------------------------------------------------------------------


def insert_logs(session: Session, rows: list[ActivityLog]) -> bool:
    """Store one batch atomically. False when Slack's trigger_id was already stored: the same
    request delivered twice is counted once."""
    session.add_all(rows)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


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
    trigger_id, in one transaction. Returns how many rows this call voided: 0 when a concurrent
    undo got there first, or when this very request was already handled (trigger_id taken)."""
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
    try:
        result = session.exec(
            update(ActivityLog)
            .where(ActivityLog.batch_id == batch_id, col(ActivityLog.voided_at).is_(None))
            .values(voided_at=now, voided_by=voided_by)
        )
        if result.rowcount == 0:
            session.rollback()
            return 0
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
        session.commit()
    except IntegrityError:
        session.rollback()
        return 0
    return result.rowcount


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


def insert_ignoring_duplicates(session: Session, table, keys: list[str]):
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` for ``table`` on SQLite and PostgreSQL (add
    ``.values(…)``): a row whose unique key is taken is skipped, and nothing is rolled back.
    None on any other database, where the caller falls back to its unique key."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        return None
    return insert(table).on_conflict_do_nothing(index_elements=keys)
