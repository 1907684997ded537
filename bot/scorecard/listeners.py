"""What Slack sends to this feature, and which handler takes it."""

from slack_bolt import App

from bot.listeners import register_command
from bot.scorecard import command, logs, share, team_view, why
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_command(app, services, "/scorecard", command.handle)
    share.register(app, services)  # "My scorecard" on digests, "Share to channel"
    why.register(app, services)  # "How is this computed?"
    team_view.register(app, services)  # "Share to channel" on the team's scorecard
    logs.register(app, services)  # a manager's "Void a log…" under the logs behind a number
