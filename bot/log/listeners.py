"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.listeners import register_command
from bot.log import command, form
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/log", command.handle)
    form.register(app, services)  # `/log` alone, and "Log activity" on digests
