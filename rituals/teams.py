"""Who is asking, which team and process apply, and what they may do."""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlmodel import Session

from rituals.process import Process, default_process, dump_process, load_process_dict
from storage import queries
from storage.models import Member, ProcessVersion, SalesTeam, Workspace


class Refusal(Exception):
    """A request Pacer understood but will not carry out; the message says why and what would work.
    Raised before anything is stored, so a refused command changes nothing."""


@dataclass
class Actor:
    """The person behind a request, resolved once per request."""

    workspace: Workspace
    user_id: str
    member: Member | None  # None when they are on no team (or were removed)
    team: SalesTeam  # their team, else the workspace's default team
    process: Process
    process_version_id: int | None  # None while the built-in default applies
    is_admin: bool

    @property
    def is_manager(self) -> bool:
        """Managers of this team, and admins, run the team."""
        return self.is_admin or bool(self.member and self.member.active and self.member.is_manager)

    @property
    def role(self) -> str | None:
        return self.member.role if self.member and self.member.active else None


def resolve_actor(
    session: Session,
    slack_team_id: str,
    enterprise_id: str | None,
    user_id: str,
    env_admins: frozenset[str],
    now: datetime,
) -> Actor:
    workspace = queries.workspace_for(session, slack_team_id, enterprise_id, now)
    member = queries.get_member(session, workspace.id, user_id)
    if member is not None and member.active:
        team = queries.get_team(session, member.team_id)
    else:
        member = None
        team = queries.default_team(session, workspace.id, now)
    process, version_id = team_process(session, team)
    is_admin = user_id in env_admins or queries.is_promoted_admin(session, workspace.id, user_id)
    return Actor(workspace, user_id, member, team, process, version_id, is_admin)


def team_process(session: Session, team: SalesTeam | None) -> tuple[Process, int | None]:
    """The team's newest process version (or the install-wide one), else the built-in default."""
    row = queries.latest_process_version(session, team.id if team else None)
    if row is None:
        return default_process(), None
    return _parse_version(row.id, row.definition), row.id


@lru_cache(maxsize=256)
def _parse_version(version_id: int, definition: str) -> Process:
    # Versions never change once stored, so parsing each once per process is enough.
    return load_process_dict(json.loads(definition))


def store_process(
    session: Session,
    process: Process,
    *,
    team: SalesTeam | None,
    loaded_by: str,
    change: str,
    now: datetime,
    source_text: str | None = None,
) -> ProcessVersion:
    """Store a validated process as the newest version for a team (or install-wide)."""
    row = ProcessVersion(
        workspace_id=team.workspace_id if team else None,
        team_id=team.id if team else None,
        version=0,
        name=process.name[:200],
        definition=json.dumps(process.to_dict(), sort_keys=True),
        source_text=source_text if source_text is not None else dump_process(process),
        loaded_by=loaded_by,
        change=change[:300],
        loaded_at=now,
    )
    return queries.add_process_version(session, row)


def admins_of(session: Session, workspace_id: int, env_admins: frozenset[str]) -> list[str]:
    return sorted(set(env_admins) | set(queries.promoted_admins(session, workspace_id)))


def managers_of(session: Session, team_id: int) -> list[str]:
    return [m.user_id for m in queries.active_members(session, team_id) if m.is_manager]


def require_manager(actor: Actor, action: str) -> None:
    if not actor.is_manager:
        raise Refusal(
            f"Only the team's managers and Pacer admins can {action}. "
            "Ask one of them, or see what you can do with `/pacer help`."
        )


def can_view(actor: Actor, rep_user_id: str) -> bool:
    """Scorecards are public by default, as the method says; a team may keep them to managers."""
    if actor.process.visibility == "public" or actor.user_id == rep_user_id:
        return True
    return actor.is_manager
