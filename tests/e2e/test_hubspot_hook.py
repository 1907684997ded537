"""HubSpot's webhook end to end: `pacer serve` as a subprocess on SQLite (and PostgreSQL when
TEST_DATABASE_URL is set), a stand-in for HubSpot's CRM API, requests signed as HubSpot signs
them (v3). A signed delivery counts; the same delivery again changes nothing; an unsigned, a
tampered or a stale one is refused and changes nothing; the drill-down says "via HubSpot"; a
manager voids the log from it, and HubSpot sending it again does not bring it back."""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime

import pytest
import yaml

from rituals.connectors.hubspot import signature_v3
from rituals.ingest import map_owner
from rituals.process import default_process, dump_process
from simulator.hubspot_standin import HubSpotStandin
from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage import db, people_queries
from storage.unit_of_work import unit_of_work
from tests.e2e.conftest import CLOCK, DATABASES, database_url
from tests.e2e.harness import SECRET, PacerServer, Workspace

CLIENT_SECRET = "hubspot-client-secret"
PUBLIC = "https://pacer.example.org"
SDR, AE, MANAGER = "USDR00001", "UAE000001", "UMGR00001"
NOW_MS = int(datetime.fromisoformat(CLOCK).timestamp() * 1000)


class HookServer(PacerServer):
    def __init__(self, *args, hubspot: HubSpotStandin, **kw):
        super().__init__(*args, **kw)
        self.hubspot = hubspot

    def env(self) -> dict:
        return super().env() | {
            "HUBSPOT_CLIENT_SECRET": CLIENT_SECRET,
            "HUBSPOT_API_URL": self.hubspot.url,
            "HUBSPOT_ACCESS_TOKEN": self.hubspot.token,
            "PACER_PUBLIC_URL": PUBLIC,
        }

    def hook(self, events, *, secret=CLIENT_SECRET, timestamp=NOW_MS, tamper=False):
        body = json.dumps(events).encode()
        signature = signature_v3(
            secret, "POST", PUBLIC + "/api/v1/hooks/hubspot", body, str(timestamp)
        )
        request = urllib.request.Request(
            self.url + "/api/v1/hooks/hubspot",
            data=body + (b" " if tamper else b""),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-HubSpot-Signature-v3": signature,
                "X-HubSpot-Request-Timestamp": str(timestamp),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(params=DATABASES)
def server(request, tmp_path):
    with (
        database_url(request.param, tmp_path) as url,
        SlackStandin() as slack,
        HubSpotStandin() as hubspot,
    ):
        pacer = HookServer(slack, url, CLOCK, tmp_path / "serve.log", hubspot=hubspot).start()
        yield pacer
        pacer.stop()


def connect(server, ws: Workspace, folder) -> None:
    """What an operator does once: the team, a process with sources:, the owner's email mapped."""
    ws.setup_team(sdrs=(SDR,), aes=(AE,), managers=(MANAGER,))
    data = yaml.safe_load(dump_process(default_process()))
    data["sources"] = {"hubspot": {"calls": "calls", "deals_won": "deals"}}
    (folder / "sales.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    loaded = subprocess.run(
        [sys.executable, "-m", "cli", "process", "load", "sales.yml", "--workspace", ws.team_id],
        cwd=folder,
        env=server.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr
    engine = db.make_engine(server.database_url)
    with unit_of_work(engine) as session:
        workspace = next(
            w for w in people_queries.all_workspaces(session) if w.slack_team_id == ws.team_id
        )
        map_owner(session, workspace.id, "sdr@acme.example", SDR, MANAGER, server_now())
    engine.dispose()
    server.hubspot.add_owner(1, "SDR@acme.example")


def server_now():
    return datetime.fromisoformat(CLOCK)


CALL = [
    {
        "subscriptionType": "object.creation",
        "objectTypeId": "0-48",
        "objectId": 11,
        "occurredAt": NOW_MS - 60_000,
        "portalId": 62515,
        "eventId": 1,
        "attemptNumber": 0,
    }
]


def logs(server):
    return server.rows(
        "SELECT id, rep_id, kpi, count, source, ext_source, external_id, voided_by FROM activity_log ORDER BY id"
    )


def test_a_signed_delivery_counts_once_and_a_manager_voids_it_for_good(server, tmp_path):
    ws = Workspace(server)
    connect(server, ws, tmp_path)
    server.hubspot.add("calls", 11, hubspot_owner_id=1, hs_timestamp="2026-11-24T14:02:00Z")

    status, body = server.hook(CALL)
    assert status == 200, body
    assert body["results"] == [{"external_id": "call:11", "status": "created"}]
    [(log_id, rep, kpi, count, source, ext, external, voided)] = logs(server)
    assert (rep, kpi, count, source, ext, external, voided) == (
        SDR,
        "calls",
        1,
        "hubspot",
        "hubspot",
        "call:11",
        None,
    )
    assert server.hook(CALL)[1]["results"][0]["status"] == "unchanged"  # HubSpot retries
    assert len(logs(server)) == 1

    basis = ws.scorecard(MANAGER, f"<@{SDR}> calls").text
    assert "via HubSpot · 11:00 · `call:11`" in basis and "1* counted from 1 log" in basis

    payload = block_action_payload(
        MANAGER,
        "scorecard_void",
        team_id=ws.team_id,
        response_url=server.standin.new_response_url(),
    )
    payload["actions"][0] = {
        "type": "static_select",
        "action_id": "scorecard_void",
        "block_id": "b",
        "selected_option": {"value": str(log_id)},
    }
    body_text = interaction_body(payload)
    assert server.post(body_text, signed_headers(SECRET, body_text)).status == 200
    assert logs(server)[0][-1] == MANAGER
    again = server.hook(CALL)[1]["results"][0]
    assert again["status"] == "unchanged" and "kept voided" in again["reason"]
    assert "~Tue 24 Nov · *1* · via HubSpot" in ws.scorecard(MANAGER, f"<@{SDR}> calls").text


def test_unsigned_tampered_stale_or_foreign_deliveries_change_nothing(server, tmp_path):
    ws = Workspace(server)
    connect(server, ws, tmp_path)
    server.hubspot.add("calls", 11, hubspot_owner_id=1, hs_timestamp="2026-11-24T14:02:00Z")
    for kwargs, why in (
        ({"tamper": True}, "does not match"),
        ({"secret": "someone-else"}, "does not match"),
        ({"timestamp": NOW_MS - 5 * 60_000 - 1}, "more than 5 minutes old"),
    ):
        status, body = server.hook(CALL, **kwargs)
        assert status == 401 and why in body["detail"], body
    request = urllib.request.Request(
        server.url + "/api/v1/hooks/hubspot", data=b"[]", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(request, timeout=10)
    assert unsigned.value.code == 401 and b"missing X-HubSpot-Signature-v3" in unsigned.value.read()
    assert logs(server) == []
    server.hubspot.fail_next = 1  # HubSpot's API down: 503, so HubSpot retries the delivery
    status, body = server.hook(CALL)
    assert status == 503 and body["detail"].startswith("HubSpot answered 500")
    assert logs(server) == []
    assert server.hook(CALL)[0] == 200 and len(logs(server)) == 1
