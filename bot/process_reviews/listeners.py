"""What Slack sends to reviews, and which handler takes it. `/pacer process review` and
`/pacer process feedback` are wired through the drafts feature's `/pacer process` dispatcher."""

from slack_bolt import App

from bot.ids import Action, View
from bot.listeners import register_action, register_view
from bot.process_reviews import answers, resolve
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_action(app, services, Action.REVIEW_APPROVE, answers.approve_pressed)
    register_action(app, services, Action.REVIEW_SUGGEST, answers.suggest_pressed)
    register_view(app, services, View.REVIEW_SUGGEST, answers.suggestion_submitted)
    register_action(app, services, Action.REVIEW_ACCEPT, resolve.accept_pressed)
    register_action(app, services, Action.REVIEW_DISMISS, resolve.dismiss_pressed)
    register_view(app, services, View.REVIEW_DISMISS, resolve.dismiss_submitted)
