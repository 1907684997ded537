"""Whose bot token a Web API call uses. In single-workspace mode (SLACK_BOT_TOKEN) every call
uses the one token; with OAuth installs (SLACK_CLIENT_ID) each workspace, or each Grid org for an
org-wide install, has its own, found in the installation store. Every call that is not answering
a request (rituals, nudges, follow-ups after the ack) asks a ``TokenSource`` for the token of the
workspace it works for, so that nothing of one workspace is ever sent with another's token."""

from __future__ import annotations

from typing import Protocol


class TokenSource(Protocol):
    def bot_token(self, team_id: str | None, enterprise_id: str | None) -> str | None:
        """The bot token for the Slack workspace ``team_id`` (in Grid org ``enterprise_id``,
        if any); None when Pacer is not installed there (or was uninstalled)."""
        ...


class EnvTokenSource:
    """Single-workspace mode: SLACK_BOT_TOKEN for every workspace."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def bot_token(self, team_id: str | None, enterprise_id: str | None) -> str | None:
        return self.token
