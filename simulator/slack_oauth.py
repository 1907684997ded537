"""The stand-in's side of OAuth installs (simulator/slack_standin.py mixes it in): the answers
of oauth.v2.access, for a code exchange (a workspace's install, or an org-wide one on Enterprise
Grid) and for a token rotation (grant_type=refresh_token), shaped as Slack's v2 answers."""

from __future__ import annotations

import itertools
import threading
from importlib import resources
from typing import Any

import yaml


def _error(code: str) -> dict:
    return {"ok": False, "error": code}


class OAuthStandin:
    # Set by SlackStandin.__init__
    _lock: threading.RLock
    _ids: itertools.count

    def init_oauth(self) -> None:
        """Called by SlackStandin.__init__."""
        # The bot token's scopes, sent as auth.test's x-oauth-scopes header as Slack does
        # (`pacer doctor` compares them with the manifest's); None: every scope the manifest asks.
        self.scopes: list[str] | None = None
        # OAuth installs (add_install): oauth.v2.access's answers by code, refresh tokens, the
        # workspace each issued bot token belongs to, tokens a rotation replaced.
        self.oauth_client: tuple[str, str] | None = None  # (client_id, secret) it accepts
        self._install_codes: dict[str, dict] = {}
        self._refresh: dict[str, dict] = {}
        self.token_workspaces: dict[str, dict] = {}
        self.expired_tokens: set[str] = set()
        self.token_scopes: dict[str, list[str]] = {}  # one token's own: see granted_scopes
        self.revoked_tokens: set[str] = set()  # every call with one answers token_revoked

    def granted_scopes(self, token: str | None = None) -> list[str]:
        """The scopes auth.test reports for the bot token: its own in ``token_scopes`` (one
        installation's grant), else ``scopes``, else the manifest's."""
        with self._lock:
            if token and token in self.token_scopes:
                return list(self.token_scopes[token])
            if self.scopes is not None:
                return list(self.scopes)
        return _manifest_bot_scopes()

    def add_install(
        self,
        code: str,
        team_id: str | None,
        *,
        enterprise_id: str | None = None,
        org_wide: bool = False,
        installer: str = "UINSTALLER",
        expires_in: int | None = None,
        scope: str = "commands,chat:write",
    ) -> str:
        """Someone pressed "Allow" in Slack: oauth.v2.access answers ``code`` (once) with a bot
        token for the workspace ``team_id`` (or, ``org_wide``, for the whole Grid org
        ``enterprise_id``, as an org-wide install does). ``expires_in``: token rotation is on,
        the answer carries a refresh token. Returns the bot token."""
        token = f"xoxb-{team_id or enterprise_id}-{next(self._ids)}"
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "APACER",
            "authed_user": {"id": installer},
            "scope": scope,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": f"UBOT{team_id or enterprise_id}",
            "team": None if org_wide else {"id": team_id, "name": f"Team {team_id}"},
            "enterprise": {"id": enterprise_id, "name": f"Org {enterprise_id}"}
            if enterprise_id
            else None,
            "is_enterprise_install": org_wide,
        }
        with self._lock:
            self._install_codes[code] = answer
            if expires_in is not None:
                answer |= {"expires_in": expires_in, "refresh_token": self._new_refresh(answer)}
            self._remember_token(answer)
        return token

    def _new_refresh(self, answer: dict) -> str:
        refresh = f"xoxe-1-refresh-{next(self._ids)}"
        self._refresh[refresh] = answer
        return refresh

    def _remember_token(self, answer: dict) -> None:
        team, org = answer.get("team") or {}, answer.get("enterprise") or {}
        self.token_workspaces[answer["access_token"]] = {
            "team_id": team.get("id"),
            "enterprise_id": org.get("id"),
            "user_id": answer["bot_user_id"],
            "bot_id": "B" + answer["bot_user_id"][1:],
            "is_enterprise_install": answer["is_enterprise_install"],
        }

    def _oauth_v2_access(self, p: dict) -> dict:
        """The code exchange, or (grant_type=refresh_token) a token rotation: a new token and
        refresh token; the old token stops working, the old refresh token is used up."""
        if self.oauth_client and (p.get("client_id"), p.get("client_secret")) != self.oauth_client:
            return _error("invalid_client_id")
        with self._lock:
            if p.get("grant_type") == "refresh_token":
                answer = self._refresh.pop(p.get("refresh_token", ""), None)
                if answer is None:
                    return _error("invalid_refresh_token")
                self.expired_tokens.add(answer["access_token"])
                answer = answer | {"access_token": f"xoxb-rotated-{next(self._ids)}"}
                answer["refresh_token"] = self._new_refresh(answer)
                answer["expires_in"] = 43200
                self._remember_token(answer)
                return answer
            answer = self._install_codes.pop(p.get("code", ""), None)
        return answer if answer is not None else _error("invalid_code")


def _manifest_bot_scopes() -> list[str]:
    """The bot scopes of the manifest shipped with Pacer (cli/manifest.yml, package data)."""
    text = resources.files("cli").joinpath("manifest.yml").read_text(encoding="utf-8")
    scopes = (yaml.safe_load(text).get("oauth_config") or {}).get("scopes") or {}
    return list(dict.fromkeys(str(s) for s in scopes.get("bot") or []))
