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


class Rotation:
    """Refreshes an expiring bot token once: threads asking for the same workspace's token at
    the same moment wait for one refresh (a refresh token is single use)."""

    def __init__(self, store: EncryptedInstallationStore, rotator: TokenRotator, minutes: int):
        self.store, self.rotator, self.minutes = store, rotator, minutes
        self._lock = threading.Lock()

    def fresh(
        self,
        team_id: str | None,
        enterprise_id: str | None,
        is_enterprise_install: bool = False,
    ) -> Bot | None:
        bot = find_bot(self.store, team_id, enterprise_id, is_enterprise_install)
        if bot is None or not self._expiring(bot):
            return bot
        with self._lock:
            bot = find_bot(self.store, team_id, enterprise_id, is_enterprise_install)  # again
            if bot is None:
                return None
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
            log.info("token rotation: new bot token for team=%s org=%s", team_id, enterprise_id)
            return refreshed

    def _expiring(self, bot: Bot) -> bool:
        # TokenRotator's own test: the usual path (a fresh token) takes no lock.
        expires_at = bot.bot_token_expires_at
        return expires_at is not None and expires_at <= time.time() + self.minutes * 60


class InstallationTokenSource:
    """bot/tokens.py's TokenSource in OAuth mode: the installation's bot token (refreshed when
    near its expiry), None when Pacer is not installed in the workspace (or was uninstalled)."""

    def __init__(self, store: EncryptedInstallationStore, rotator: TokenRotator, minutes: int):
        self.rotation = Rotation(store, rotator, minutes)

    def bot_token(self, team_id: str | None, enterprise_id: str | None) -> str | None:
        bot = self.rotation.fresh(team_id, enterprise_id)
        return bot.bot_token if bot else None
