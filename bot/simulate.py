"""Slack's side of a request, built locally: form bodies for slash commands and their signature
headers. Used by `pacer demo` and the tests to drive the real app exactly as Slack would."""

import time
import uuid
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


def command_body(
    command: str,
    text: str,
    user_id: str,
    team_id: str = "T0001",
    channel_id: str = "C0SALES01",
    trigger_id: str | None = None,
    response_url: str = "https://hooks.slack.invalid/commands/0",
    enterprise_id: str | None = None,
    user_name: str | None = None,
) -> str:
    fields = {
        "token": "unused-verification-token",
        "team_id": team_id,
        "team_domain": "acme",
        "channel_id": channel_id,
        "channel_name": "sales",
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0PACER01",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or f"{uuid.uuid4().int % 10**13}.{uuid.uuid4().hex[:16]}",
    }
    if enterprise_id:
        fields["enterprise_id"] = enterprise_id
    return urlencode(fields)


def signed_headers(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(signing_secret).generate_signature(
        timestamp=str(timestamp), body=body
    )
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }
