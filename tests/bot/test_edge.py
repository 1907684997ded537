"""bot/edge.py on its own: which bodies and headers are refused, and why (tests/e2e/test_edge.py
sends them over real HTTP)."""

import io
import json
import time

from slack_sdk.signature import SignatureVerifier

from bot import edge
from simulator.signed_requests import command_body, signed_headers

SECRET = "edge-secret"


def environ(body: bytes, headers: dict) -> dict:
    env = {"CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return env


def check(body: str | bytes, headers: dict) -> edge.Refused | None:
    raw = body if isinstance(body, bytes) else body.encode()
    return edge.check(edge.RawBodyVerifier(SECRET), environ(raw, headers))


def test_a_signed_command_passes_and_bolt_can_read_the_same_bytes():
    body = command_body("/log", "call 9 ✓", "U1", team_id="T1")
    env = environ(body.encode(), signed_headers(SECRET, body))
    assert edge.check(edge.RawBodyVerifier(SECRET), env) is None
    assert env["wsgi.input"].read() == body.encode()
    assert env["CONTENT_LENGTH"] == str(len(body.encode()))


def test_the_raw_byte_signature_agrees_with_slack_sdk_on_text():
    ours, theirs = edge.RawBodyVerifier(SECRET), SignatureVerifier(SECRET)
    for body in ("a=1", "ü=✓", ""):
        assert ours.generate_signature(timestamp="1", body=body.encode()) == (
            theirs.generate_signature(timestamp="1", body=body)
        )
    assert ours.generate_signature(timestamp="1", body=b"\xff").startswith("v0=")


def test_timestamps_that_are_not_plain_numbers_or_not_recent_are_401():
    body = command_body("/log", "call 9", "U1", team_id="T1")
    for stamp in ("soon", "١٧٠٠٠٠٠٠٠٠", "-1", "1e9", "", str(int(time.time()) - 301)):
        headers = signed_headers(SECRET, body) | {"X-Slack-Request-Timestamp": stamp}
        assert check(body, headers) == edge.STALE, stamp
    assert check(body, {}) == edge.STALE
    assert check(body, signed_headers("other", body)) == edge.UNSIGNED


def test_too_large_is_413_unread():
    env = environ(b"", {}) | {"CONTENT_LENGTH": str(edge.MAX_BODY + 1)}
    assert edge.check(edge.RawBodyVerifier(SECRET), env).status.startswith("413")
    env["CONTENT_LENGTH"] = "lots"
    assert edge.check(edge.RawBodyVerifier(SECRET), env).reason == "bad_content_length"


def test_malformed_shapes():
    form = "application/x-www-form-urlencoded"
    assert edge.malformed(b"command=%2Flog&text=x", form) is None
    assert edge.malformed(b"ssl_check=1&token=x", form) is None
    assert edge.malformed(b"payload=" + json.dumps({"type": "x"}).encode(), form) is None
    assert edge.malformed(b"\xff", form).reason == "not_utf8"
    assert edge.malformed(b"text=x", form).reason == "form_without_command_or_payload"
    assert edge.malformed(b"command=", form).reason == "form_without_command_or_payload"
    assert edge.malformed(b'{"type": "event_callback"}', "application/json") is None
    assert edge.malformed(b'"type"', "application/json; charset=utf-8").reason == (
        "json_without_type"
    )
    assert edge.malformed(b"{", "application/json").reason == "json_not_json"


def test_depth_counts_brackets_outside_strings():
    assert edge.depth('{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert edge.depth('"\\"[[["') == 0
    deep = '{"a":' + "[" * (edge.MAX_DEPTH + 1) + "]" * (edge.MAX_DEPTH + 1) + ', "type": "x"}'
    assert edge.malformed(deep.encode(), "application/json").reason == "json_too_deep"
    ok = '{"type": "x", "a":' + "[" * 40 + "]" * 40 + "}"
    assert edge.malformed(ok.encode(), "application/json") is None


def test_slacks_ssl_check_passes_unsigned_to_bolt_but_nothing_else_does():
    assert check("ssl_check=1&token=x", {}) is None
    assert check("ssl_check=1&command=%2Flog&text=call+9", {}) == edge.STALE
    assert check("ssl_check=2", {}) == edge.STALE
    # Bolt no longer verifies behind the edge: only what Bolt surely reads as that bare form
    # passes (Bolt reads JSON, or the ``payload`` field, whenever it sees one)
    assert check("ssl_check=1&token=x", {"Content-Type": "application/json"}) == edge.STALE
    assert check("ssl_check=1&token=payload", {}) == edge.STALE
    assert check('{"ssl_check": "1"}', {}) == edge.STALE
