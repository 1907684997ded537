"""Bolt's ``authorize`` in OAuth mode: each request gets its workspace's bot token (or its Grid
org's, for an org-wide install) from the installation store. Unlike Bolt's
InstallationStoreAuthorize it never calls auth.test: the bot's user and bot ids were stored at
install time, so no Web API call happens before the acknowledgement (only a token refresh, when
the token is about to expire and rotation is on, as Bolt would)."""

from __future__ import annotations

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from bot.oauth.tokens import Rotation


class InstallationAuthorize(Authorize):
    def __init__(self, rotation: Rotation) -> None:
        self.rotation = rotation

    def __call__(self, *, context, enterprise_id, team_id, user_id, **_actor):
        bot = self.rotation.fresh(
            team_id, enterprise_id, bool(context.get("is_enterprise_install"))
        )
        if bot is None or not bot.bot_token:
            return None  # Bolt answers "please reinstall" (not installed, or uninstalled)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=bot.bot_token,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
        )
