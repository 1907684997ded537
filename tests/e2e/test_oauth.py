"""OAuth installs over real HTTP: `pacer serve` with SLACK_CLIENT_ID (no SLACK_BOT_TOKEN), a
browser's walk through "Add to Slack", the stand-in's oauth.v2.access, then signed requests from
the installed workspaces, each answered with its own token."""

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.services import Services
from simulator.signed_requests import event_body, json_headers
from simulator.slack_standin import SlackStandin
from storage.db import make_engine
from storage.installations import StateStore
from tests.e2e.conftest import CLOCK, DATABASES, database_url
from tests.e2e.harness import SECRET, Workspace
from tests.e2e.oauth_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    OAuthServer,
    finish_install,
    get,
    install,
    start_install,
)


def _oauth_server(kind: str, folder, extra_args=()):
    with database_url(kind, folder) as url, SlackStandin() as standin:
        standin.oauth_client = (CLIENT_ID, CLIENT_SECRET)
        server = OAuthServer(standin, url, CLOCK, folder / "serve.log", extra_args=extra_args)
        server.start()
        yield server
        server.stop()


@pytest.fixture(scope="module", params=DATABASES)
def oauth_server(request, tmp_path_factory):
    """`pacer serve` in OAuth mode on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    yield from _oauth_server(request.param, tmp_path_factory.mktemp(f"oauth-{request.param}"))


@pytest.fixture(scope="module", params=DATABASES)
def one_worker(request, tmp_path_factory):
    """The same with one worker process. Each process keeps a found installation in memory
    for 10 s (bot/oauth/tokens.py KEEP_SECONDS) and forgets it when the install or uninstall
    lands in that process; another process may use it until then. Slack sends nothing from a
    workspace that removed the app, and a person reinstalling takes longer than that, but a test
    sending requests right after an uninstall would race the other process's memory."""
    folder = tmp_path_factory.mktemp(f"oauth-one-{request.param}")
    yield from _oauth_server(request.param, folder, ("--workers", "1"))


# Calls after the ack (users.info, views.publish, chat.postMessage…) take their token from
# Services.clients_for (the tenancy branch, bot/services.py). Before that is merged they carry
# none in OAuth mode; from then on every call must carry the workspace's own token.
TENANCY = hasattr(Services, "clients_for")


def poll(found, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while not (value := found()):
        assert time.monotonic() < deadline, "nothing came"
        time.sleep(0.02)
    return value


def calls_since(standin, mark: int):
    return standin.calls[mark:]


def assert_own_token(made, token: str) -> None:
    """No call of the workspace's carried another workspace's token (or the old rotated one);
    with per-workspace clients merged, every call carried ``token``."""
    assert made, "Web API calls were made"
    assert {c.token for c in made if c.token} <= {token}, [(c.method, c.token) for c in made]
    if TENANCY:
        assert {c.token for c in made} == {token}, [(c.method, c.token) for c in made]


def test_install_stores_the_encrypted_installation_and_the_installer_is_admin(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    state, cookie, query = start_install(server)
    assert query["client_id"] == [CLIENT_ID]
    assert "commands" in query["scope"][0].split(",")
    assert query["redirect_uri"] == [server.url + "/slack/oauth_redirect"]
    assert server.rows("SELECT count(*) FROM slack_oauth_states WHERE state = ?", state) == [(1,)]
    token = standin.add_install("code-a", "TINSTALLA", installer="UFOUNDER1")
    mark = len(standin.calls)
    page = finish_install(server, "code-a", state, cookie)
    assert page.status == 200, page.body
    exchange = [c for c in calls_since(standin, mark) if c.method == "oauth.v2.access"]
    assert [
        (c.params["code"], c.params["client_id"], c.params["client_secret"]) for c in exchange
    ] == [("code-a", CLIENT_ID, CLIENT_SECRET)]
    assert exchange[0].params["redirect_uri"] == server.url + "/slack/oauth_redirect"
    # Stored, encrypted: the raw column never holds the token.
    raw = server.rows(
        "SELECT bot_token, user_id FROM slack_installations WHERE team_id = ?", "TINSTALLA"
    )
    assert len(raw) == 1 and raw[0][1] == "UFOUNDER1"
    assert raw[0][0] and token not in raw[0][0] and not raw[0][0].startswith("xox")
    bots = server.rows("SELECT bot_token FROM slack_bots WHERE team_id = ?", "TINSTALLA")
    assert bots and token not in bots[0][0]
    assert server.rows("SELECT count(*) FROM slack_oauth_states WHERE state = ?", state) == [(0,)]
    # The installer is the workspace's first admin: /pacer team add works for them only.
    ws = Workspace(server, "TINSTALLA")
    assert "Only" in ws.pacer("USTRANGER", "team add <@USDR00001> sdr").text
    added = ws.pacer("UFOUNDER1", "team add <@USDR00001> sdr")
    assert added.status == 200 and "Only" not in added.text, added.text


def test_a_log_from_the_workspace_uses_its_own_token(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    token = install(server, "TLOGGING1", "code-log", installer="UBOSS0001")
    ws = Workspace(server, "TLOGGING1")
    assert ws.pacer("UBOSS0001", "team add <@USDR00002> sdr").status == 200
    mark = len(standin.calls)
    reply = ws.log("USDR00002", "calls 12")
    assert reply.status == 200 and "12" in reply.text, reply.text
    assert "12" in ws.followed(reply).text
    time.sleep(0.3)  # work after the ack (profiles, the Home tab) has had its moment
    assert_own_token(calls_since(standin, mark), token)


def test_two_workspaces_each_use_their_own_token(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    tokens = {
        team: install(server, team, f"code-{team}", installer=f"U{team[1:]}")
        for team in ("TTWOAAAA1", "TTWOBBBB1")
    }
    assert len(set(tokens.values())) == 2
    for team, token in tokens.items():
        ws = Workspace(server, team)
        mark = len(standin.calls)
        assert ws.pacer(f"U{team[1:]}", f"team add <@US{team[1:]}> sdr").status == 200
        reply = ws.log(f"US{team[1:]}", "calls 3")
        ws.followed(reply)
        time.sleep(0.3)
        assert_own_token(calls_since(standin, mark), token)


def test_a_bad_state_a_denied_install_and_a_refused_code_store_nothing(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    before = server.rows("SELECT count(*) FROM slack_installations")[0][0]
    standin.add_install("code-never", "TNEVER001")
    # A state Pacer never issued (its cookie forged to match).
    page = finish_install(server, "code-never", "forged", "slack-app-oauth-state=forged")
    assert page.status == 401 and "expired or was already used" in page.body
    # A state issued to another browser.
    state, cookie, _ = start_install(server)
    page = finish_install(server, "code-never", state, "slack-app-oauth-state=other")
    assert page.status == 400 and "another browser" in page.body
    # An expired one: issued, then left open past its 10 minutes.
    state, cookie, _ = start_install(server)
    StateStore(make_engine(server.database_url)).expire_all()
    assert "expired or was already used" in finish_install(server, "code-never", state, cookie).body
    # Cancelled in Slack.
    denied = get(server, "/slack/oauth_redirect?error=access_denied&state=x")
    assert denied.status == 200 and "cancelled" in denied.body
    # Slack refuses the code.
    state, cookie, _ = start_install(server)
    refused = finish_install(server, "code-unknown", state, cookie)
    assert refused.status == 401 and "did not accept the install code" in refused.body
    assert [c.params.get("code") for c in standin.calls_to("oauth.v2.access")][-1] == "code-unknown"
    assert server.rows("SELECT count(*) FROM slack_installations")[0][0] == before
    assert server.rows("SELECT count(*) FROM slack_bots WHERE team_id = 'TNEVER001'") == [(0,)]


def test_an_expiring_token_is_rotated_and_saved_encrypted(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    old = install(server, "TROTATE01", "code-rotate", installer="UROT00001", expires_in=60)
    ws = Workspace(server, "TROTATE01")
    mark = len(standin.calls)
    assert ws.pacer("UROT00001", "team add <@USROT0001> sdr").status == 200
    refresh = [c for c in calls_since(standin, mark) if c.method == "oauth.v2.access"]
    assert [c.params.get("grant_type") for c in refresh] == ["refresh_token"]
    new = next(
        t for t, w in standin.token_workspaces.items() if w["team_id"] == "TROTATE01" and t != old
    )
    raw = server.rows(
        "SELECT bot_token, bot_refresh_token FROM slack_bots WHERE team_id = ?", "TROTATE01"
    )
    assert len(raw) == 1 and new not in raw[0][0] and not raw[0][1].startswith("xoxe")
    mark = len(standin.calls)
    reply = ws.log("USROT0001", "calls 2")
    ws.followed(reply)
    time.sleep(0.3)
    made = calls_since(standin, mark)
    assert "oauth.v2.access" not in {c.method for c in made}  # the new token is fresh
    assert_own_token(made, new)


def test_org_wide_install_serves_every_workspace_of_the_org(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    token = install(
        server, None, "code-org", enterprise_id="EORG00001", org_wide=True, installer="WBOSS0001"
    )
    rows = server.rows(
        "SELECT team_id, enterprise_id, is_enterprise_install FROM slack_bots WHERE enterprise_id = ?",
        "EORG00001",
    )
    assert rows == [(None, "EORG00001", 1)]
    for team in ("TORGAAA01", "TORGBBB01"):
        ws = OrgWorkspace(server, team, "EORG00001")
        # The org's installer is an admin in each workspace of the org, new ones included.
        assert ws.pacer("WBOSS0001", "team add <@WREP00001> sdr").status == 200
        assert "Only" in ws.pacer("WNOBODY01", "team add <@WREP00002> sdr").text
        mark = len(standin.calls)
        reply = ws.log("WREP00001", "calls 4")
        assert reply.status == 200 and "4" in reply.text, reply.text
        ws.followed(reply)
        time.sleep(0.3)
        assert_own_token(calls_since(standin, mark), token)
    # Removed from the org: its tokens go, every workspace of the org pauses, data stays.
    envelope = json.loads(event_body({"type": "app_uninstalled"}, team_id="TORGAAA01"))
    envelope |= {"enterprise_id": "EORG00001", "is_enterprise_install": True}
    body = json.dumps(envelope)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    assert server.rows("SELECT count(*) FROM slack_bots WHERE enterprise_id = 'EORG00001'") == [
        (0,)
    ]
    paused = server.rows(
        "SELECT slack_team_id FROM workspace WHERE enterprise_id = 'EORG00001' "
        "AND rituals_paused_at IS NOT NULL ORDER BY slack_team_id"
    )
    assert paused == [("TORGAAA01",), ("TORGBBB01",)]
    assert server.stored("TORGAAA01") == 1 and server.stored("TORGBBB01") == 1


def test_uninstall_deletes_the_tokens_keeps_the_data_and_a_reinstall_resumes(one_worker):
    server, standin = one_worker, one_worker.standin
    install(server, "TUNINST01", "code-u1", installer="UUN000001")
    ws = Workspace(server, "TUNINST01")
    assert ws.pacer("UUN000001", "team add <@USUN00001> sdr").status == 200
    assert ws.log("USUN00001", "calls 7").status == 200
    body = event_body({"type": "app_uninstalled"}, team_id="TUNINST01")
    assert server.post(body, json_headers(SECRET, body)).status == 200
    assert server.rows("SELECT count(*) FROM slack_bots WHERE team_id = 'TUNINST01'") == [(0,)]
    assert server.rows("SELECT count(*) FROM slack_installations WHERE team_id = 'TUNINST01'") == [
        (0,)
    ]
    paused = server.rows(
        "SELECT rituals_paused_at FROM workspace WHERE slack_team_id = 'TUNINST01'"
    )
    assert paused[0][0] is not None
    assert server.stored("TUNINST01") == 1  # the data stays
    refused = ws.log("USUN00001", "calls 1")  # not installed: told how to add Pacer again
    told = poll(lambda: ws.responses(refused))
    assert "isn't installed in this workspace" in told[0]["text"]
    assert server.url + "/slack/install" in told[0]["text"]
    assert server.stored("TUNINST01") == 1
    # Installed again: rituals resume, the token works.
    token = install(server, "TUNINST01", "code-u2", installer="UUN000001")
    assert server.rows(
        "SELECT rituals_paused_at FROM workspace WHERE slack_team_id = 'TUNINST01'"
    ) == [(None,)]
    mark = len(standin.calls)
    reply = ws.log("USUN00001", "calls 1")
    ws.followed(reply)
    time.sleep(0.3)
    assert_own_token(calls_since(standin, mark), token)
    assert server.stored("TUNINST01") == 2


class OrgWorkspace(Workspace):
    """A workspace of a Grid org: its commands carry the org's enterprise_id."""

    def __init__(self, server, team_id, enterprise_id):
        super().__init__(server, team_id)
        self.enterprise_id = enterprise_id

    def body(self, command, text, user, trigger_id=None):
        from simulator.signed_requests import command_body

        return command_body(
            command,
            text,
            user,
            team_id=self.team_id,
            enterprise_id=self.enterprise_id,
            trigger_id=trigger_id,
            response_url=self.server.standin.new_response_url(),
        )


def test_single_workspace_mode_serves_no_install_pages(server):
    """With SLACK_BOT_TOKEN (no SLACK_CLIENT_ID) there is nothing to install: 404."""
    for path in ("/slack/install", "/slack/oauth_redirect?code=x&state=y"):
        assert get(server, path).status == 404
    assert server.rows("SELECT count(*) FROM slack_oauth_states") == [(0,)]


def test_the_install_pages_say_what_pacer_does_and_what_comes_next(oauth_server):
    server, standin = oauth_server, oauth_server.standin
    page = get(server, "/slack/install")
    assert page.status == 200 and "Add Pacer to your Slack workspace" in page.body
    assert "See people&#39;s names and timezones" in page.body  # users:read, in plain words
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert not re.search(r"src=|@import|url\(", page.body)  # nothing loaded from outside
    state = parse_qs(urlsplit(page.authorize_url).query)["state"][0]
    cookie = page.headers["set-cookie"].split(";")[0]
    standin.add_install("code-pages", "TPAGES001", installer="UPAGES001")
    done = finish_install(server, "code-pages", state, cookie)
    assert done.status == 200 and "Pacer is in Team TPAGES001" in done.body
    assert "/pacer channel #sales" in done.body and "/pacer team add @rep sdr" in done.body
    assert 'href="slack://app?team=TPAGES001&amp;id=APACER"' in done.body
    assert "=deleted;" in done.headers["set-cookie"]  # the state cookie goes
    assert "default-src 'none'" in done.headers["content-security-policy"]
    again = finish_install(server, "code-pages", state, cookie)  # the link works once
    assert again.status == 401 and "Pacer was not installed" in again.body
    assert "expired or was already used" in again.body and 'href="/slack/install"' in again.body
