"""bot/server.py: the WSGI application `pacer serve` runs, called directly with a minimal environ
(no sockets): /healthz answers 200 while the database does and 503 when it doesn't, an unknown
path is 404, and /slack/events hands signed requests to the Bolt app while one that fails
Slack's signature check is 401 with one log line. (tests/e2e runs it in gunicorn over HTTP.)"""

import io
import json
import logging
from dataclasses import replace

import pytest
from sqlmodel import select

from bot import server
from bot.server import clock_for, connection_warnings, make_wsgi, server_options, worker_connections
from bot.settings import load_settings, serving_on
from simulator.signed_requests import command_body, signed_headers
from storage.db import make_engine
from storage.models import ActivityLog
from tests.bot.support import SDR


class Started:
    """A WSGI start_response that keeps the status and headers."""

    def __call__(self, status: str, headers: list, exc_info=None) -> None:
        self.status, self.headers = status, dict(headers)


def call(app, path: str, method: str = "GET", body: str = "", headers: dict | None = None):
    """Call the WSGI app as gunicorn would; (status, headers, body)."""
    data = body.encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    started = Started()
    answer = b"".join(app(environ, started))
    return started.status, started.headers, answer


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="pacer")
    return lambda: [r.getMessage() for r in caplog.records if r.name.startswith("pacer")]


def test_healthz_is_200_while_the_database_answers(rig):
    status, headers, body = call(make_wsgi(rig.services), "/healthz")
    assert (status, body) == ("200 OK", b"ok\n")
    assert headers["Content-Type"] == "text/plain"


def test_healthz_is_503_when_the_database_does_not_answer(rig, tmp_path, lines):
    gone = make_engine(f"sqlite:///{tmp_path / 'no such folder' / 'pacer.db'}")
    app = make_wsgi(replace(rig.services, engine=gone))
    status, _, body = call(app, "/healthz")
    assert (status, body) == ("503 Service Unavailable", b"database not ready\n")
    assert lines() == ["healthz: database not ready: OperationalError"]


def test_an_unknown_path_is_404_and_points_at_slack_events(rig):
    status, _, body = call(make_wsgi(rig.services), "/slack/commands", method="POST")
    assert status == "404 Not Found"
    assert body == b"Not found. Slack sends requests to POST /slack/events.\n"


def test_a_signed_command_is_answered_with_its_own_log_line_only(rig, lines):
    body = command_body("/log", "help", SDR, team_id="T0RIG0001")
    status, _, answer = call(
        make_wsgi(rig.services), "/slack/events", "POST", body, signed_headers("rig-secret", body)
    )
    assert status.startswith("200")
    assert "/log calls 12" in json.dumps(json.loads(answer))
    [line] = lines()
    assert line.startswith(f"command=/log user={SDR} team=T0RIG0001 outcome=help ")


def test_a_bad_signature_is_401_with_one_log_line_and_runs_nothing(rig, lines):
    rig.team()  # the SDR's /log would be stored, were it signed
    before, calls = len(lines()), len(rig.slack.calls)
    body = command_body("/log", "calls 12", SDR, team_id="T0RIG0001")
    status, _, _ = call(
        make_wsgi(rig.services), "/slack/events", "POST", body, signed_headers("not-ours", body)
    )
    assert status.startswith("401")
    [line] = lines()[before:]
    assert line.startswith("request path=/slack/events outcome=http_401 duration_ms=")
    with rig.services.unit_of_work() as session:
        assert list(session.exec(select(ActivityLog))) == []
    assert len(rig.slack.calls) == calls


def test_a_fixed_clock_from_the_settings_is_read_once_at_start():
    fixed = load_settings({"PACER_CLOCK": "2026-11-24T11:00:00-05:00"})
    assert clock_for(fixed)().isoformat() == "2026-11-24T11:00:00-05:00"
    with pytest.raises(ValueError):
        clock_for(load_settings({"PACER_CLOCK": "next tuesday"}))


def test_gunicorn_serves_threads_and_leaves_the_request_log_to_pacer():
    options = server_options("127.0.0.1", 3000, threads=16, workers=2)
    assert options["bind"] == "127.0.0.1:3000" and options["worker_class"] == "gthread"
    assert (options["threads"], options["workers"], options["accesslog"]) == (16, 2, None)


def test_a_command_line_carries_its_cpu_before_the_ack_and_the_request_is_counted(rig, lines):
    body = command_body("/log", "help", SDR, team_id="T0RIG0001")
    seen = []
    rig.services.in_flight.enter = lambda: seen.append("in")  # what the edge counts
    rig.services.in_flight.leave = lambda: seen.append("out")
    call(make_wsgi(rig.services), "/slack/events", "POST", body, signed_headers("rig-secret", body))
    [line] = lines()
    assert float(line.split("cpu_ms=")[1]) >= 0
    assert seen == ["in", "out"]


def test_the_quiet_lane_waits_as_configured():
    assert load_settings({}).after_ack_wait == 2.0
    assert load_settings({"PACER_AFTER_ACK_WAIT": "0"}).after_ack_wait == 0.0
    with pytest.raises(SystemExit, match="PACER_AFTER_ACK_WAIT"):
        load_settings({"PACER_AFTER_ACK_WAIT": "soon"})


def test_the_tv_links_base_follows_the_port_served_on_unless_public_url_says():
    assert load_settings({}).public_url == "http://localhost:3000"
    assert load_settings({"PORT": "8080"}).public_url == "http://localhost:8080"
    assert serving_on(load_settings({"PORT": "8080"}), 4567, {}).public_url == (
        "http://localhost:4567"
    )
    public = {"PACER_PUBLIC_URL": "https://pacer.example.org/"}
    assert serving_on(load_settings(public), 4567, public).public_url == (
        "https://pacer.example.org"
    )


def test_the_connections_warning_counts_the_tvs_link_lookup_pool_and_the_clock(
    tmp_path, monkeypatch
):
    """Each worker may open its engine's pool (10 + 20 overflow on PostgreSQL) and the TV's link
    lookups' own (2 + 2, storage/tv_queries.py); --with-clock adds the master's clock pool."""
    monkeypatch.setattr(server, "max_connections", lambda engine: 100)
    engine = make_engine("postgresql+psycopg://pacer@127.0.0.1:9/none")  # never connected
    try:
        assert worker_connections(engine) == 30 + 4
        assert connection_warnings(engine, 2) == []  # 68
        [warning] = connection_warnings(engine, 3)  # 102: 90 without the TV's pool
        assert warning.startswith(
            "3 workers may open up to 102 PostgreSQL connections (34 each), more than the "
            "server's max_connections (100)"
        )
        assert connection_warnings(engine, 2, with_clock=True) == []  # 68 + 30
        monkeypatch.setattr(server, "max_connections", lambda engine: 97)
        [warning] = connection_warnings(engine, 2, with_clock=True)
        assert "up to 98 PostgreSQL connections (34 each, and 30 for the clock in the master " in (
            warning
        )
    finally:
        engine.dispose()
    sqlite = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    try:  # the TV's lookups share the engine's pool: nothing more
        assert worker_connections(sqlite) == 24 + 16
    finally:
        sqlite.dispose()
