"""``app_uninstalled`` and ``tokens_revoked`` (the bot's token): answered 200, and the
workspace's rituals pause (``workspace.rituals_paused_at``; the clock skips it) while everything
it stored stays: logs, goals, contests, coaching notes. A reinstall resumes them: the first
command, button, form or Home tab opened in the workspace afterwards
(storage.people_queries.workspace_and_member, at the start of every request). A ``tokens_revoked``
that names only people's own tokens (no bot token) changes nothing: Pacer posts with the bot's.

In OAuth mode (bot/oauth) the uninstall (or the bot token's revocation) also deletes the
installation's tokens from the store,
and the install (or reinstall) itself resumes the rituals and makes the installer an admin
(``installed``, called by the OAuth flow's success callback)."""

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
        # An org-wide install (Enterprise Grid) is the whole org's: its removal pauses them all.
        org_wide = bool(enterprise_id) and _org_wide(body)
        with services.unit_of_work() as session:
            if org_wide:
                paused = people_queries.pause_org_rituals(session, enterprise_id, services.clock())
            else:
                paused = people_queries.pause_rituals(
                    session, team_id, enterprise_id, services.clock()
                )
        outcome = "paused" if paused else "unchanged: unknown or paused already"
        if services.installations is not None:  # the app removed, or its bot token revoked
            deleted = services.installations.delete_tokens(
                enterprise_id=enterprise_id or None, team_id=None if org_wide else team_id
            )
            outcome += f", tokens deleted ({deleted} rows)"
            if services.oauth is not None:
                services.oauth.rotation.forget()
        log.info("event=%s team=%s outcome=%s", kind, team_id, outcome)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(uninstalled)


def _org_wide(body: dict) -> bool:
    authorizations = body.get("authorizations") or []
    return bool(body.get("is_enterprise_install")) or any(
        a.get("is_enterprise_install") for a in authorizations if isinstance(a, dict)
    )


def installed(
    services: Services, *, team_id: str | None, enterprise_id: str | None, installer: str
) -> None:
    """Pacer was installed (or installed again) in a workspace, or org-wide in a Grid org
    (``team_id`` None: every workspace of the org Pacer already knows): the installer is an
    admin there, as PACER_ADMINS are in single-workspace mode, and paused rituals resume. One
    transaction."""
    now = services.clock()
    with services.unit_of_work() as session:
        if team_id:
            workspaces = [people_queries.workspace_for(session, team_id, enterprise_id, now).id]
        else:
            workspaces = people_queries.org_workspaces(session, enterprise_id or "")
        for workspace_id in workspaces:
            people_queries.add_admin(session, workspace_id, installer, installer, now)
            people_queries.resume_rituals(session, workspace_id)
