"""The HTTP API end to end: `pacer serve` as a subprocess, real tokens made by the `pacer api
token create` command, real HTTP; on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import CLOCK, DATABASES, database_url
from tests.e2e.harness import PacerServer, Workspace

SDR, MGR = "USDR00001", "UMGR00001"
CALL = {
    "source": "hubspot",
    "external_id": "call-1",
    "occurred_at": "2026-11-24T09:30:00-05:00",
    "owner": SDR,
    "kpi": "calls",
    "count": 3,
}


def cli(server, *args) -> subprocess.CompletedProcess:
    env = server.env() | {"PACER_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=server.log_path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


def new_token(server, ws, name, scopes) -> str:
    made = cli(
        server,
        "api",
        "token",
        "create",
        "--name",
        name,
        "--scopes",
        scopes,
        "--workspace",
        ws.team_id,
    )
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def http(server, method, path, body=None, token=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(server.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def test_ingest_read_and_review_over_http(server, ws):
    ws.setup_team(sdrs=(SDR,), aes=(), managers=(MGR,))
    token = new_token(server, ws, "crm", "activities:write,activities:read,scorecards:read")
    status, _, body = http(server, "POST", "/api/v1/activities", {"activities": [CALL]}, token)
    assert (status, body["results"][0]["status"]) == (200, "created")
    # The same batch again: nothing changes.
    status, _, body = http(server, "POST", "/api/v1/activities", {"activities": [CALL]}, token)
    assert body["results"][0]["status"] == "unchanged"
    assert server.rows(
        "SELECT count(*), sum(a.count) FROM activity_log a JOIN workspace w ON w.id = a.workspace_id "
        "WHERE w.slack_team_id = ?",
        ws.team_id,
    ) == [(1, 3)]

    status, _, card = http(server, "GET", f"/api/v1/scorecards/{SDR}?period=day", token=token)
    assert status == 200 and card["period"]["start"] == CLOCK[:10]
    assert next(k for k in card["kpis"] if k["key"] == "calls")["actual"] == 3
    # What /scorecard shows in Slack says the same.
    assert "3" in ws.scorecard(SDR, "day").text
    status, _, board = http(
        server, "GET", "/api/v1/teams/Sales/leaderboard?kpi=calls&by=count", token=token
    )
    assert status == 200 and board["ranking"][0] == {
        "rank": 1,
        "user_id": SDR,
        "value": 3,
        "overall": board["ranking"][0]["overall"],
        "absent": None,
    }

    # An unknown owner is held; the manager maps it in Slack and it counts.
    held = {**CALL, "external_id": "call-2", "owner": "pat@crm.example", "count": 2}
    status, _, body = http(server, "POST", "/api/v1/activities", {"activities": [held]}, token)
    assert body["results"][0]["status"] == "held"
    assert "pat@crm.example" in ws.pacer(MGR, "api review").text
    assert "1 created" in ws.pacer(MGR, f"api map pat@crm.example <@{SDR}>").text
    status, _, page = http(server, "GET", f"/api/v1/activities?owner={SDR}", token=token)
    assert sorted(a["external_id"] for a in page["activities"]) == ["call-1", "call-2"]


def test_tokens_scopes_limits_and_idempotency_over_http(server, ws):
    ws.setup_team(sdrs=(SDR,), aes=(), managers=(MGR,))
    writer = new_token(server, ws, "writer", "activities:write")
    assert http(server, "GET", "/api/v1/activities")[0] == 401
    assert http(server, "GET", "/api/v1/activities", token=writer)[0] == 403
    too_many = {"activities": [{**CALL, "external_id": f"c{i}"} for i in range(1001)]}
    status, headers, problem = http(server, "POST", "/api/v1/activities", too_many, writer)
    assert (status, problem["field"]) == (413, "activities")
    assert headers["Content-Type"] == "application/problem+json"
    key = {"Idempotency-Key": "retry-me"}
    first = http(server, "POST", "/api/v1/activities", {"activities": [CALL]}, writer, key)
    again = http(server, "POST", "/api/v1/activities", {"activities": [CALL]}, writer, key)
    assert first[2] == again[2] and again[1].get("Idempotent-Replayed") == "true"
    assert first[2]["results"][0]["status"] == "created"

    listed = cli(server, "api", "token", "list", "--workspace", ws.team_id).stdout
    assert "writer" in listed and writer not in listed
    assert (
        cli(server, "api", "token", "revoke", "writer", "--workspace", ws.team_id).returncode == 0
    )
    assert http(server, "POST", "/api/v1/activities", {"activities": [CALL]}, writer)[0] == 401
    assert http(server, "GET", "/api/v1/openapi.json")[2]["openapi"] == "3.1.0"


class SlowServer(PacerServer):
    """A server whose tokens may make 2 requests per second (PACER_API_RATE)."""

    def env(self) -> dict:
        return super().env() | {"PACER_API_RATE": "2"}


@pytest.mark.parametrize("kind", DATABASES)
def test_the_rate_holds_across_servers_on_one_database(kind, own_standin, tmp_path):
    """Two `pacer serve` (each with its gunicorn workers) on one database, as web replicas:
    a token's requests count together, whichever server answers."""
    with database_url(kind, tmp_path) as url:
        servers = [
            SlowServer(own_standin, url, CLOCK, tmp_path / f"serve-{n}.log") for n in range(2)
        ]
        for server in servers:
            server.start()
        try:
            ws = Workspace(servers[0])
            ws.setup_team(sdrs=(SDR,), aes=(), managers=(MGR,))
            one, other = (new_token(servers[0], ws, n, "activities:read") for n in ("one", "other"))
            # Under the rate (one request every 0.6 s, the servers taking turns): never refused.
            for n in range(4):
                started = time.monotonic()
                assert http(servers[n % 2], "GET", "/api/v1/activities", token=one)[0] == 200, n
                time.sleep(max(0.0, 0.6 - (time.monotonic() - started)))
            time.sleep(1.0)  # the bucket full again: 2
            # Over it together: 2 + 2/s go, whichever server; each server alone would pass all 6.
            statuses = [
                http(servers[n % 2], "GET", "/api/v1/activities", token=one) for n in range(6)
            ]
            limited = [s for s in statuses if s[0] == 429]
            assert [s[0] for s in statuses[:2]] == [200, 200]
            assert limited, [s[0] for s in statuses]
            assert all(s[1]["Retry-After"] == "1" for s in limited)
            assert limited[0][2]["status"] == 429
            assert http(servers[1], "GET", "/api/v1/activities", token=other)[0] == 200
        finally:
            for server in servers:
                server.stop()
