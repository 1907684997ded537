"""GET /slack/install and GET /slack/oauth_redirect: Bolt's OAuthFlow on Pacer's stores.

/slack/install renders the "Add to Slack" page (state issued, kept in the database, and tied to
the browser by a cookie); Slack sends the person back to /slack/oauth_redirect, where OAuthFlow
checks the state, exchanges the code (oauth.v2.access, at SLACK_API_URL) and stores the
installation, encrypted. Then, in Pacer's own transaction, the installer becomes an admin of the
workspace and its paused rituals resume (a reinstall). Every failure gets a page that says what
happened and what to do, and stores nothing."""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse

from bot.install.listeners import installed
from bot.oauth.setup import OAuth, oauth_client
from bot.services import Services

log = logging.getLogger("pacer")

INSTALL_PATH, REDIRECT_PATH = "/slack/install", "/slack/oauth_redirect"
STATE_SECONDS = 600  # an install link is good for 10 minutes

# What each of OAuthFlow's failure reasons means to the person who pressed "Add to Slack".
REASONS = {
    "access_denied": "The install was cancelled in Slack, so Pacer was not added.",
    "invalid_state": (
        "This install link has expired or was already used (links last 10 minutes and work once)."
    ),
    "invalid_browser": (
        "This install was started in another browser (or its cookie was blocked): finish it "
        "in the browser that opened the install page."
    ),
    "missing_code": "Slack's answer carried no install code.",
    "invalid_code": (
        "Slack did not accept the install code (it may have been used already, or the app's "
        "client ID and secret don't match): nothing was installed."
    ),
    "storage_error": "Pacer could not save the installation: nothing was installed.",
    "pacer_error": "Pacer could not finish setting up the workspace.",
}


def build_oauth_flow(services: Services, oauth: OAuth) -> OAuthFlow:
    settings = services.settings
    flow_settings = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(oauth.scopes),
        user_scopes=[],
        redirect_uri=settings.public_url + REDIRECT_PATH,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=oauth.installations,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=oauth.rotate_minutes,
        state_store=oauth.states,
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(
            success=lambda args: _succeeded(services, args), failure=_failed
        ),
    )
    return OAuthFlow(client=oauth_client(settings), settings=flow_settings)


def _succeeded(services: Services, args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    where = installation.team_id or f"org {installation.enterprise_id}"
    services.oauth.rotation.forget()  # a reinstall's new token, at once in this process
    try:
        installed(
            services,
            team_id=None if installation.is_enterprise_install else installation.team_id,
            enterprise_id=installation.enterprise_id,
            installer=installation.user_id,
        )
    except Exception:
        log.exception("install: %s stored, but setting up the workspace failed", where)
        return _failed(
            FailureArgs(
                request=args.request,
                reason="pacer_error",
                suggested_status_code=500,
                settings=args.settings,
                default=args.default,
            )
        )
    log.info(
        "install: team=%s org=%s installer=%s outcome=installed",
        installation.team_id,
        installation.enterprise_id,
        installation.user_id,
    )
    return args.default.success(args)


def _failed(args: FailureArgs) -> BoltResponse:
    reason = args.reason or "unknown"
    log.info("install: outcome=failed reason=%s", reason)
    told = REASONS.get(reason, f"Slack answered: {reason}.")
    body = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Pacer was not installed</title>"
        "</head><body><h1>Pacer was not installed</h1>"
        f"<p>{html.escape(told)}</p>"
        f"<p><a href='{INSTALL_PATH}'>Start the install again</a>, or ask whoever runs Pacer "
        f"for help (reason: <code>{html.escape(reason)}</code>).</p></body></html>"
    )
    status = args.suggested_status_code if reason != "access_denied" else 200
    return BoltResponse(
        status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )
