"""Slack slow, rate-limiting or not there at all: `pacer serve` still starts and acknowledges in
time. auth.test is asked once, at start, before the workers fork (never on a request's path),
and a modal that Slack won't open in 2.5 s is answered with what to type instead."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import CLOCK
from tests.e2e.harness import PacerServer, Workspace, free_port

SDR = "USDR00001"
SLACK_DEADLINE = 3.0  # seconds Slack waits for the acknowledgement


def _timed(call):
    started = time.monotonic()
    reply = call()
    return reply, time.monotonic() - started


def _logs_and_stores(ws: Workspace) -> None:
    ws.setup_team()
    reply, took = _timed(lambda: ws.log(SDR, "call 3"))
    assert reply.status == 200 and "Logged *3" in reply.text, reply.text
    assert took < SLACK_DEADLINE, took
    assert ws.server.stored(ws.team_id) == 1


def test_a_start_with_slack_unreachable_still_serves_log(own_standin, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    server = PacerServer(
        own_standin, f"sqlite:///{tmp_path / 'p.db'}", CLOCK, tmp_path / "serve.log", api_url=closed
    ).start()
    try:
        _logs_and_stores(Workspace(server))
        logs = server.logs()
    finally:
        server.stop()
    [warning] = [line for line in logs.splitlines() if "Slack unreachable at start" in line]
    assert "WARNING" in warning
    assert "ConnectionRefusedError" in warning and "serving anyway" in warning
    assert "Traceback" not in logs


@pytest.mark.parametrize(
    "fault, said",
    [
        ({"status": 200, "delay": 6.0}, "no answer in time"),  # slow: the client gives up
        ({"status": 429, "retry_after": 30}, "HTTP 429 ratelimited"),  # not retried
        ({"status": 503}, "HTTP 503"),
    ],
    ids=["slow", "429", "503"],
)
def test_a_start_with_slack_slow_or_limiting_still_serves_log(own_standin, tmp_path, fault, said):
    own_standin.fail_next("auth.test", **fault)
    server = PacerServer(own_standin, f"sqlite:///{tmp_path / 'p.db'}", CLOCK, tmp_path / "s.log")
    started = time.monotonic()
    server.start()
    try:
        assert time.monotonic() - started < 20  # 2.5 s for auth.test, then the usual start
        _logs_and_stores(Workspace(server))
        logs = server.logs()
    finally:
        server.stop()
    [warning] = [line for line in logs.splitlines() if "Slack unreachable at start" in line]
    assert said in warning and "serving anyway" in warning
    assert len(own_standin.calls_to("auth.test")) == 1  # at start, not retried, not per worker


def test_auth_test_is_asked_once_at_start_never_per_worker_or_request(own_standin, tmp_path):
    server = PacerServer(own_standin, f"sqlite:///{tmp_path / 'p.db'}", CLOCK, tmp_path / "s.log")
    server.start()
    try:
        assert len(own_standin.calls_to("auth.test")) == 1  # before any request
        ws = Workspace(server)
        ws.setup_team()
        # enough at once that every worker serves some: each would ask on its first request
        with ThreadPoolExecutor(8) as pool:
            replies = list(pool.map(lambda n: ws.log(SDR, f"call {n}"), range(1, 17)))
        assert all("Logged" in r.text for r in replies), [r.text for r in replies]
        assert len(own_standin.calls_to("auth.test")) == 1
        assert "Slack unreachable" not in server.logs()
    finally:
        server.stop()


@pytest.mark.parametrize(
    "fault, why",
    [
        ({"status": 200, "delay": 4.0}, "Slack didn't answer within 2.5 seconds"),
        (
            {"status": 429, "retry_after": 5},
            "Slack is limiting how often Pacer may call it just now",
        ),
        (
            {"status": 200, "body": {"ok": False, "error": "expired_trigger_id"}},
            "expired_trigger_id",
        ),
    ],
    ids=["slow", "429", "refused"],
)
def test_log_alone_answers_in_time_when_slack_wont_open_the_form(ws, standin, fault, why):
    ws.setup_team()
    before = len(standin.calls_to("views.open"))
    standin.fail_next("views.open", **fault)
    try:
        reply, took = _timed(lambda: ws.log(SDR, ""))
    finally:
        standin.clear_faults()
    assert took < SLACK_DEADLINE, took
    assert reply.status == 200
    assert f"Slack didn't open the form ({why}), so nothing changed." in reply.text, reply.text
    assert "Type it instead: `/log calls 12`" in reply.text
    assert len(standin.calls_to("views.open")) == before + 1  # tried once, never retried
    assert ws.server.stored(ws.team_id) == 0


def test_an_unsigned_ssl_check_is_answered_and_nothing_else_unsigned_passes(ws, server):
    """Bolt no longer checks signatures behind the edge: Slack's SSL check is the one unsigned
    request that reaches it, and Bolt's first middleware answers it."""
    assert server.post("ssl_check=1&token=x", {}).status == 200
    headers = {"Content-Type": "application/json"}
    assert server.post("ssl_check=1&token=x", headers).status == 401
    body = ws.body("/log", "call 5", SDR) + "&ssl_check=1"
    assert server.post(body, {"Content-Type": "application/x-www-form-urlencoded"}).status == 401
    assert server.stored(ws.team_id) == 0
