"""The request edge of POST /slack/events: Slack's signature is checked on the raw bytes before
anything reads them, then the body's shape, before Bolt parses it.

- not signed with the signing secret, signed more than 5 minutes away from now, or a
  timestamp header that is not a number → **401**, and nothing else happens;
- signed, but not what Slack sends (bytes that are not UTF-8, a ``payload`` that is not a JSON
  object, JSON nested deeper than ``MAX_DEPTH``, a form body with neither ``command`` nor
  ``payload``) → **400**;
- a body over ``MAX_BODY`` bytes → **413**, unread.

Each refusal leaves one log line (``outcome=http_4xx reason=…``), never a traceback, and
stores nothing: the request never reaches Bolt."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

MAX_BODY = 1024 * 1024  # Slack's largest payloads (a view submission) are tens of kilobytes
MAX_DEPTH = 64  # Slack's deepest (rich text inside a modal's blocks) is well under 20
FRESH_SECONDS = 5 * 60  # SignatureVerifier's window; said here for the log line

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class RawBodyVerifier(SignatureVerifier):
    """slack_sdk's verifier (timestamp window, constant-time comparison). Slack signs the raw
    bytes; slack_sdk decodes them as UTF-8 first, which raises on a body that isn't, and such a
    body must still be told apart as signed (400) or not (401): only then is the HMAC taken
    over the bytes themselves."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        try:
            return super().generate_signature(timestamp=timestamp, body=body)
        except UnicodeDecodeError:
            base = b"v0:" + timestamp.encode() + b":" + bytes(body)
            digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
            return f"v0={digest}"


@dataclass(frozen=True)
class Refused:
    status: str  # "401 Unauthorized"…
    reason: str  # for the log line: a few words, no body content


UNSIGNED = Refused("401 Unauthorized", "bad_signature")
STALE = Refused("401 Unauthorized", "stale_or_bad_timestamp")


def check(verifier: SignatureVerifier, environ: dict) -> Refused | None:
    """Read the raw body, verify it, check its shape; None when Bolt may have it (``environ``'s
    input is then the same bytes again, ready to be read)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return Refused("400 Bad Request", "bad_content_length")
    if length > MAX_BODY:
        return Refused("413 Payload Too Large", "body_too_large")
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(len(raw))
    if _ssl_check(raw, environ.get("CONTENT_TYPE") or ""):
        return None  # Slack's SSL check may come unsigned; Bolt's first middleware answers it
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if not timestamp.isascii() or not timestamp.isdigit():
        return STALE  # int() would raise on it inside slack_sdk
    if abs(verifier.clock.now() - int(timestamp)) > FRESH_SECONDS:
        return STALE
    if not verifier.is_valid(raw, timestamp, signature):
        return UNSIGNED
    return malformed(raw, environ.get("CONTENT_TYPE") or "")


def _ssl_check(raw: bytes, content_type: str) -> bool:
    """A bare `ssl_check=1` form (Slack checking the certificate of a slash command's URL): it
    carries nothing to act on, and Bolt's SslCheck middleware answers it before anything else.
    Only a body Bolt surely reads as that form passes (not JSON, no ``payload``): Bolt does not
    verify signatures again behind this edge."""
    if len(raw) > 512 or b"payload" in raw or raw.startswith(b"{"):
        return False
    if content_type.split(";")[0].strip().lower() == "application/json":
        return False
    try:
        form = parse_qs(raw.decode("ascii"), keep_blank_values=True)
    except UnicodeDecodeError:
        return False
    return form.get("ssl_check") == ["1"] and "command" not in form and "payload" not in form


def malformed(raw: bytes, content_type: str) -> Refused | None:
    """Why a signed body is not one Slack sends (400), or None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Refused("400 Bad Request", "not_utf8")
    if content_type.split(";")[0].strip().lower() == "application/json":
        return _json_object(text, "json")  # Events API
    try:
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        return Refused("400 Bad Request", "form_not_urlencoded")
    if "payload" in form:  # interactivity: buttons, forms, shortcuts
        return _json_object(form["payload"][0], "payload")
    if any(form.get(key, [""])[0] for key in ("command", "ssl_check")):  # slash; SSL check
        return None
    return Refused("400 Bad Request", "form_without_command_or_payload")


def _json_object(text: str, what: str) -> Refused | None:
    if depth(text) > MAX_DEPTH:
        return Refused("400 Bad Request", f"{what}_too_deep")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return Refused("400 Bad Request", f"{what}_not_json")
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return Refused("400 Bad Request", f"{what}_without_type")
    return None


def depth(text: str) -> int:
    """How deep the brackets of a JSON text nest (strings skipped), without recursion."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    deepest = level = 0
    for char in brackets:
        if char in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest
