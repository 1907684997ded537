"""The request edge over real HTTP: Slack's signature is checked on the raw bytes before
anything reads them (bad, stale or a timestamp that isn't a number → 401), and a signed body
that isn't what Slack sends (invalid JSON in ``payload``, bytes that aren't UTF-8, JSON nested
absurdly deep, a form with neither command nor payload) → 400; each with one log line, no
traceback, and nothing stored."""

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from simulator.signed_requests import block_action_payload, event_body, signed_headers
from tests.e2e.harness import SECRET

SDR = "USDR00001"


def _bytes_signed(body: bytes, secret: str = SECRET) -> dict:
    """Headers for raw bytes (slack_sdk signs text only): as Slack signs, HMAC of the bytes."""
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def _refused(server, ws, body, headers, status: int, reason: str) -> None:
    before = server.logs()
    reply = server.post(body, headers)
    assert reply.status == status
    after = server.logs()[len(before) :]
    assert f"outcome=http_{status} " in after and f"reason={reason}" in after
    assert "Traceback" not in server.logs()
    assert server.stored(ws.team_id) == 0  # no log
    assert server.rows("SELECT count(*) FROM workspace WHERE slack_team_id = ?", ws.team_id) == [
        (0,)
    ]  # not even the workspace row a first request creates


def test_unsigned_stale_and_non_numeric_timestamps_are_401(ws, server):
    body = ws.body("/log", "call 9", SDR)
    _refused(server, ws, body, signed_headers("not-the-secret", body), 401, "bad_signature")
    stale = signed_headers(SECRET, body, timestamp=int(time.time()) - 5 * 60 - 5)
    _refused(server, ws, body, stale, 401, "stale_or_bad_timestamp")
    ahead = signed_headers(SECRET, body, timestamp=int(time.time()) + 10 * 60)
    _refused(server, ws, body, ahead, 401, "stale_or_bad_timestamp")
    for word in ("soon", "1e9", "-5", "17.5", ""):
        headers = signed_headers(SECRET, body) | {"X-Slack-Request-Timestamp": word}
        _refused(server, ws, body, headers, 401, "stale_or_bad_timestamp")
    # a body that isn't UTF-8 and isn't signed either is refused for its signature: 401
    raw = body.encode() + b"%FF\xff"
    _refused(server, ws, raw, _bytes_signed(raw, "not-the-secret"), 401, "bad_signature")


def test_signed_but_malformed_bodies_are_400(ws, server):
    log_form = ws.body("/log", "call 9", SDR)
    raw = log_form.encode().replace(b"call", b"c\xffall")
    _refused(server, ws, raw, _bytes_signed(raw), 400, "not_utf8")

    cut = '{"type": "block_actions", "team": {"id": "' + ws.team_id  # JSON cut short
    broken = urlencode({"payload": cut})
    _refused(server, ws, broken, signed_headers(SECRET, broken), 400, "payload_not_json")

    press = block_action_payload(SDR, "log_undo", "1", team_id=ws.team_id)
    deep = dict(press, extra=json.loads("[" * 200 + "]" * 200))
    body = urlencode({"payload": json.dumps(deep)})
    _refused(server, ws, body, signed_headers(SECRET, body), 400, "payload_too_deep")
    listed = urlencode({"payload": "[1, 2]"})
    _refused(server, ws, listed, signed_headers(SECRET, listed), 400, "payload_without_type")

    event = event_body({"type": "app_mention", "text": "hi", "blocks": "DEEP"}, team_id=ws.team_id)
    body = event.replace('"DEEP"', "[" * 100_000 + "]" * 100_000)  # past Python's recursion
    headers = signed_headers(SECRET, body) | {"Content-Type": "application/json"}
    _refused(server, ws, body, headers, 400, "json_too_deep")
    not_json = '{"type": "event_callback", '
    headers = signed_headers(SECRET, not_json) | {"Content-Type": "application/json"}
    _refused(server, ws, not_json, headers, 400, "json_not_json")

    for form in (urlencode({"team_id": ws.team_id, "text": "call 9"}), "", "a=b=c&&"):
        _refused(server, ws, form, signed_headers(SECRET, form), 400, "form_")


def test_what_slack_sends_still_passes_the_edge(ws, server):
    ws.setup_team()
    assert ws.log(SDR, "call 9").status == 200
    assert server.stored(ws.team_id) == 1
    assert "Traceback" not in server.logs()


def test_slacks_unsigned_ssl_check_is_answered_200_and_stores_nothing(server, ws):
    reply = server.post(
        urlencode({"ssl_check": "1", "token": "x"}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200
    assert server.rows("SELECT count(*) FROM workspace WHERE slack_team_id = ?", ws.team_id) == [
        (0,)
    ]
