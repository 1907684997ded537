"""What the modal form tests (the /log form, the team settings form) share: a rig whose people
Slack knows by name, opening a form by typing its command alone, submitting it, and reading
what was stored.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json
from collections.abc import Iterator

from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View
from sqlmodel import select

from rituals.teams import team_process
from simulator.signed_requests import (
    command_body,
    interaction_body,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import ActivityLog, Member, ProcessVersion
from tests.bot.support import AE, MGR, SDR, Rig

TEAM = "T0RIG0001"
SDR2, NEWBIE, NOBODY = "U0SDR0002", "U0NEW0001", "U0NOBODY1"


def named_rig(tmp_path) -> Iterator[Rig]:
    """The rig with its team, whose people Slack knows by name."""
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        rig.team()
        yield rig
        rig.services.background.shutdown(wait=True)


def open_form(rig, command: str, user: str) -> dict:
    """Type the command alone; the form Slack was asked to open (checked as Block Kit)."""
    before = len(rig.slack.calls_to("views.open"))
    trigger = new_trigger_id()
    body = command_body(command, "", user, team_id=TEAM, trigger_id=trigger)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200 and response.body == ""  # an empty acknowledgement
    calls = rig.slack.calls_to("views.open")
    assert len(calls) == before + 1
    assert calls[-1].params["trigger_id"] == trigger
    return checked_view(calls[-1].params["view"])


def checked_view(view: dict) -> dict:
    View(**view).validate_json()  # slack_sdk's own checks
    assert len(view["blocks"]) <= 100
    return view


def submit(rig, user: str, callback: str, values: dict, *, metadata="", view_id="V0FORM001"):
    payload = view_submission_payload(
        user, callback, values, team_id=TEAM, private_metadata=metadata, view_id=view_id
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def block_ids(view: dict) -> list[str]:
    return [b.get("block_id") for b in view["blocks"] if b.get("type") == "input"]


def state_of(view: dict) -> dict:
    """The state Slack would send for a form submitted as it opened."""
    values = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, state = element["type"], {"type": element["type"]}
        if kind == "multi_users_select":
            state["selected_users"] = list(element.get("initial_users", []))
        elif kind == "conversations_select":
            state["selected_conversation"] = element.get("initial_conversation")
        elif kind in ("static_select", "radio_buttons"):
            state["selected_option"] = element.get("initial_option")
        elif kind == "checkboxes":
            state["selected_options"] = list(element.get("initial_options", []))
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        else:
            state["value"] = element.get("initial_value")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def put(values: dict, block_id: str, **state) -> None:
    values[block_id]["value"].update(state)


def logs(rig) -> list[ActivityLog]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(ActivityLog).order_by(ActivityLog.id)))


def versions(rig) -> list[ProcessVersion]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(ProcessVersion).order_by(ProcessVersion.id)))


def members(rig) -> dict[str, tuple[str | None, bool, bool]]:
    """user -> (role, manager, active)."""
    with rig.services.unit_of_work() as session:
        rows = session.exec(select(Member))
        return {m.user_id: (m.role, m.is_manager, m.active) for m in rows}


def team(rig):
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0]


def process(rig):
    with rig.services.unit_of_work() as session:
        return team_process(session, people_queries.teams(session)[0].id)[0]


def view_text(view: dict) -> str:
    return "\n".join(
        b["text"]["text"] if "text" in b else b["elements"][0]["text"]
        for b in view["blocks"]
        if "text" in b or b.get("type") == "context"
    )
