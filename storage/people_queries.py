"""Workspaces, teams, people (members, admins) and their cached Slack profiles: reads and
writes, each one statement where it can be. Writes are flushed, never committed: the caller's
unit of work commits (storage/unit_of_work.py). A row another request inserted first is found,
not fought over: the insert is skipped and the caller's transaction goes on."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, and_, col, or_, select

from storage import config_cache, db, installation_tables
from storage.models import (
    Admin,
    Member,
    SalesTeam,
    UserProfile,
    Workspace,
)

DEFAULT_TEAM_NAME = "Sales"


def _get_or_create(session: Session, query, model, keys: list[str], values: dict):
    """Select a row, or insert it (``keys``: its unique key); if another request inserted it
    first, the insert is skipped and the select finds theirs."""
    row = session.exec(query).first()
    if row is not None:
        return row
    _insert_unless_taken(session, model, keys, values)
    return session.exec(query).one()


def _insert_unless_taken(session: Session, model, keys: list[str], values: dict) -> bool:
    """Insert one row unless its unique key is taken; True when this call stored it."""
    table = model.__table__
    statement = db.insert_ignoring_duplicates(session, table, keys)
    if statement is not None:
        inserted = session.exec(statement.values(**values).returning(table.c.id)).first()
        return inserted is not None
    try:  # any other database: the unique key decides, inside a savepoint
        with db.savepoint(session):
            session.add(model(**values))
    except IntegrityError:
        return False
    return True


# -- workspaces and teams ---------------------------------------------------------------------


def workspace_for(
    session: Session, slack_team_id: str, enterprise_id: str | None, now: datetime
) -> Workspace:
    enterprise_id = enterprise_id or ""
    query = select(Workspace).where(
        Workspace.slack_team_id == slack_team_id, Workspace.enterprise_id == enterprise_id
    )
    values = {"slack_team_id": slack_team_id, "enterprise_id": enterprise_id, "created_at": now}
    found = session.exec(query).first()
    if found is not None:
        return found
    inserted = _insert_unless_taken(session, Workspace, ["slack_team_id", "enterprise_id"], values)
    found = session.exec(query).one()
    if inserted and enterprise_id:
        _admit_org_installer(session, found.id, enterprise_id, now)
    return found


def _admit_org_installer(session: Session, workspace_id: int, enterprise_id: str, now) -> None:
    """A workspace of a Grid org where Pacer is installed org-wide, seen for the first time: the
    person who installed it for the org is an admin here too (OAuth installs, bot/oauth)."""
    c = installation_tables.installations.c
    installer = session.exec(
        select(c.user_id)
        .where(c.enterprise_id == enterprise_id, c.is_enterprise_install.is_(True))
        .order_by(c.installed_at.desc())
        .limit(1)
    ).first()
    if installer:
        add_admin(session, workspace_id, installer, installer, now)


def workspace_and_member(
    session: Session,
    slack_team_id: str,
    enterprise_id: str | None,
    user_id: str,
    *,
    resume: bool = False,
) -> tuple[int | None, Member | None]:
    """The workspace's ID and the person's membership in one query (the start of every request).
    On Enterprise Grid, user IDs are the org's: someone on a team of a sibling workspace in the
    same org is that member, asking from another workspace of it (their own team comes first).
    With ``resume`` (a request Slack just sent, not work after one) a workspace whose rituals an
    uninstall paused has them resumed: a request from it means the app is installed again (one
    UPDATE, only then)."""
    if enterprise_id:
        return _grid_workspace_and_member(session, slack_team_id, enterprise_id, user_id, resume)
    row = session.exec(
        _WORKSPACE_AND_MEMBER, params={"slack_team_id": slack_team_id, "user_id": user_id}
    ).first()
    if row is not None:
        config_cache.remember_stamp(session, row[3])
    if resume and row is not None and row[2] is not None:
        resume_rituals(session, row[0])
    return (row[0], row[1]) if row else (None, None)


# Built once: building a statement costs more CPU than SQLite takes to run it, and this one
# starts every request.
_WORKSPACE_AND_MEMBER = (
    select(Workspace.id, Member, Workspace.rituals_paused_at, config_cache.stamp_column())
    .outerjoin(
        Member, (Member.workspace_id == Workspace.id) & (Member.user_id == bindparam("user_id"))
    )
    .where(Workspace.slack_team_id == bindparam("slack_team_id"), Workspace.enterprise_id == "")
)


def pause_rituals(
    session: Session, slack_team_id: str, enterprise_id: str | None, now: datetime
) -> bool:
    """The app was uninstalled (or its bot token revoked) in this workspace: its rituals pause,
    nothing of its data is touched. False when Pacer never knew the workspace or it was paused
    already."""
    outcome = session.exec(
        update(Workspace)
        .where(
            Workspace.slack_team_id == slack_team_id,
            Workspace.enterprise_id == (enterprise_id or ""),
            col(Workspace.rituals_paused_at).is_(None),
        )
        .values(rituals_paused_at=now)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def pause_org_rituals(session: Session, enterprise_id: str, now: datetime) -> int:
    """An org-wide install was removed: the rituals of every workspace of the Grid org pause
    (data untouched). How many workspaces were paused by this call."""
    outcome = session.exec(
        update(Workspace)
        .where(
            Workspace.enterprise_id == enterprise_id,
            col(Workspace.rituals_paused_at).is_(None),
        )
        .values(rituals_paused_at=now)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount


def resume_rituals(session: Session, workspace_id: int) -> bool:
    """The workspace is installed again: its rituals run again. False when they were not paused."""
    outcome = session.exec(
        update(Workspace)
        .where(Workspace.id == workspace_id, col(Workspace.rituals_paused_at).is_not(None))
        .values(rituals_paused_at=None)
        .execution_options(synchronize_session=False)
    )
    return outcome.rowcount == 1


def paused_workspaces(session: Session) -> set[int]:
    """The workspaces whose rituals are paused (uninstalled): the clock skips their teams."""
    return set(
        session.exec(select(Workspace.id).where(col(Workspace.rituals_paused_at).is_not(None)))
    )


def _grid_workspace_and_member(
    session: Session, slack_team_id: str, enterprise_id: str, user_id: str, resume: bool
) -> tuple[int | None, Member | None]:
    rows = session.exec(
        select(
            Workspace.id,
            Workspace.slack_team_id,
            Member,
            Workspace.rituals_paused_at,
            config_cache.stamp_column(),
        )
        .outerjoin(Member, (Member.workspace_id == Workspace.id) & (Member.user_id == user_id))
        .where(Workspace.enterprise_id == enterprise_id)
        .where((Workspace.slack_team_id == slack_team_id) | col(Member.id).is_not(None))
        .order_by(Workspace.id)
    ).all()
    if rows:
        config_cache.remember_stamp(session, rows[0][4])
    own = next(((w, m) for w, team, m, _, _ in rows if team == slack_team_id), (None, None))
    if resume and any(team == slack_team_id and paused for _, team, _, paused, _ in rows):
        resume_rituals(session, own[0])
    if own[1] is not None and own[1].active:
        return own
    sibling = next(((w, m) for w, _team, m, _, _ in rows if m is not None and m.active), None)
    return sibling or own


def org_workspace_ids(session: Session, workspace_id: int) -> list[int]:
    """The workspace and, on Enterprise Grid, every workspace of its org (the workspace first)."""
    org = select(Workspace.enterprise_id).where(Workspace.id == workspace_id).scalar_subquery()
    siblings = session.exec(
        select(Workspace.id).where(Workspace.enterprise_id == org, Workspace.enterprise_id != "")
    ).all()
    return [workspace_id] + sorted(w for w in siblings if w != workspace_id)


def org_workspaces(session: Session, enterprise_id: str) -> list[int]:
    """Every workspace of a Grid org Pacer knows (an org-wide install covers them all)."""
    return list(
        session.exec(
            select(Workspace.id)
            .where(Workspace.enterprise_id == enterprise_id)
            .order_by(Workspace.id)
        )
    )


def get_workspace(session: Session, workspace_id: int) -> Workspace | None:
    return session.get(Workspace, workspace_id)


def all_workspaces(session: Session) -> list[Workspace]:
    return list(session.exec(select(Workspace).order_by(Workspace.id)))


def teams(session: Session, workspace_id: int | None = None) -> list[SalesTeam]:
    query = select(SalesTeam).order_by(SalesTeam.id)
    if workspace_id is not None:
        query = query.where(SalesTeam.workspace_id == workspace_id)
    return list(session.exec(query))


def default_team(session: Session, workspace_id: int, now: datetime) -> SalesTeam:
    """The workspace's first team, created on first use."""
    existing = config_cache.cached_rows(
        session,
        ("default team", workspace_id),
        SalesTeam,
        lambda: _listed(
            session.exec(
                select(SalesTeam)
                .where(SalesTeam.workspace_id == workspace_id)
                .order_by(SalesTeam.id)
            ).first()
        ),
    )
    if existing:
        return existing[0]
    query = select(SalesTeam).where(
        SalesTeam.workspace_id == workspace_id, SalesTeam.name == DEFAULT_TEAM_NAME
    )
    values = {"workspace_id": workspace_id, "name": DEFAULT_TEAM_NAME, "created_at": now}
    return _get_or_create(session, query, SalesTeam, ["workspace_id", "name"], values)


def get_team(session: Session, team_id: int) -> SalesTeam | None:
    """The team's row and settings (cached: storage/config_cache.py)."""
    rows = config_cache.cached_rows(
        session, ("team", team_id), SalesTeam, lambda: _listed(session.get(SalesTeam, team_id))
    )
    return rows[0] if rows else None


def _listed(row):
    return [] if row is None else [row]


def set_team_channel(session: Session, team: SalesTeam, channel_id: str) -> None:
    team.channel_id = channel_id
    session.add(team)
    session.flush()


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


def _tenure_overlaps(first: date, last: date):
    """A member's tenure (started_on to last_day, either open) overlaps ``first``..``last``. A
    member removed before tenure dates existed (inactive, no last day) left on the date of
    ``removed_at`` (UTC: no later than the team's date, never a day too few)."""
    removed_after = datetime.combine(first, time(0), UTC) - timedelta(days=1)
    return and_(
        or_(col(Member.started_on).is_(None), col(Member.started_on) <= last),
        or_(
            and_(col(Member.active).is_(True), col(Member.last_day).is_(None)),
            col(Member.last_day) >= first,
            and_(
                col(Member.active).is_(False),
                col(Member.last_day).is_(None),
                col(Member.removed_at) >= removed_after,
            ),
        ),
    )


def members_during(session: Session, team_id: int, first: date, last: date) -> list[Member]:
    """Everyone whose tenure on the team overlaps ``first``..``last`` (both inclusive), removed
    ones included: a rep who left on the 4th is in that month's numbers. In the order added."""
    return config_cache.cached_rows(
        session,
        ("members_during", team_id, first, last),
        Member,
        lambda: list(
            session.exec(
                select(Member)
                .where(Member.team_id == team_id, _tenure_overlaps(first, last))
                .order_by(Member.added_at, Member.id)
            )
        ),
    )


def members_on(session: Session, team_id: int, day: date) -> list[Member]:
    """The team on ``day``: started by then (or with no start date) and not past their last day."""
    return config_cache.cached_rows(
        session,
        ("members_on", team_id, day),
        Member,
        lambda: list(
            session.exec(
                select(Member)
                .where(
                    Member.team_id == team_id,
                    col(Member.active).is_(True),
                    or_(col(Member.started_on).is_(None), col(Member.started_on) <= day),
                    or_(col(Member.last_day).is_(None), col(Member.last_day) >= day),
                )
                .order_by(Member.added_at, Member.id)
            )
        ),
    )


def roster(session: Session, team_id: int, today: date) -> list[Member]:
    """Who is on the team's roster today: on the team, or starting later (a future starter),
    or leaving later (their last day still to come); not those whose last day has passed."""
    return config_cache.cached_rows(
        session,
        ("roster", team_id, today),
        Member,
        lambda: list(
            session.exec(
                select(Member)
                .where(
                    Member.team_id == team_id,
                    col(Member.active).is_(True),
                    or_(col(Member.last_day).is_(None), col(Member.last_day) >= today),
                )
                .order_by(Member.added_at, Member.id)
            )
        ),
    )


def add_member(session: Session, member: Member) -> bool:
    """Store a new membership unless the person already has one in the workspace (added by a
    concurrent request a moment ago): False then, and the caller's transaction goes on."""
    try:
        with db.savepoint(session):
            session.add(member)
    except IntegrityError:
        return False
    return True


def save_member(session: Session, member: Member) -> Member:
    """Add or update a membership (flushed: a new one has its id)."""
    session.add(member)
    session.flush()
    return member


def is_promoted_admin(session: Session, workspace_id: int, user_id: str) -> bool:
    return config_cache.cached(
        session,
        ("admin", workspace_id, user_id),
        lambda: (
            session.exec(
                select(Admin.id).where(Admin.workspace_id == workspace_id, Admin.user_id == user_id)
            ).first()
            is not None
        ),
    )


def promoted_admins(session: Session, workspace_id: int) -> list[str]:
    return list(session.exec(select(Admin.user_id).where(Admin.workspace_id == workspace_id)))


def add_admin(
    session: Session, workspace_id: int, user_id: str, granted_by: str, now: datetime
) -> bool:
    """Returns False when the person already was an admin."""
    if is_promoted_admin(session, workspace_id, user_id):
        return False
    values = {
        "workspace_id": workspace_id,
        "user_id": user_id,
        "granted_by": granted_by,
        "granted_at": now,
    }
    return _insert_unless_taken(session, Admin, ["workspace_id", "user_id"], values)


def get_profile(session: Session, workspace_id: int, user_id: str) -> UserProfile | None:
    return session.exec(
        select(UserProfile).where(
            UserProfile.workspace_id == workspace_id, UserProfile.user_id == user_id
        )
    ).first()


def profiles(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> dict[str, UserProfile]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = config_cache.cached_rows(
        session,
        ("profiles", workspace_id, tuple(ids)),
        UserProfile,
        lambda: list(
            session.exec(
                select(UserProfile).where(
                    UserProfile.workspace_id == workspace_id, col(UserProfile.user_id).in_(ids)
                )
            )
        ),
    )
    return {row.user_id: row for row in rows}


def find_profiles_by_name(session: Session, workspace_id: int, name: str) -> list[UserProfile]:
    """People whose cached display name matches ``name`` (case-insensitive), for a plain ``@name``:
    in the workspace and, on Enterprise Grid, in its org's other workspaces (one per person)."""
    # Compared in Python: SQLite's lower() only folds ASCII, and names are often not ASCII (Zoë).
    wanted = name.casefold()
    ids = org_workspace_ids(session, workspace_id)
    rows = session.exec(
        select(UserProfile)
        .where(col(UserProfile.workspace_id).in_(ids))
        .order_by(UserProfile.workspace_id != workspace_id, UserProfile.id)
    )
    found: dict[str, UserProfile] = {}
    for row in rows:
        if row.display_name.casefold() == wanted:
            found.setdefault(row.user_id, row)
    return list(found.values())


def save_profile(
    session: Session,
    workspace_id: int,
    user_id: str,
    display_name: str,
    tz: str | None,
    now: datetime,
) -> UserProfile:
    row = get_profile(session, workspace_id, user_id)
    if row is not None:
        row.display_name, row.tz, row.fetched_at = display_name, tz, now
        session.add(row)
        session.flush()
        return row
    values = {
        "workspace_id": workspace_id,
        "user_id": user_id,
        "display_name": display_name,
        "tz": tz,
        "fetched_at": now,
    }
    # Another request caching the same person first skips this insert: theirs is as good.
    _insert_unless_taken(session, UserProfile, ["workspace_id", "user_id"], values)
    return get_profile(session, workspace_id, user_id)


# -- every row, for the offline simulator (pacer console) ----------------------------------------


def all_members(session: Session, active_only: bool = False) -> list[Member]:
    """Every member of every workspace, in the order they were added (id)."""
    query = select(Member).order_by(Member.id)
    if active_only:
        query = query.where(col(Member.active).is_(True))
    return list(session.exec(query))


def all_profiles(session: Session) -> list[UserProfile]:
    """Every cached Slack profile of every workspace (id order)."""
    return list(session.exec(select(UserProfile).order_by(UserProfile.id)))
