"""Each workspace's bot token from its installation (OAuth mode), refreshed when it nears its
expiry (token rotation): the ``TokenSource`` of bot/tokens.py, and the lookup that authorizes
each request (bot/oauth/authorize.py)."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.slack_failures import describe

if TYPE_CHECKING:
    from storage.installations import EncryptedInstallationStore

log = logging.getLogger("pacer")


def find_bot(
    store: EncryptedInstallationStore,
    team_id: str | None,
    enterprise_id: str | None,
    is_enterprise_install: bool = False,
) -> Bot | None:
    """The workspace's own install, else its Grid org's org-wide install."""
    bot = None
    if team_id and not is_enterprise_install:
        bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
    if bot is None and enterprise_id:
        bot = store.find_bot(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
    return bot


# Seconds a found installation is kept in memory: a request then reads no database to be
# authorized (a lookup costs ~1 ms on SQLite, ~6 ms on PostgreSQL here; the ack's budget is
# ~1.5 ms). An install or uninstall in this process clears it at once; another process sees
# one within this time (Slack sends nothing from a workspace that removed the app).
KEEP_SECONDS = 10.0


class Rotation:
    """Each workspace's installed bot, kept briefly in memory, its token refreshed when near its
    expiry, once: threads asking for the same workspace's token at the same moment wait for one
    refresh (a refresh token is single use)."""

    def __init__(
        self,
        store: EncryptedInstallationStore,
        rotator: TokenRotator,
        minutes: int,
        keep_seconds: float = KEEP_SECONDS,
        monotonic=time.monotonic,
    ):
        self.store, self.rotator, self.minutes = store, rotator, minutes
        self.keep_seconds, self.monotonic = keep_seconds, monotonic
        self._lock = threading.Lock()
        self._kept: dict[tuple, tuple[Bot, float]] = {}

    def forget(self) -> None:
        """An install or uninstall happened: read the store again."""
        self._kept.clear()

    def fresh(
        self,
        team_id: str | None,
        enterprise_id: str | None,
        is_enterprise_install: bool = False,
    ) -> Bot | None:
        key = (team_id, enterprise_id, is_enterprise_install)
        kept = self._kept.get(key)
        if kept is not None and kept[1] > self.monotonic() and not self._expiring(kept[0]):
            return kept[0]
        bot = self._found(key)
        if bot is None or not self._expiring(bot):
            return bot
        with self._lock:
            bot = self._found(key)  # again: another thread may have refreshed it
            if bot is None or not self._expiring(bot):
                return bot
            try:
                refreshed = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self.minutes
                )
            except Exception as error:  # refused (a revoked refresh token) or unreachable
                # Until it expires the old token still works: use it, and try again next time.
                alive = bot.bot_token_expires_at > time.time()
                log.warning(
                    "token rotation failed for team=%s org=%s (%s): %s",
                    team_id,
                    enterprise_id,
                    describe(error).detail,
                    "using the current token until it expires" if alive else "no usable token",
                )
                return bot if alive else None
            if refreshed is None:
                return bot
            self.store.save_bot(refreshed)
            self._kept[key] = (refreshed, self.monotonic() + self.keep_seconds)
            log.info("token rotation: new bot token for team=%s org=%s", team_id, enterprise_id)
            return refreshed

    def _found(self, key: tuple) -> Bot | None:
        bot = find_bot(self.store, *key)
        if bot is None:
            self._kept.pop(key, None)  # never kept: an install must work at once
        else:
            self._kept[key] = (bot, self.monotonic() + self.keep_seconds)
        return bot

    def _expiring(self, bot: Bot) -> bool:
        # TokenRotator's own test: the usual path (a fresh token) takes no lock.
        expires_at = bot.bot_token_expires_at
        return expires_at is not None and expires_at <= time.time() + self.minutes * 60


class InstallationTokenSource:
    """bot/tokens.py's TokenSource in OAuth mode: the installation's bot token (refreshed when
    near its expiry), None when Pacer is not installed in the workspace (or was uninstalled)."""

    def __init__(self, rotation: Rotation):
        self.rotation = rotation

    def bot_token(self, team_id: str | None, enterprise_id: str | None) -> str | None:
        bot = self.rotation.fresh(team_id, enterprise_id)
        return bot.bot_token if bot else None


class StoredTokenSource:
    """The installation's bot token as stored, found as the app finds it (its own install, else
    its org's) but never refreshed: for `pacer doctor`, which only reads."""

    def __init__(self, store: EncryptedInstallationStore):
        self.store = store

    def bot_token(self, team_id: str | None, enterprise_id: str | None) -> str | None:
        bot = find_bot(self.store, team_id, enterprise_id)
        return bot.bot_token if bot else None
