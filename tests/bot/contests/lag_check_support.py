"""The lag check's test team (the Rig's, with a second manager and #sales), its Monday, and the
helpers that run the ritual and press its buttons: shared by the lag check's tests
(test_lag_suggestions.py, test_lag_buttons.py) and `pacer rituals run lag-check`'s
(tests/cli/test_rituals.py).

The Rig's team: one SDR (calls 60/day: 240 in the week of Thanksgiving, whose Thursday is a US
public holiday), one AE, managers MGR and MGR2. On Monday 23 Nov the SDR logs 10 calls (and
enough of every other KPI); on Tuesday at 11:00 in New York 10 of the week's 32 working hours are
gone, so 75 calls are expected: 10 is 13% of pace, 230 to go, and the contest is "everyone who
logs 230 calls from Tue 24 to Fri 27 Nov wins"."""

import json
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.process import load_process_dict
from rituals.schedule import occurrence_at
from rituals.teams import store_process, team_process
from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import Contest, LagSuggestion
from tests.bot.support import ADMIN, AE, SDR, Rig, no_waiting

MGR2 = "U0MGR0002"
CHANNEL = "C0SALES01"
MONDAY_10 = datetime.fromisoformat("2026-11-23T10:00:00-05:00")
TUESDAY_11 = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
WEDNESDAY_11 = datetime.fromisoformat("2026-11-25T11:00:00-05:00")
NEXT_TUESDAY_11 = datetime.fromisoformat("2026-12-01T11:00:00-05:00")


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def log_monday(rig, calls=10):
    rig.now = MONDAY_10
    # enough of the other KPIs to stay on pace up to Wednesday 11:00 (45% of the week)
    rig.text("/log", f"calls {calls} conversations 40 meetings 5", SDR)
    rig.text("/log", f"<@{SDR}> sao 1", AE)  # an SAO is credited by the AE
    rig.text("/log", "held 8 roi 4 proposals 3 deals 1", AE)
    rig.slack.reset()  # e.g. the SDR's note that the AE credited an SAO
    rig.now = TUESDAY_11


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def run(rig, at=TUESDAY_11, now=None):
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    occurrence = occurrence_at(process, "lag-check", at)
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence,
        now or at,
        pacer=ChannelPacer(0),
        owner="test",
    )


def dms(rig) -> list:
    """The private messages sent so far (chat.postMessage to a user ID), successful ones."""
    return [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"].startswith("U") and c.failed_status is None
    ]


def text_of(call) -> str:
    return "\n".join(
        b["text"]["text"] if b.get("text") else json.dumps(b) for b in call.params["blocks"]
    )


def buttons(call) -> list[dict]:
    (block,) = [b for b in call.params["blocks"] if b["type"] == "actions"]
    return block["elements"]


def suggestions(rig) -> list[LagSuggestion]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(LagSuggestion).order_by(LagSuggestion.id)))


def contests(rig) -> list[Contest]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(Contest)))


def press(rig, user: str, action_id: str, value: str) -> tuple[dict, list[dict]]:
    """A signed block_actions payload for a button on the suggestion DM; returns the payload and
    what Pacer posted to its response_url."""
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        user,
        action_id,
        value,
        team_id="T0RIG0001",
        channel_id="D0000DM01",
        message_ts="1700000000.000100",
        response_url=url,
        block_id=f"lag_suggestion_{value}",
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return payload, rig.slack.responses[url.rsplit("/", 1)[1]]


def channel_posts(rig) -> list:
    return [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]


def suggest(rig) -> str:
    log_monday(rig)
    assert run(rig).detail == "2 private messages"
    return str(suggestions(rig)[0].id)


def auto_launch(rig) -> None:
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
        data = process.to_dict()
        data["rituals"]["lag_check"]["auto_launch"] = True
        store_process(
            session,
            load_process_dict(data),
            team=people_queries.get_team(session, team_id(rig)),
            loaded_by="test",
            change="auto launch",
            now=MONDAY_10,
        )
