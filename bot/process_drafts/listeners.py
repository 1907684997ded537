"""What Slack sends to the process drafts, and which handler takes it. `/pacer process …`
itself arrives through `/pacer` (bot/admin/command.py hands it to bot/process_drafts/command)."""

from slack_bolt import App

from bot.ids import Action, View
from bot.listeners import register_action, register_view
from bot.process_drafts import file_share
from bot.process_drafts.command import edit_pressed
from bot.process_drafts.submit import submit
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.DRAFT_EDIT, edit_pressed)
    register_view(app, services, View.DRAFT_EDIT, submit)
    file_share.register(app, services)
