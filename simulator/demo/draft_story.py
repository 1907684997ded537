"""The demo's first scene, as the method begins: the manager drafts the buyer's journey in a
form (nothing anyone sees changes), shows the draft with what changed, and publishes it; the
team channel gets the announcement. (A review round sits between drafting and publishing.)"""

from __future__ import annotations

import json

from slack_bolt.request import BoltRequest

from bot.ids import INPUT, View
from simulator.demo.cast import CHANNEL_ID, CHANNEL_NAME, MANAGER
from simulator.demo.player import SECRET, Demo
from simulator.signed_requests import (
    command_body,
    interaction_body,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from simulator.textview import render_view

# The journey as the manager wants it: one stage renamed in the method's own words.
RENAMED = {"stage:has_conversation": "Has a Real Conversation"}


def draft_journey(demo: Demo) -> None:
    demo.say(
        "Before anyone logs a call, the method starts with the buyer's journey: "
        f"{MANAGER.name} drafts it, and nobody sees the draft until it is published."
    )
    demo.print("")
    demo.show(MANAGER, "/pacer", "process draft", brief=True)
    form = open_form(demo, "process draft journey")
    if form is None:
        return
    saved = submit_form(demo, form, RENAMED)
    demo.print(
        f"{MANAGER.name} › (Edit journey form) renames stage 2 to “{RENAMED['stage:has_conversation']}”",
        *("    " + line for line in render_view(saved, demo.names).splitlines()),
        "",
    )
    demo.show(MANAGER, "/pacer", "process draft show")


def publish(demo: Demo) -> None:
    demo.show(MANAGER, "/pacer", "process publish")
    posted = [
        c.params
        for c in demo.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == CHANNEL_ID
        and "process is updated" in c.params.get("text", "")
    ]
    if not posted:
        demo.problems.append("the published process was not announced in the team channel")
        return
    demo.post(f"Pacer › #{CHANNEL_NAME} (the new process)", posted[-1])


def open_form(demo: Demo, text: str) -> dict | None:
    trigger = new_trigger_id()
    body = command_body("/pacer", text, MANAGER.user_id, trigger_id=trigger)
    demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
    demo.played += 1
    views = [
        c.params["view"]
        for c in demo.standin.calls_to("views.open")
        if c.params.get("trigger_id") == trigger
    ]
    if not views:
        demo.problems.append(f"{MANAGER.name} › /pacer {text} opened no form")
        return None
    return views[-1]


def submit_form(demo: Demo, form: dict, changes: dict[str, str]) -> dict:
    values = {}
    for block in form["blocks"]:
        if block.get("type") == "input":
            value = changes.get(block["block_id"], block["element"].get("initial_value"))
            values[block["block_id"]] = {INPUT: {"type": "plain_text_input", "value": value}}
    payload = view_submission_payload(
        MANAGER.user_id,
        View.DRAFT_EDIT,
        values,
        private_metadata=form["private_metadata"],
        view_id="V0DEMO0001",
    )
    body = interaction_body(payload)
    response = demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
    demo.played += 1
    reply = json.loads(response.body or "{}")
    if reply.get("response_action") != "update":
        demo.problems.append(f"the journey form was not saved: {reply}")
        return {"blocks": []}
    return reply["view"]
