"""Slack's side of a request, built locally: form bodies for slash commands and their signature
headers. Used by `pacer demo` and the tests to drive the real app exactly as Slack would."""

import json
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
        "trigger_id": trigger_id or new_trigger_id(),
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


def responses_to(standin, url: str) -> list[dict]:
    """What was posted to a response_url the Slack stand-in issued (``new_response_url``), oldest
    first: a command's replies after its acknowledgement."""
    return list(standin.responses.get(url.rsplit("/", 1)[1], []))


def new_trigger_id() -> str:
    return f"{uuid.uuid4().int % 10**13}.{uuid.uuid4().hex[:16]}"


def interaction_body(payload: dict) -> str:
    """The form body Slack posts for a button press or a modal submission: ``payload=<JSON>``."""
    return urlencode({"payload": json.dumps(payload)})


def block_action_payload(
    user_id: str,
    action_id: str,
    value: str = "",
    *,
    team_id: str = "T0001",
    channel_id: str | None = None,
    message_ts: str | None = None,
    response_url: str = "https://hooks.slack.invalid/actions/0",
    view: dict | None = None,
    block_id: str = "actions",
) -> dict:
    """A block_actions payload: ``user_id`` pressed the button ``action_id`` (carrying ``value``)
    on a message in ``channel_id`` (or in a modal / the Home tab when ``view`` is given)."""
    payload: dict = {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": team_id, "username": user_id.lower()},
        "api_app_id": "A0PACER01",
        "team": {"id": team_id, "domain": "acme"},
        "trigger_id": new_trigger_id(),
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if channel_id:
        payload["channel"] = {"id": channel_id}
        payload["container"] = {
            "type": "message",
            "channel_id": channel_id,
            "message_ts": message_ts or "",
        }
        payload["message"] = {"ts": message_ts or "", "type": "message"}
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0")}
    return payload


def view_submission_payload(
    user_id: str,
    callback_id: str,
    values: dict,
    *,
    team_id: str = "T0001",
    private_metadata: str = "",
    view_id: str = "V0MODAL01",
) -> dict:
    """A view_submission payload: the modal ``callback_id`` submitted with ``values``
    (block_id -> action_id -> the element's state, as Slack sends them)."""
    return {
        "type": "view_submission",
        "user": {"id": user_id, "team_id": team_id, "username": user_id.lower()},
        "api_app_id": "A0PACER01",
        "team": {"id": team_id, "domain": "acme"},
        "trigger_id": new_trigger_id(),
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1",
        },
    }


def event_body(
    event: dict, *, team_id: str = "T0001", event_id: str | None = None, event_time: int = 0
) -> str:
    """An Events API envelope (JSON) around ``event``; the same ``event_id`` marks a retry."""
    return json.dumps(
        {
            "token": "unused-verification-token",
            "team_id": team_id,
            "api_app_id": "A0PACER01",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": event_time or int(time.time()),
            "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
        }
    )


def json_headers(signing_secret: str, body: str, retry: int | None = None) -> dict[str, str]:
    """Signed headers for an Events API body (JSON); ``retry`` adds Slack's retry headers."""
    headers = signed_headers(signing_secret, body) | {"Content-Type": "application/json"}
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return headers
