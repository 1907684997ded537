"""bot/slack_failures.py: each way a call that is never retried can fail, as slack_sdk raises it
(calls against the stand-in, and a port where nothing listens), told apart."""

import http.client

import pytest
from slack_sdk import WebClient

from bot.services import make_modal_client
from bot.slack_failures import describe
from simulator.slack_standin import SlackStandin
from tests.e2e.harness import free_port


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        yield standin


def _failure(base_url: str):
    client = make_modal_client(WebClient(token="xoxb-t", base_url=base_url))
    with pytest.raises(Exception) as raised:  # noqa: PT011 - which one is the point
        client.views_open(trigger_id="1.2", view={"type": "modal"})
    return describe(raised.value)


@pytest.mark.parametrize(
    ("fault", "kind", "detail"),
    [
        ({"status": 429}, "ratelimited", "HTTP 429 ratelimited"),
        ({"status": 503}, "slack_error", "HTTP 503 internal_error"),
        ({"status": 200, "body": {"ok": False, "error": "expired_trigger_id"}}, "refused", None),
        ({"status": 200, "delay": 4.0}, "timeout", "no answer in time"),
    ],
)
def test_what_slack_did(slack, fault, kind, detail):
    slack.fail_next("views.open", **fault)
    failure = _failure(slack.url)
    assert failure.kind == kind
    assert failure.detail == (detail or "expired_trigger_id")
    assert failure.unreachable == (kind != "refused")


def test_nothing_listening():
    failure = _failure(f"http://127.0.0.1:{free_port()}/api/")
    assert (failure.kind, failure.detail) == (
        "unreachable",
        "ConnectionRefusedError: Connection refused",
    )


def test_a_dropped_connection_and_anything_else():
    assert describe(ConnectionResetError(104, "Connection reset by peer")).kind == "unreachable"
    assert describe(http.client.RemoteDisconnected("closed")).kind == "unreachable"
    assert describe(TimeoutError()).kind == "timeout"
    other = describe(ValueError("odd"))
    assert (other.kind, other.detail, other.unreachable) == ("other", "ValueError: odd", False)
