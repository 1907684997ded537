"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.coaching import action_items, command, thread_replies
from bot.listeners import register_command
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/coach", command.handle)
    thread_replies.register(app, services)  # replies in a coaching thread become notes
    action_items.register(app, services)  # "Add action item" on the opening message
