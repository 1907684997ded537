"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.admin import command, settings_form
from bot.listeners import register_command
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/pacer", command.handle)
    settings_form.register(app, services)  # `/pacer` alone, for managers
