"""Uninstall (bot/install/listeners.py) through signed Events API payloads: `app_uninstalled`
and the bot's `tokens_revoked` answer 200 and pause the workspace's rituals, keeping its data;
the clock and `pacer rituals run` skip it; the next request from the workspace (a reinstall)
resumes them."""

from datetime import datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt.request import BoltRequest

from bot.delivery.clock import Clock
from bot.delivery.posting import ChannelPacer
from simulator.signed_requests import event_body, json_headers
from storage import people_queries
from tests.bot.delivery.support import THURSDAY_1745, channel_rig, run, team_id
from tests.bot.support import ADMIN, SDR


@pytest.fixture
def rig(tmp_path):
    with channel_rig(tmp_path) as rig:
        yield rig


def send_event(rig, event: dict, team: str = "T0RIG0001") -> int:
    body = event_body(event, team_id=team)
    return rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body))).status


def paused(rig) -> bool:
    with rig.services.unit_of_work() as session:
        team = people_queries.get_team(session, team_id(rig))
        return team.workspace_id in people_queries.paused_workspaces(session)


def daily_posts(rig) -> list:
    return [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["text"].startswith("Daily digest") and "thread_ts" not in c.params
    ]


def test_uninstall_pauses_the_rituals_keeps_the_data_and_a_reinstall_resumes(rig):
    rig.text("/log", "calls 12", SDR)
    assert send_event(rig, {"type": "app_uninstalled"}) == 200
    assert paused(rig)
    # The clock's tick and its triggers skip the workspace; nothing is claimed.
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    clock.pacer = ChannelPacer(0)
    rig.now = THURSDAY_1745
    assert clock.tick() == []
    assert run(rig, "daily").status == "paused"
    assert daily_posts(rig) == []
    # The same event again (Slack retries) changes nothing and still answers 200.
    assert send_event(rig, {"type": "app_uninstalled"}) == 200
    # Reinstalled: the first command from the workspace resumes them, its data all there.
    assert "12" in rig.text("/scorecard", "", SDR)
    assert not paused(rig)
    assert run(rig, "daily").status == "posted"
    assert len(daily_posts(rig)) == 1


def test_the_bots_token_revoked_pauses_a_persons_own_does_not(rig):
    people_only = {"type": "tokens_revoked", "tokens": {"oauth": [SDR], "bot": []}}
    assert send_event(rig, people_only) == 200
    assert not paused(rig)
    bot = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert send_event(rig, bot) == 200
    assert paused(rig)
    # Opening the Home tab after a reinstall resumes them too.
    opened = {"type": "app_home_opened", "user": ADMIN, "tab": "home", "channel": "D0HOME"}
    assert send_event(rig, opened) == 200
    rig.services.background.shutdown(wait=True)
    assert not paused(rig)


def test_another_workspaces_uninstall_pauses_only_its_own(rig):
    assert send_event(rig, {"type": "app_uninstalled"}, team="T0OTHER01") == 200
    assert not paused(rig)
    rig.now = datetime.fromisoformat("2026-11-26T17:45:00-05:00")
    assert run(rig, "daily").status == "posted"
