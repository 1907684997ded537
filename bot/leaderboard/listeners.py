"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.leaderboard import command, share
from bot.listeners import register_command
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/leaderboard", command.handle)
    share.register(app, services)
