"""API tokens: created once (the token is shown then and never again: only its SHA-256 is
kept), listed masked, revoked by name; and who a bearer token is."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from storage import api_queries, people_queries
from storage.api_models import ApiToken
from storage.unit_of_work import Session

SCOPES = ("activities:write", "activities:read", "scorecards:read")
PREFIX = "pacer_"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class TokenRefused(ValueError):
    """A token command that cannot be carried out; the message says why and what to do."""


@dataclass(frozen=True)
class TokenInfo:
    name: str
    masked: str  # pacer_…a1b2
    scopes: tuple[str, ...]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Caller:
    """Who a request's bearer token says is calling."""

    token_id: int
    workspace_id: int
    name: str
    scopes: frozenset[str]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_scopes(text: str) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    if not scopes:
        raise TokenRefused(f"name at least one scope: {', '.join(SCOPES)}")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise TokenRefused(
            f"unknown scope{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
            f"the scopes are {', '.join(SCOPES)}"
        )
    return scopes


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        row.name,
        f"{PREFIX}…{row.hint}",
        tuple(row.scopes.split(",")),
        row.created_by,
        row.created_at,
        row.revoked_at,
    )


def create_token(
    session: Session, workspace_id: int, name: str, scopes: str, by: str, now: datetime
) -> tuple[TokenInfo, str]:
    """The new token's description and the token itself (shown once)."""
    name = name.strip()
    if not NAME.match(name):
        raise TokenRefused(
            "a token's name is 1–80 letters, digits, '.', '_' or '-', starting with a letter or "
            f"digit (e.g. hubspot-sync); got {name!r}"
        )
    wanted = parse_scopes(scopes)
    if api_queries.live_token(session, workspace_id, name) is not None:
        raise TokenRefused(
            f"a token named {name!r} exists already: revoke it first "
            f"(`pacer api token revoke {name}`) or choose another name"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = api_queries.add_token(
        session,
        ApiToken(
            workspace_id=workspace_id,
            name=name,
            token_hash=hash_token(token),
            hint=token[-4:],
            scopes=",".join(wanted),
            created_by=by[:32],
            created_at=now,
        ),
    )
    return _info(row), token


def list_tokens(session: Session, workspace_id: int, revoked: bool = False) -> list[TokenInfo]:
    return [_info(row) for row in api_queries.tokens(session, workspace_id, revoked=revoked)]


def revoke_token(
    session: Session, workspace_id: int, name: str, by: str, now: datetime
) -> TokenInfo:
    row = api_queries.live_token(session, workspace_id, name.strip())
    if row is None:
        live = [t.name for t in list_tokens(session, workspace_id)]
        known = f"live tokens: {', '.join(live)}" if live else "there are no live tokens"
        raise TokenRefused(f"no live token is named {name.strip()!r} ({known})")
    revoked = api_queries.revoke(session, row.id, by[:32], now)
    if revoked is None:
        raise TokenRefused(f"the token {name!r} was revoked meanwhile")
    return _info(revoked)


def authenticate(session: Session, token: str) -> Caller | None:
    """The caller, or None for a token that is unknown or revoked (both answer 401)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = api_queries.token_by_hash(session, hash_token(token))
    if row is None or row.revoked_at is not None:
        return None
    return Caller(row.id, row.workspace_id, row.name, frozenset(row.scopes.split(",")))


def workspace_for_cli(session: Session, slack_team_id: str | None, now: datetime) -> int:
    """The workspace a command-line token command acts on: the one named (created if new), else
    the only one there is."""
    if slack_team_id:
        return people_queries.workspace_for(session, slack_team_id.strip(), None, now).id
    workspaces = people_queries.all_workspaces(session)
    if len(workspaces) == 1:
        return workspaces[0].id
    if not workspaces:
        raise TokenRefused(
            "no Slack workspace has used Pacer yet: use it once in Slack, or name the workspace "
            "with --workspace T0123ABCD (its Slack team ID)"
        )
    ids = ", ".join(w.slack_team_id for w in workspaces)
    raise TokenRefused(
        f"this install serves several workspaces ({ids}): choose one with --workspace"
    )
