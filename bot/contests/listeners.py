"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.contests import command, form, lag_buttons
from bot.ids import View
from bot.listeners import register_command, register_view
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/contest", command.handle)
    register_view(app, services, View.CONTEST_START, form.submit)  # /contest start alone
    lag_buttons.register(app, services)  # Launch contest, Edit first, Dismiss
