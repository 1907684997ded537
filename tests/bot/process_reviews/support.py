"""What the reviews' Slack-side tests share: a rig whose team has two SDRs, an AE and a manager
(Slack knows their names), the manager's open draft, and a review asked, pressed and answered
through signed requests dispatched by the real Bolt app (after-ack work done inline).

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json
from collections.abc import Iterator

from slack_bolt.request import BoltRequest
from sqlmodel import select

from simulator.signed_requests import (
    command_body,
    interaction_body,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage import review_queries
from storage.models import ProcessReview, ReviewAnswer
from storage.unit_of_work import unit_of_work
from tests.bot import button_support
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig

TEAM = "T0RIG0001"
SDR2, NOBODY = "U0SDR0002", "U0NOBODY1"
DM = "D0REVIEW01"  # where a reviewer presses the buttons
__all__ = ["ADMIN", "AE", "MGR", "NOBODY", "SDR", "SDR2", "TEAM"]


def review_rig(tmp_path) -> Iterator[Rig]:
    with SlackStandin() as slack:
        for user, name in ((SDR, "Maria Lopez"), (SDR2, "Sam Ray"), (AE, "Alex Chen")):
            slack.add_user(user, name)
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        rig.team()
        rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
        assert "draft" in rig.text("/pacer", "process draft", MGR).lower()
        yield rig
        rig.services.background.shutdown(wait=True)


def command(rig, text: str, user: str = MGR, trigger: str | None = None) -> str:
    body = command_body("/pacer", text, user, team_id=TEAM, trigger_id=trigger or new_trigger_id())
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    message = json.loads(response.body)
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b.get("text"))


def press(rig, user: str, action_id: str, value: str, *, times: int = 1) -> list[dict]:
    """A press on a direct message (delivered ``times`` times); what its response_url got."""
    return button_support.press(rig, user, action_id, value, channel=DM, times=times)


def submit(rig, user: str, callback: str, values: dict, metadata: str, view_id="V0FORM0001"):
    payload = view_submission_payload(
        user, callback, values, team_id=TEAM, private_metadata=metadata, view_id=view_id
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def suggestion(item: str | None, instead: str, why: str = "") -> dict:
    option = {"value": item} if item else None
    return {
        "item": {"value": {"type": "static_select", "selected_option": option}},
        "instead": {"value": {"type": "plain_text_input", "value": instead}},
        "why": {"value": {"type": "plain_text_input", "value": why}},
    }


def reviews(rig) -> list[ProcessReview]:
    with unit_of_work(rig.engine) as session:
        return list(session.exec(select(ProcessReview).order_by(ProcessReview.id)))


def answers(rig, review_id: int) -> list[ReviewAnswer]:
    with unit_of_work(rig.engine) as session:
        return review_queries.answers_of(session, [review_id])


def asked(rig, text: str = f"process review <@{SDR}> <@{SDR2}> part journey") -> int:
    said = command(rig, text)
    assert "Asked" in said, said
    return reviews(rig)[-1].id


def dms(rig, user: str, needle: str = "") -> list[dict]:
    return [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == user and needle in json.dumps(c.params)
    ]


def thread(rig, needle: str = "") -> list[dict]:
    return [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("thread_ts") and needle in json.dumps(c.params)
    ]
