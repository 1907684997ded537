"""OAuth mode in process: the settings it needs, the scopes it asks for, Bolt's request handling
authorized from the installation store without a Web API call before the ack, and the token
source that calls outside requests use (rotation included)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from slack_bolt.request import BoltRequest
from sqlalchemy import text

from bot.app import build_app
from bot.oauth.setup import DEFAULT_SCOPES, make_oauth, token_source
from bot.server import make_services, serve
from bot.settings import MissingSetting, load_settings
from bot.tokens import EnvTokenSource
from simulator.signed_requests import (
    command_body,
    event_body,
    json_headers,
    responses_to,
    signed_headers,
)
from simulator.slack_standin import SlackStandin
from tests.bot.support import Inline

ROOT = Path(__file__).resolve().parents[3]
KEY = Fernet.generate_key().decode()


def oauth_env(slack: SlackStandin, tmp_path, **extra) -> dict:
    return {
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "client-secret",
        "PACER_SECRET_KEY": KEY,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'oauth.db'}",
    } | extra


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        standin.oauth_client = ("1.2", "client-secret")
        yield standin


@pytest.fixture
def services(slack, tmp_path):
    built = make_services(load_settings(oauth_env(slack, tmp_path)))
    built.background = built.quiet = Inline()
    built.clock = lambda: datetime(2026, 11, 24, 16, tzinfo=UTC)
    yield built
    built.engine.dispose()


def installed(services, slack, team_id, code, **answer):
    """What OAuthFlow stores after Slack's redirect: oauth.v2.access through the flow itself."""
    token = slack.add_install(code, team_id, **answer)
    flow = build_app(services).oauth_flow
    stored = flow.run_installation(code)
    flow.store_installation(None, stored)
    return token


def test_default_scopes_are_the_manifests_bot_scopes():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert set(DEFAULT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
    assert len(DEFAULT_SCOPES) == len(set(DEFAULT_SCOPES))


def test_slack_scopes_overrides_them(slack, tmp_path):
    settings = load_settings(oauth_env(slack, tmp_path, SLACK_SCOPES="commands, chat:write"))
    assert make_oauth(settings, None).scopes == ("commands", "chat:write")


def test_oauth_mode_without_its_secret_key_stops_with_a_clear_message(slack, tmp_path):
    env = oauth_env(slack, tmp_path)
    del env["PACER_SECRET_KEY"]
    with pytest.raises(MissingSetting) as stopped:
        serve(load_settings(env), port=0)
    assert "PACER_SECRET_KEY" in str(stopped.value) and "Fernet" in str(stopped.value)
    assert "SLACK_BOT_TOKEN" not in str(stopped.value)  # OAuth mode needs no bot token


def test_a_secret_key_that_is_no_fernet_key_stops_the_start(slack, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        make_services(load_settings(oauth_env(slack, tmp_path, PACER_SECRET_KEY="hunter2")))
    assert "generate_key" in str(stopped.value)


def test_single_workspace_mode_keeps_the_environments_token(slack, tmp_path):
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_API_URL": slack.url, "DATABASE_URL": "sqlite://"}
    )
    assert not settings.oauth and make_oauth(settings, None) is None
    source = token_source(settings, None)
    assert isinstance(source, EnvTokenSource) and source.bot_token("T1", None) == "xoxb-env"


def test_a_request_is_authorized_from_its_installation_with_no_call_before_the_ack(services, slack):
    installed(services, slack, "TAPP00001", "c1")
    app = build_app(services)
    slack.reset()
    body = command_body("/log", "help", "U1", team_id="TAPP00001")
    seen = {}

    @app.middleware
    def remember(context, next):
        seen.update(context)
        return next()

    response = app.dispatch(BoltRequest(body=body, headers=signed_headers("s", body)))
    assert response.status == 200 and json.loads(response.body)
    assert seen["bot_token"].startswith("xoxb-TAPP00001")
    assert (seen["bot_user_id"], seen["bot_id"]) == ("UBOTTAPP00001", "BBOTTAPP00001")
    assert slack.calls == []  # no auth.test, nothing else


def test_a_request_from_a_workspace_without_an_installation_is_told_to_install(services, slack):
    app = build_app(services)
    url = slack.new_response_url()
    body = command_body("/log", "calls 3", "U1", team_id="TNOTHERE1", response_url=url)
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers("s", body)))
    assert response.status == 200
    told = responses_to(slack, url)[0]["text"]
    assert "isn't installed in this workspace" in told and "/slack/install" in told
    with services.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM activity_log")).scalar() == 0


def test_the_token_source_finds_each_workspace_and_the_org(services, slack):
    one = installed(services, slack, "TSRC00001", "c1")
    org = installed(services, slack, None, "c2", enterprise_id="EORG1", org_wide=True)
    own = installed(services, slack, "TSRC00002", "c3", enterprise_id="EORG2")
    tokens = services.tokens
    assert tokens.bot_token("TSRC00001", None) == one
    assert tokens.bot_token("TANY00001", "EORG1") == org  # any workspace of the org
    assert tokens.bot_token("TSRC00002", "EORG2") == own
    assert tokens.bot_token("TSRC00003", "EORG2") is None  # installed per workspace there
    assert tokens.bot_token("TNOTHERE1", None) is None


def test_an_expiring_token_is_rotated_once_and_saved_encrypted(services, slack):
    old = installed(services, slack, "TROT00001", "c1", expires_in=600)  # within 2 hours
    slack.reset()
    new = services.tokens.bot_token("TROT00001", None)
    assert new != old and new.startswith("xoxb-rotated-")
    assert [c.params.get("grant_type") for c in slack.calls] == ["refresh_token"]
    assert services.tokens.bot_token("TROT00001", None) == new  # fresh now: no second refresh
    assert len(slack.calls_to("oauth.v2.access")) == 1
    with services.engine.connect() as conn:
        raw, refresh = conn.execute(
            text("SELECT bot_token, bot_refresh_token FROM slack_bots WHERE team_id = 'TROT00001'")
        ).one()
    assert new not in raw and not refresh.startswith("xoxe")
    # The old token no longer works at Slack; the new one does.
    assert slack.token_workspaces[new]["team_id"] == "TROT00001" and old in slack.expired_tokens
    # Both of the store's reads find the new token (the rotation saved it to both tables).
    store = services.oauth.installations
    assert store.find_bot(enterprise_id=None, team_id="TROT00001").bot_token == new
    assert store.find_installation(enterprise_id=None, team_id="TROT00001").bot_token == new


def test_a_refused_rotation_keeps_the_token_until_it_expires_then_none(services, slack):
    old = installed(services, slack, "TROT00002", "c1", expires_in=600)
    refused = {"ok": False, "error": "invalid_refresh_token"}
    slack.fail_next("oauth.v2.access", status=200, body=refused)
    assert services.tokens.bot_token("TROT00002", None) == old  # still valid for 10 minutes
    expired = installed(services, slack, "TROT00003", "c2", expires_in=-60)
    slack.fail_next("oauth.v2.access", status=200, body=refused)
    assert expired and services.tokens.bot_token("TROT00003", None) is None
    assert services.tokens.bot_token("TROT00003", None).startswith("xoxb-rotated-")  # next time


@pytest.mark.parametrize("command", ["pacer clock", "pacer rituals run", "pacer socket"])
def test_every_command_asks_for_the_oauth_settings_instead_of_a_bot_token(slack, tmp_path, command):
    env = oauth_env(slack, tmp_path)
    del env["SLACK_CLIENT_SECRET"]
    with pytest.raises(MissingSetting) as stopped:
        load_settings(env).require(command, "SLACK_BOT_TOKEN")
    assert "SLACK_CLIENT_SECRET" in str(stopped.value) and "SLACK_BOT_TOKEN" not in str(
        stopped.value
    )
    load_settings(oauth_env(slack, tmp_path)).require(command, "SLACK_BOT_TOKEN")  # all set


def test_an_installation_is_kept_in_memory_briefly_and_forgotten_on_install(services, slack):
    from bot.oauth.tokens import Rotation

    oauth, now = services.oauth, [0.0]
    rotation = Rotation(
        oauth.installations, oauth.rotator, 120, keep_seconds=10, monotonic=lambda: now[0]
    )
    assert rotation.fresh("TKEEP0001", None) is None  # not installed: not kept
    first = installed(services, slack, "TKEEP0001", "c1")
    assert rotation.fresh("TKEEP0001", None).bot_token == first  # found at once
    oauth.installations.delete_tokens(enterprise_id=None, team_id="TKEEP0001")
    now[0] = 9.0
    assert rotation.fresh("TKEEP0001", None).bot_token == first  # kept: no database read
    now[0] = 10.5
    assert rotation.fresh("TKEEP0001", None) is None  # read again
    second = installed(services, slack, "TKEEP0001", "c2")
    assert rotation.fresh("TKEEP0001", None).bot_token == second
    oauth.installations.delete_tokens(enterprise_id=None, team_id="TKEEP0001")
    rotation.forget()  # what an uninstall in this process does
    assert rotation.fresh("TKEEP0001", None) is None


@pytest.mark.parametrize(
    ("event", "deleted"),
    [
        ({"type": "app_uninstalled"}, True),
        ({"type": "tokens_revoked", "tokens": {"bot": ["UBOTTREV00001"]}}, True),
        ({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}, False),  # people's own only
    ],
)
def test_an_uninstall_or_a_revoked_bot_token_deletes_the_tokens(services, slack, event, deleted):
    installed(services, slack, "TREV00001", "c1")
    installed(services, slack, "TKEEP0002", "c2")
    body = event_body(event, team_id="TREV00001")
    app = build_app(services)
    response = app.dispatch(BoltRequest(body=body, headers=json_headers("s", body)))
    assert response.status == 200
    store = services.installations
    assert (store.find_bot(enterprise_id=None, team_id="TREV00001") is None) is deleted
    assert store.find_bot(enterprise_id=None, team_id="TKEEP0002") is not None
    assert (services.tokens.bot_token("TREV00001", None) is None) is deleted


def test_an_org_wide_reinstall_resumes_and_admits_in_every_known_workspace_of_the_org(
    services, slack
):
    from bot.oauth.flow import _succeeded
    from storage import people_queries

    now = services.clock()
    with services.unit_of_work() as session:
        known = [people_queries.workspace_for(session, t, "EORG9", now).id for t in ("TA", "TB")]
        other = people_queries.workspace_for(session, "TC", "EOTHER", now).id
        assert people_queries.pause_org_rituals(session, "EORG9", now) == 2
    slack.add_install("c-org", None, enterprise_id="EORG9", org_wide=True, installer="WINST")
    flow = build_app(services).oauth_flow
    stored = flow.run_installation("c-org")
    flow.store_installation(None, stored)

    class Args:  # what OAuthFlow hands its success callback
        installation, settings = stored, flow.settings
        request = BoltRequest(body="", query="code=c-org&state=s")
        default = flow.default_callback_options

    assert _succeeded(services, Args).status == 200
    with services.unit_of_work() as session:
        assert people_queries.paused_workspaces(session) == set()
        for workspace_id in known:
            assert people_queries.promoted_admins(session, workspace_id) == ["WINST"]
        assert people_queries.promoted_admins(session, other) == []
