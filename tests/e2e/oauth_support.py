"""`pacer serve` in OAuth mode (SLACK_CLIENT_ID, no SLACK_BOT_TOKEN) against the stand-in, and
a browser's walk through "Add to Slack": GET /slack/install, then Slack's redirect back."""

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.fernet import Fernet

from tests.e2e.harness import PacerServer

CLIENT_ID, CLIENT_SECRET = "1111.2222", "e2e-client-secret"
SECRET_KEY = Fernet.generate_key().decode()


class OAuthServer(PacerServer):
    """`pacer serve` with OAuth installs: no bot token in its environment, no PACER_ADMINS."""

    def __init__(self, *args, rotate: bool = False, **kwargs):
        kwargs.setdefault("admins", "")
        super().__init__(*args, **kwargs)

    def env(self) -> dict:
        env = super().env()
        del env["SLACK_BOT_TOKEN"]
        env.update(
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
            PACER_SECRET_KEY=SECRET_KEY,
        )
        return env


@dataclass
class Page:
    status: int
    body: str
    headers: dict

    @property
    def authorize_url(self) -> str:
        found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', self.body)
        assert found, self.body
        return unescape(found.group(1))


def get(server: PacerServer, path: str, cookie: str | None = None) -> Page:
    request = urllib.request.Request(
        server.url + path, headers={"Cookie": cookie} if cookie else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Page(response.status, response.read().decode(), _lower(response.headers))
    except urllib.error.HTTPError as error:
        return Page(error.code, error.read().decode(), _lower(error.headers))


def start_install(server: PacerServer) -> tuple[str, str, dict]:
    """GET /slack/install: the state, the browser's cookie, and the authorize URL's query."""
    page = get(server, "/slack/install")
    assert page.status == 200, page
    query = parse_qs(urlsplit(page.authorize_url).query)
    cookie = page.headers["set-cookie"].split(";")[0]
    return query["state"][0], cookie, query


def finish_install(server: PacerServer, code: str, state: str, cookie: str | None) -> Page:
    """Slack sends the browser back with the code and the state."""
    return get(server, "/slack/oauth_redirect?" + urlencode({"code": code, "state": state}), cookie)


def install(server: PacerServer, team_id: str | None, code: str, **answer) -> str:
    """A whole install: the stand-in will answer ``code`` for the workspace; the bot token."""
    token = server.standin.add_install(code, team_id, **answer)
    state, cookie, _ = start_install(server)
    page = finish_install(server, code, state, cookie)
    assert page.status == 200, page.body
    return token


def _lower(headers) -> dict:
    return {k.lower(): v for k, v in headers.items()}
