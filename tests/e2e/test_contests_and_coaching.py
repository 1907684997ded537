"""Contests, the lag check's buttons and coaching threads end to end: `pacer serve` in a
subprocess, signed slash commands, button presses and events over real HTTP, the local Slack
stand-in, and the rows the server stored."""

import time
import uuid
from argparse import Namespace

from bot.settings import load_settings
from cli import process as process_cli
from cli import rituals as rituals_cli
from rituals.process import DEFAULT_PROCESS_PATH
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
)
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import ADMIN, SECRET, TOKEN

SDR, AE, MGR = "USDR00001", "UAE000001", "UMGR00001"


def posts(server, predicate, count=1, timeout=10.0) -> list:
    """Wait for chat.postMessage calls matching ``predicate`` (work after an ack is async)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in server.standin.calls_to("chat.postMessage") if predicate(c.params)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def rows(server, sql: str, *args) -> list[tuple]:
    return server.rows(sql, *args)


def team_with_channel(ws) -> str:
    ws.setup_team()
    channel = "C" + uuid.uuid4().hex[:9].upper()
    assert ws.pacer(ADMIN, f"channel <#{channel}|sales>").status == 200
    return channel


def press(server, ws, user: str, action_id: str, value: str):
    url = server.standin.new_response_url()
    payload = block_action_payload(
        user, action_id, value, team_id=ws.team_id, channel_id="D0E2E0001", response_url=url
    )
    body = interaction_body(payload)
    reply = server.post(body, signed_headers(SECRET, body))
    return reply, url.rsplit("/", 1)[1]


def test_a_contest_over_http_is_announced_once_and_counts_logs(server, ws):
    channel = team_with_channel(ws)
    trigger = f"{uuid.uuid4().int % 10**12}.e2e"
    first = ws.command("/contest", 'start race calls 3d "HTTP Blitz"', MGR, trigger_id=trigger)
    again = ws.command("/contest", 'start race calls 3d "HTTP Blitz"', MGR, trigger_id=trigger)
    assert first.status == again.status == 200 and "HTTP Blitz" in first.text
    assert ws.server.stored(ws.team_id, "contest") == 1  # Slack's retry started nothing more
    (announcement,) = posts(server, lambda p: p.get("channel") == channel)
    assert "HTTP Blitz" in str(announcement.params["blocks"])
    assert ws.log(SDR, "calls 14").status == 200
    assert "14" in ws.command("/contest", "standings", SDR).text
    refused = ws.command("/contest", "end", SDR)
    assert "manager" in refused.text.lower() and ws.command("/contest", "", SDR).status == 200
    assert rows(server, "SELECT status FROM contest WHERE name = 'HTTP Blitz'") == [("running",)]


def test_a_lag_suggestion_launched_by_its_button_over_http(server, ws, capsys):
    channel = team_with_channel(ws)
    # Monday's logs fell short: 10 calls against 60 a day. The check runs as the clock would.
    assert ws.log(SDR, "calls 10 monday").status == 200
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )
    assert rituals_cli.run_now(settings, "lag-check", None, ws.team_id, CLOCK) == 0, (
        capsys.readouterr()
    )
    # Every KPI lags on this thin data; the manager launches the calls suggestion.
    ((suggestion_id,),) = rows(
        server,
        "SELECT s.id FROM lag_suggestion s JOIN workspace w ON w.id = s.workspace_id "
        "WHERE w.slack_team_id = ? AND s.kpi = 'calls'",
        ws.team_id,
    )
    (dm,) = posts(
        server, lambda p: p.get("channel") == MGR and f"'value': '{suggestion_id}'" in str(p)
    )
    (launch,) = [
        e
        for b in dm.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "lag_launch"
    ]
    rep_press, _ = press(server, ws, SDR, "lag_launch", launch["value"])
    assert rep_press.status == 200 and ws.server.stored(ws.team_id, "contest") == 0
    reply, response_key = press(server, ws, MGR, "lag_launch", launch["value"])
    assert reply.status == 200
    (announcement,) = posts(server, lambda p: p.get("channel") == channel)
    assert "catch-up" in str(announcement.params["blocks"]).lower()
    assert ws.server.stored(ws.team_id, "contest") == 1
    assert rows(
        server,
        "SELECT s.status FROM lag_suggestion s WHERE s.id = ?",
        suggestion_id,
    ) == [("launched",)]


def test_coaching_thread_replies_over_http_are_notes_once(server, ws):
    ws.setup_team()
    reply = ws.command("/coach", f"<@{SDR}>", MGR)
    assert reply.status == 200 and "coaching" in reply.text.lower()
    channel = rows(
        server,
        "SELECT c.channel_id, c.thread_ts FROM coaching_session c "
        "JOIN workspace w ON w.id = c.workspace_id WHERE w.slack_team_id = ?",
        ws.team_id,
    )
    deadline = time.monotonic() + 10
    while not channel[0][1] and time.monotonic() < deadline:  # recorded after the post lands
        time.sleep(0.02)
        channel = rows(
            server,
            "SELECT c.channel_id, c.thread_ts FROM coaching_session c "
            "JOIN workspace w ON w.id = c.workspace_id WHERE w.slack_team_id = ?",
            ws.team_id,
        )
    ((channel_id, thread_ts),) = channel
    opening = [
        c
        for c in server.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == channel_id and "Reply here" in str(c.params)
    ]
    assert len(opening) == 1  # the thread this test's session recorded, posted once
    event = {
        "type": "message",
        "user": MGR,
        "text": "action: two-line opener on the next 20 calls",
        "channel": channel_id,
        "thread_ts": thread_ts,
        "ts": f"{time.time():.6f}",
        "channel_type": "mpim",
    }
    body = event_body(event, team_id=ws.team_id, event_id="Ev0E2E" + uuid.uuid4().hex[:6])
    for retry in (None, 1, 2):  # Slack delivered it, then retried twice
        assert server.post(body, json_headers(SECRET, body, retry=retry)).status == 200
    notes = rows(
        server,
        "SELECT n.text, n.is_action FROM coaching_note n JOIN coaching_session c "
        "ON c.id = n.session_id JOIN workspace w ON w.id = c.workspace_id "
        "WHERE w.slack_team_id = ?",
        ws.team_id,
    )
    assert notes == [("two-line opener on the next 20 calls", 1)]
    history = ws.command("/coach", f"<@{SDR}> history", MGR).text
    assert "two-line opener" in history


def test_a_contest_result_waits_the_settle_time_of_the_process_file(server, ws, tmp_path, capsys):
    channel = team_with_channel(ws)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )
    # The manager's process file: results settle 90 minutes after the working day.
    text = DEFAULT_PROCESS_PATH.read_text(encoding="utf-8")
    assert "contests: {settle: 2h}" in text
    path = tmp_path / "process.yml"
    path.write_text(text.replace("contests: {settle: 2h}", "contests: {settle: 90m}"))
    load = Namespace(action="load", file=str(path), team=None, workspace=ws.team_id)
    assert process_cli.run(settings, load) == 0, capsys.readouterr()
    reply = ws.command("/contest", 'start race calls today "Late Logs"', MGR)
    assert "ending Tue 24 Nov at 17:00 (result settled at 18:30)" in reply.text
    # The announcement is work after the ack: wait for it, so the standings run below is not
    # the one that posts it.
    assert posts(server, lambda p: p.get("channel") == channel and "Late Logs" in str(p))
    assert ws.log(SDR, "calls 14").status == 200

    def channel_text() -> str:
        return str([c.params.get("blocks") for c in server.standin.calls_to("chat.postMessage")])

    def run_standings(at: str) -> int:
        return rituals_cli.run_now(settings, "standings", None, ws.team_id, at)

    assert run_standings("2026-11-24T18:29:00-05:00") == 0, capsys.readouterr()
    assert "its result is being settled" in channel_text()
    assert "typed until Tue 24 Nov at 18:30 still count" in channel_text()
    assert rows(server, "SELECT status FROM contest WHERE name = 'Late Logs'") == [("running",)]
    assert run_standings("2026-11-24T18:30:00-05:00") == 0, capsys.readouterr()
    (result,) = posts(server, lambda p: p.get("channel") == channel and "Result: Late" in str(p))
    assert (
        "Settled Tue 24 Nov 18:30, an hour and a half after the last day's working hours."
        in str(result.params["blocks"])
    )
    assert rows(server, "SELECT status FROM contest WHERE name = 'Late Logs'") == [("ended",)]
