"""The Bolt app: each feature package registers its own listeners (slash commands, buttons,
forms, events); bot.listeners runs every one of them the same way."""

from slack_bolt import App
from slack_sdk import WebClient

from bot.admin import listeners as admin
from bot.away import listeners as away
from bot.coaching import listeners as coaching
from bot.contests import listeners as contests
from bot.home import listeners as home
from bot.identity import CachedAuthorize
from bot.imports import listeners as imports
from bot.install import listeners as install
from bot.leaderboard import listeners as leaderboard
from bot.log import listeners as log
from bot.oauth.authorize import InstallationAuthorize
from bot.oauth.flow import build_oauth_flow
from bot.process_drafts import listeners as process_drafts
from bot.process_reviews import listeners as process_reviews
from bot.scorecard import listeners as scorecard
from bot.services import Services


def build_app(services: Services, verified_at_edge: bool = False) -> App:
    """``verified_at_edge``: every request reaching Bolt was already verified on its raw bytes
    (bot/edge.py, in `pacer serve`), so Bolt need not check the signature a second time."""
    client = services.client
    if services.oauth is not None:
        mode = {
            # no auth.test before the ack: the bot's ids come with the installation
            "authorize": InstallationAuthorize(services.oauth.rotation),
            "oauth_flow": build_oauth_flow(services, services.oauth),
            # A request from a workspace without an installation (never installed, or removed)
            "user_facing_authorize_error_message": (
                "Pacer isn't installed in this workspace (it was removed, or never added). "
                f"Anyone allowed to add apps can add it again: {services.settings.public_url}"
                "/slack/install"
            ),
        }
    else:
        # Who the bot is comes from memory (auth.test once at start, bot/identity.py), never
        # from a Web API call before the acknowledgement.
        mode = {
            "authorize": CachedAuthorize(
                services.identity,
                client.token,
                ask_later=lambda: services.after_ack(
                    lambda: services.identity.retry(services.modal_client)
                ),
                tokens=services.tokens,  # each request's client holds its own workspace's token
            )
        }
    app = App(
        signing_secret=services.settings.signing_secret,
        # Bolt's own client holds no token (Bolt would warn that ``authorize`` overrides it):
        # each request's client gets the bot token from ``authorize``.
        client=WebClient(
            base_url=client.base_url, timeout=client.timeout, retry_handlers=client.retry_handlers
        ),
        # Single workspace: the token from SLACK_BOT_TOKEN; OAuth: each workspace's installation.
        **mode,
        # Our handlers are fast and store before acknowledging; running them before the response
        # avoids Bolt's 10 ms polling for ack() and guarantees nothing is acknowledged unstored.
        process_before_response=True,
        request_verification_enabled=not verified_at_edge,
        raise_error_for_unhandled_request=False,
    )
    # Before coaching, whose message listener takes the rest: imports takes only a CSV shared in
    # a DM, process_drafts any other file shared in a DM (a process file in YAML).
    features = (
        log,
        scorecard,
        leaderboard,
        home,
        away,
        imports,
        process_drafts,
        contests,
        coaching,
    )
    for feature in (*features, process_reviews, admin, install):
        feature.register(app, services)
    return app
