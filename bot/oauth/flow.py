"""GET /slack/install and GET /slack/oauth_redirect: Bolt's OAuthFlow on Pacer's stores.

/slack/install renders Pacer's "Add to Slack" page (bot/oauth/pages.py: what Pacer will be able
to do, in plain words; the state issued, kept in the database, and tied to the browser by a
cookie); Slack sends the person back to /slack/oauth_redirect, where OAuthFlow
checks the state, exchanges the code (oauth.v2.access, at SLACK_API_URL) and stores the
installation, encrypted. Then, in Pacer's own transaction, the installer becomes an admin of the
workspace and its paused rituals resume (a reinstall). Every failure gets a page that says what
happened and what to do, and stores nothing; a success gets the first steps."""

from __future__ import annotations

import logging

from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.install.listeners import installed
from bot.oauth.pages import as_page, install_page, installed_page, not_installed_page
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


class PacerOAuthFlow(OAuthFlow):
    """Bolt's flow, with Pacer's own install page and its security headers."""

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        response = super().handle_installation(request)
        return as_page(response, response.body)

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_page(url, self.settings.scopes)


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
    return PacerOAuthFlow(client=oauth_client(settings), settings=flow_settings)


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
    return as_page(args.default.success(args), installed_page(installation))


def _failed(args: FailureArgs) -> BoltResponse:
    reason = args.reason or "unknown"
    log.info("install: outcome=failed reason=%s", reason)
    told = REASONS.get(reason, f"Slack answered: {reason}.")
    status = args.suggested_status_code if reason != "access_denied" else 200
    page = not_installed_page(told, reason, INSTALL_PATH)
    return as_page(args.default.failure(args), page, status)
