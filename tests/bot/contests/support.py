"""The contest tests' values and helpers (the rig itself is conftest.py's).

The rig's clock starts on Tuesday 24 Nov 2026, 11:00 in New York (the default process: Mon–Fri
09:00–17:00, contest standings at 11:30 and 15:30). A `3d` contest runs Tue 24 – Thu 26 Nov and
ends Thursday at 17:00."""

import json
from datetime import datetime

from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.delivery.clock import Clock
from simulator.signed_requests import interaction_body, signed_headers, view_submission_payload
from storage.models import Contest

CHANNEL = "C0SALES01"


SDR2, SDR3 = "U0SDR0002", "U0SDR0003"


TEAM = "T0RIG0001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00")


def contest_posts(rig) -> list[dict]:
    """The contest posts in the channel (run key ``team:standings:c…``), each with its text."""
    out = []
    for call in rig.slack.calls_to("chat.postMessage"):
        metadata = call.params.get("metadata") or {}
        run = (metadata.get("event_payload") or {}).get("run", "")
        if call.params.get("channel") != CHANNEL or ":standings:" not in run:
            continue
        blocks = call.params.get("blocks") or []
        text = "\n".join(b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict))
        out.append({"run": run, "text": text, "params": call.params})
    return out


def posts_of(rig, phase: str) -> list[str]:
    return [p["text"] for p in contest_posts(rig) if p["run"].endswith(phase)]


def tick(rig, when: str) -> None:
    rig.now = at(when)
    Clock(rig.services).tick()


def stored(rig, model=Contest) -> list:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(model)))


def send_view(rig, user: str, values: dict, *, metadata: str = "", view_id="V0MODAL01"):
    payload = view_submission_payload(
        user, "contest_start", values, team_id=TEAM, private_metadata=metadata, view_id=view_id
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def form(**fields) -> dict:
    """A submitted form's state values, as Slack sends them."""
    values = {
        "name": {"value": {"type": "plain_text_input", "value": fields.get("name", "Form Blitz")}},
        "kpi": {"value": {"type": "static_select", "selected_option": {"value": "calls"}}},
        "kind": {
            "value": {
                "type": "radio_buttons",
                "selected_option": {"value": fields.get("kind", "race")},
            }
        },
        "start": {
            "value": {"type": "datepicker", "selected_date": fields.get("start", "2026-11-24")}
        },
        "end": {"value": {"type": "datepicker", "selected_date": fields.get("end", "2026-11-26")}},
        "target": {"value": {"type": "number_input", "value": fields.get("target")}},
        "entrants": {
            "value": {"type": "multi_users_select", "selected_users": fields.get("entrants", [])}
        },
        "scoring": {"value": {"type": "radio_buttons", "selected_option": {"value": "sum"}}},
        "prize": {"value": {"type": "plain_text_input", "value": fields.get("prize")}},
    }
    for index, (name, people) in enumerate(fields.get("groups", []), 1):
        values[f"group{index}_name"] = {"value": {"type": "plain_text_input", "value": name}}
        values[f"group{index}"] = {
            "value": {"type": "multi_users_select", "selected_users": people}
        }
    return values
