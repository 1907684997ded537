"""The contest tests' rig (the Rig's team with two more SDRs, named people in the Slack stand-in,
#sales, and only the contests' rituals on: the others have tests of their own, and are slow),
its values and helpers. A test module takes the rig with ``from tests.bot.contests.support
import rig as rig``; the package's other tests keep tests/bot/conftest.py's.

The rig's clock starts on Tuesday 24 Nov 2026, 11:00 in New York (the default process: Mon–Fri
09:00–17:00, contest standings at 11:30 and 15:30; the daily digest is off here). A `3d`
contest runs Tue 24 – Thu 26 Nov, ends Thursday at 17:00 and its result is settled two hours
later, at 19:00 (the default `contests: {settle: 2h}`)."""

import json
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.delivery.clock import Clock
from rituals.teams import change_process
from simulator.signed_requests import interaction_body, signed_headers, view_submission_payload
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import Contest
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, no_waiting

CHANNEL = "C0SALES01"
SDR2, SDR3 = "U0SDR0002", "U0SDR0003"
TEAM = "T0RIG0001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00")


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(SDR3, "Kim Lee")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
        rig.text("/pacer", f"team add <@{SDR3}> sdr", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        # Only the contests' posts: the other rituals have tests of their own (and are slow).
        for kind in (
            "daily",
            "weekly",
            "monthly",
            "leaderboards",
            "nudges",
            "lag_check",
            "coaching",
        ):
            assert "Rituals now" in rig.text("/pacer", f"ritual {kind} off", ADMIN), kind
        yield rig
        rig.services.background.shutdown(wait=True)


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


def set_settle(rig, settle: str) -> None:
    """The team's process file with ``contests: {settle: …}`` (a manager loads it with `pacer
    process load`; there is no Slack command for it)."""
    with rig.services.unit_of_work() as session:
        [team] = people_queries.teams(session)
        change_process(
            session,
            team,
            lambda process: process.with_settings(settle=settle),
            loaded_by=ADMIN,
            change="contests.settle",
            now=rig.now,
        )


def channel_runs(rig) -> list[str]:
    """The run key of every post in #sales, in the order they were posted."""
    return [
        ((call.params.get("metadata") or {}).get("event_payload") or {}).get("run", "")
        for call in rig.slack.calls_to("chat.postMessage")
        if call.params.get("channel") == CHANNEL
    ]
