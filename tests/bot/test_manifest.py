"""The app manifest declares exactly what the app handles."""

from datetime import UTC, datetime
from pathlib import Path

import yaml
from slack_bolt.request import BoltRequest

from bot.app import build_app
from bot.services import Services, make_client
from bot.settings import load_settings
from simulator.signed_requests import command_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage.db import make_engine
from storage.migrate import upgrade

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


def answers(command: str) -> int:
    """The HTTP status the app gives a signed `COMMAND help` (404 when nothing handles it)."""
    with SlackStandin() as slack:
        settings = load_settings(
            {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": slack.url}
        )
        engine = make_engine("sqlite://")
        upgrade(engine)
        services = Services(
            settings, engine, make_client(settings), clock=lambda: datetime.now(UTC)
        )
        body = command_body(command, "help", "U0HELPER1")
        request = BoltRequest(body=body, headers=signed_headers("s", body))
        return build_app(services).dispatch(request).status


def test_every_slash_command_in_the_manifest_is_handled_and_escaped():
    declared = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(declared) == {
        "/log",
        "/scorecard",
        "/leaderboard",
        "/pacer",
        "/contest",
        "/coach",
        "/away",
    }
    for name, command in declared.items():
        assert answers(name) == 200, name
        assert command["url"].endswith("/slack/events")
        assert command["should_escape"] is True  # mentions arrive as <@U…|name>
        assert len(command["description"]) <= 100


def test_scopes_events_and_interactivity():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "im:write", "files:write"} <= scopes
    settings = MANIFEST["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"app_home_opened", "message.channels", "message.groups", "message.mpim"} <= events
    assert {"app_uninstalled", "tokens_revoked"} <= events  # bot/install: rituals pause
    assert {"mpim:write", "mpim:history", "channels:history", "groups:history"} <= scopes
    assert {"chat:write.public", "channels:join"} <= scopes  # rituals in a channel Pacer joins
    assert settings["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_every_scope_is_asked_for_once():
    scopes = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)), sorted(s for s in scopes if scopes.count(s) > 1)
