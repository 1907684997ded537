"""Socket Mode: the same app over a WebSocket, for workspaces without a public URL."""

import logging

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import build_app
from bot.identity import identify_at_start
from bot.server import make_services
from bot.settings import Settings

log = logging.getLogger("pacer")


def run_socket_mode(settings: Settings) -> None:
    # OAuth mode: each workspace's token comes from its installation; the "Add to Slack" pages
    # need a public URL, so `pacer serve` on the same database serves them (README).
    settings.require("pacer socket", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    if not settings.signing_secret:  # Socket Mode requests are not signed; Bolt still wants a value
        settings = settings.__class__(**{**settings.__dict__, "signing_secret": "socket-mode"})
    services = make_services(settings)
    if not settings.oauth:
        identify_at_start(services.identity, services.modal_client)
    log.info("pacer socket: connecting to Slack in Socket Mode")
    SocketModeHandler(build_app(services), settings.app_token).start()
