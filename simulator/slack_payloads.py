"""What the Slack stand-in (slack_standin.py) reads from a request and checks in it: the Web
API's parameters (a form or JSON, JSON-encoded form values decoded), an upload's bytes, and
Slack's limits on blocks."""

import contextlib
import email.parser
import email.policy
import json
from typing import Any
from urllib.parse import parse_qsl

# Form values that slack_sdk sends JSON-encoded; we decode them so tests see Python objects.
JSON_FIELDS = {"blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks"}


def bad_blocks(blocks: Any, limit: int) -> bool:
    """Slack's limits: block count, section text 3000, header text 150, 10 section fields."""
    if blocks is None:
        return False
    if not isinstance(blocks, list) or len(blocks) > limit:
        return True
    for b in blocks:
        if not isinstance(b, dict):
            return True
        text = (b.get("text") or {}).get("text", "")
        if b.get("type") == "section" and (len(text) > 3000 or len(b.get("fields", [])) > 10):
            return True
        if b.get("type") == "header" and len(text) > 150:
            return True
    return False


def decode_params(body: bytes, content_type: str, query: str) -> dict:
    """Merge query string, form fields and a JSON body; decode JSON-encoded form values."""
    params: dict[str, Any] = dict(parse_qsl(query))
    if content_type.startswith("application/json"):
        params.update(json.loads(body or b"{}"))
    elif body:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            # if it isn't JSON, leave it as sent; the method answers invalid_arguments if it matters
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


def file_bytes(body: bytes, content_type: str) -> bytes:
    """The uploaded file's bytes: the file part of a multipart body, else the raw body."""
    if not content_type.startswith("multipart/"):
        return body
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    parts = list(message.iter_parts())
    chosen = next((p for p in parts if p.get_filename()), parts[0] if parts else None)
    return chosen.get_payload(decode=True) if chosen is not None else b""
