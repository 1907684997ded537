"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.away import command, home
from bot.ids import Action, View
from bot.listeners import register_action, register_command, register_view
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/away", command.handle)
    register_action(app, services, Action.HOME_AWAY_ADD, home.add_pressed, home.notice)
    register_action(app, services, Action.HOME_AWAY_CANCEL, home.cancel_pressed, home.notice)
    register_view(app, services, View.HOME_AWAY, home.away_submitted)
