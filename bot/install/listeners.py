"""``app_uninstalled`` and ``tokens_revoked`` (the bot's token): answered 200, and the
workspace's rituals pause (``workspace.rituals_paused_at``; the clock skips it) while everything
it stored stays: logs, goals, contests, coaching notes. A reinstall resumes them: the first
command, button, form or Home tab opened in the workspace afterwards
(storage.people_queries.workspace_and_member, at the start of every request). A ``tokens_revoked``
that names only people's own tokens (no bot token) changes nothing: Pacer posts with the bot's."""

import logging

from slack_bolt import App

from bot.context import where
from bot.services import Services
from storage import people_queries

log = logging.getLogger("pacer.requests")


def register(app: App, services: Services) -> None:
    def uninstalled(ack, body: dict, event: dict) -> None:
        ack()
        kind = event.get("type")
        if kind == "tokens_revoked" and not ((event.get("tokens") or {}).get("bot") or []):
            log.info("event=%s team=%s outcome=ignored: no bot token", kind, body.get("team_id"))
            return
        team_id, enterprise_id, _ = where(body)
        with services.unit_of_work() as session:
            paused = people_queries.pause_rituals(session, team_id, enterprise_id, services.clock())
        outcome = "paused" if paused else "unchanged: unknown or paused already"
        log.info("event=%s team=%s outcome=%s", kind, team_id, outcome)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(uninstalled)
