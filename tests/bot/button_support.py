"""What the tests of buttons on messages share: a rig whose team posts in #sales (with a log to
show), pressing a button through a signed block_actions payload (the stand-in's response_urls
record what a press answers), and reading the buttons and text of a message."""

from collections.abc import Iterator
from datetime import datetime

from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import Block

from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from simulator.slack_standin import SlackStandin
from tests.bot.delivery.support import run
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, no_waiting

TEAM = "T0RIG0001"
SALES, COACHING, HERE = "C0SALES01", "C0COACH01", "C0ASKED001"
NOBODY = "U0NOBODY1"
THURSDAY_1745 = datetime.fromisoformat("2026-11-26T17:45:00-05:00")


def channel_rig(tmp_path) -> Iterator[Rig]:
    """The rig with its team posting in #sales, and 40 calls logged by the SDR."""
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"channel <#{SALES}|sales>", ADMIN)
        rig.text("/log", "calls 40", SDR)
        yield rig
        rig.services.background.shutdown(wait=True)


def buttons(message: dict) -> dict[str, dict]:
    """action_id -> button, for every button of a message."""
    for block in message["blocks"]:
        Block.parse(block)  # slack_sdk reads each block, the buttons too
    return {
        e["action_id"]: e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def press(rig, user: str, action_id: str, value: str, *, channel=HERE, times=1) -> list[dict]:
    """Press a button (the same press delivered ``times`` times); what its response_url got."""
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        user,
        action_id,
        value,
        team_id=TEAM,
        channel_id=channel,
        message_ts="1700000000.000100",
        response_url=url,
    )
    body = interaction_body(payload)
    for _ in range(times):
        response = rig.app.dispatch(
            BoltRequest(body=body, headers=signed_headers("rig-secret", body))
        )
        assert response.status == 200
    return rig.slack.responses[url.rsplit("/", 1)[1]]


def text_of(message: dict) -> str:
    out = []
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        out += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(out) or message.get("text", "")


def posted_in_channel(answers: list[dict]) -> list[dict]:
    return [a for a in answers if a.get("response_type") == "in_channel"]


def digest_post(rig) -> dict:
    assert run(rig, "daily", THURSDAY_1745).status == "posted"
    [main] = [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == SALES and "thread_ts" not in c.params
    ]
    return main
