"""What the Home tab tests share: opening the tab (a signed app_home_opened event), pressing its
buttons and submitting its forms, and reading what Pacer published."""

import json

from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlmodel import select

from bot.ids import Action
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
    view_submission_payload,
)
from storage.models import ActivityLog

EDIT, LOG_NUMBER = Action.HOME_EDIT, Action.HOME_LOG_NUMBER
PLUS_ONE, VOID = Action.HOME_PLUS_ONE, Action.HOME_VOID
TEAM = "T0RIG0001"
SDR2 = "U0SDR0002"


def assert_valid_view(view: dict) -> None:
    """slack_sdk's own checks, Slack's 100-block limit, and every block parses and validates."""
    View(**view).validate_json()
    assert 1 <= len(view["blocks"]) <= 100
    for block in view["blocks"]:
        Block.parse(block).validate_json()
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def text_of(view: dict) -> str:
    out = []
    for block in view["blocks"]:
        if block.get("text"):
            out.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), str):
                out.append(element["text"])
            elif isinstance(element.get("text"), dict):
                out.append(element["text"]["text"])
    return "\n".join(out)


def published(rig, user: str) -> list[dict]:
    return [
        c.params["view"]
        for c in rig.slack.calls_to("views.publish")
        if c.params.get("user_id") == user and not c.failed_status
    ]


def open_home(rig, user: str, view: dict | None = None) -> dict:
    """The signed app_home_opened event; returns the view Pacer published for this person."""
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home"}
    if view is not None:
        event["view"] = view
    body = event_body(event, team_id=TEAM)
    before = len(published(rig, user))
    response = rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body)))
    assert response.status == 200
    views = published(rig, user)
    assert len(views) == before + 1
    assert_valid_view(views[-1])
    return views[-1]


def home_button(view: dict, action_id: str, value: str | None = None) -> dict:
    for block in view["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id and (
                value is None or element["value"] == value
            ):
                return element | {"block_id": block.get("block_id", "")}
    raise AssertionError(f"no button {action_id}={value} on the Home tab")


def press_payload(user: str, view: dict, action_id: str, value: str) -> dict:
    """A block_actions payload from the Home tab (no response_url there, as in Slack)."""
    payload = block_action_payload(
        user, action_id, value, team_id=TEAM, view=view | {"id": "V0HOME001"}
    )
    payload.pop("response_url")
    return payload


def dispatch(rig, payload: dict):
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def press(rig, user: str, view: dict, action_id: str, value: str) -> dict:
    home_button(view, action_id, value)  # the button is on the tab as published
    return dispatch(rig, press_payload(user, view, action_id, value))


def opened_modals(rig) -> list[dict]:
    return [c.params["view"] for c in rig.slack.calls_to("views.open")]


def submit(rig, user: str, modal: dict, values: dict, view_id: str) -> dict:
    payload = view_submission_payload(
        user,
        modal["callback_id"],
        values,
        team_id=TEAM,
        private_metadata=modal["private_metadata"],
        view_id=view_id,
    )
    return dispatch(rig, payload)


def form(count=None, day=None, note=None) -> dict:
    values = {"count": {"value": {"type": "number_input", "value": count}}}
    if day is not None:
        values["date"] = {"value": {"type": "datepicker", "selected_date": day}}
    if note is not None:
        values["note"] = {"value": {"type": "plain_text_input", "value": note}}
    return values


def logs(rig, **where) -> list[ActivityLog]:
    with rig.services.unit_of_work() as session:
        query = select(ActivityLog).order_by(ActivityLog.id)
        for key, value in where.items():
            query = query.where(getattr(ActivityLog, key) == value)
        return list(session.exec(query))


def counted(rig, rep: str, kpi: str) -> int:
    return sum(r.count for r in logs(rig, rep_id=rep, kpi=kpi) if r.voided_at is None)
