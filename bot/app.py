"""The Bolt app: each feature package registers its own listeners (slash commands, buttons,
forms, events); bot.listeners runs every one of them the same way."""

from slack_bolt import App

from bot.admin import listeners as admin
from bot.away import listeners as away
from bot.coaching import listeners as coaching
from bot.contests import listeners as contests
from bot.home import listeners as home
from bot.install import listeners as install
from bot.leaderboard import listeners as leaderboard
from bot.log import listeners as log
from bot.scorecard import listeners as scorecard
from bot.services import Services


def build_app(services: Services) -> App:
    app = App(
        signing_secret=services.settings.signing_secret,
        client=services.client,
        # Our handlers are fast and store before acknowledging; running them before the response
        # avoids Bolt's 10 ms polling for ack() and guarantees nothing is acknowledged unstored.
        process_before_response=True,
        token_verification_enabled=False,  # no auth.test call at boot: start even if Slack is slow
        raise_error_for_unhandled_request=False,
    )
    for feature in (log, scorecard, leaderboard, home, away, contests, coaching, admin, install):
        feature.register(app, services)
    return app
