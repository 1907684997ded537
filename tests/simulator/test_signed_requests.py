"""simulator/signed_requests.py: the bodies and headers it builds are what Slack sends, signed
so that Slack's own verifier accepts them."""

import json
import time
import urllib.request
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from simulator.signed_requests import (
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    json_headers,
    responses_to,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin

SECRET = "test-signing-secret"


def fields(body: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def test_a_command_body_carries_what_slack_sends_and_a_new_trigger_each_time():
    first = fields(command_body("/log", "calls 12", "U0SDR0001", enterprise_id="E0001"))
    assert (first["command"], first["text"], first["user_id"]) == ("/log", "calls 12", "U0SDR0001")
    assert (first["team_id"], first["channel_id"], first["enterprise_id"]) == (
        "T0001",
        "C0SALES01",
        "E0001",
    )
    second = fields(command_body("/log", "calls 12", "U0SDR0001", trigger_id="42.abc"))
    assert second["trigger_id"] == "42.abc" and "enterprise_id" not in second
    assert first["trigger_id"] != fields(command_body("/log", "", "U0SDR0001"))["trigger_id"]


def test_signed_headers_pass_slacks_verifier_and_a_changed_body_fails():
    body = command_body("/scorecard", "", "U0SDR0001")
    headers = signed_headers(SECRET, body)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + "x", headers)
    stale = signed_headers(SECRET, body, timestamp=int(time.time()) - 3600)
    assert not verifier.is_valid_request(body, stale)  # Slack's five-minute window


def test_interactions_are_a_payload_field_of_json():
    pressed = block_action_payload(
        "U0MGR0001", "lag_launch", "7", channel_id="D0DM00001", message_ts="1.000100"
    )
    payload = json.loads(fields(interaction_body(pressed))["payload"])
    assert payload["actions"][0]["action_id"] == "lag_launch"
    assert payload["actions"][0]["value"] == "7"
    assert payload["container"] == {
        "type": "message",
        "channel_id": "D0DM00001",
        "message_ts": "1.000100",
    }
    submitted = view_submission_payload("U0SDR0001", "log_modal", {"b": {"a": {"value": "3"}}})
    assert submitted["view"]["callback_id"] == "log_modal"
    assert submitted["view"]["state"]["values"] == {"b": {"a": {"value": "3"}}}


def test_an_event_envelope_keeps_its_id_for_a_retry_and_says_so_in_the_headers():
    event = {"type": "message", "channel": "C0COACH01", "text": "hi", "ts": "2.000100"}
    body = event_body(event, event_id="Ev0RETRY01")
    envelope = json.loads(body)
    assert (envelope["type"], envelope["event_id"], envelope["event"]) == (
        "event_callback",
        "Ev0RETRY01",
        event,
    )
    headers = json_headers(SECRET, body, retry=2)
    assert headers["Content-Type"] == "application/json"
    assert (headers["X-Slack-Retry-Num"], headers["X-Slack-Retry-Reason"]) == ("2", "http_timeout")
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert "X-Slack-Retry-Num" not in json_headers(SECRET, body)


def test_responses_to_reads_what_a_response_url_received():
    with SlackStandin() as slack:
        url, other = slack.new_response_url(), slack.new_response_url()
        request = urllib.request.Request(
            url, data=b'{"text": "hi"}', headers={"Content-Type": "application/json"}
        )
        urllib.request.urlopen(request, timeout=5).read()
        assert responses_to(slack, url) == [{"text": "hi"}]
        assert responses_to(slack, other) == []
