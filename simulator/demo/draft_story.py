"""The demo's first scene, as the method begins: the manager drafts the buyer's journey in a
form (nothing anyone sees changes), shows the draft with what changed, and publishes it; the
team channel gets the announcement. Between drafting and publishing, a review round: two reps and
the VP of Sales are asked, two say it looks right, one suggests a change through the form, and the
manager accepts it into the draft, credited to the reviewer."""

from __future__ import annotations

import json

from slack_bolt.request import BoltRequest

from bot.ids import INPUT, Action, View
from simulator.demo.cast import AES, CHANNEL_ID, CHANNEL_NAME, DIRECTOR, MANAGER, SDRS, Person
from simulator.demo.player import SECRET, Demo
from simulator.signed_requests import (
    block_action_payload,
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


# The suggestion the review brings: a stage named as the buyer lives it.
SUGGESTED = (
    "stage:receives_proposal",
    "Reviews Proposal",
    "They read it with their CFO; we send it",
)


def review(demo: Demo) -> None:
    """Two reps and the VP of Sales review the journey: two "Looks right", one suggestion sent
    through the form, which the manager accepts from the round's thread."""
    rep1, rep2 = SDRS[0], AES[0]
    demo.say(
        "The method asks that the journey be reviewed “with a few reps and managers” before "
        f"anything is measured: {MANAGER.name} asks two reps and {DIRECTOR.name}, the VP of Sales."
    )
    demo.print("")
    asked = " ".join(f"<@{p.user_id}>" for p in (rep1, rep2, DIRECTOR))
    demo.show(MANAGER, "/pacer", f"process review {asked} part journey")
    request = _last_dm(demo, rep2.user_id, Action.REVIEW_SUGGEST)
    if request is None:
        demo.problems.append(f"{rep2.name} was asked to review but got no message")
        return
    demo.post(f"Pacer › direct message to {rep2.name} (the review request)", request)
    review_id = _button_value(request, Action.REVIEW_SUGGEST)
    for person in (rep1, DIRECTOR):
        said = _press(demo, person, Action.REVIEW_APPROVE, review_id)
        demo.print(f"{person.name} › [Looks right]", *("    " + line for line in said), "")
    opened = len(demo.standin.calls_to("views.open"))
    _press_for_form(demo, rep2, Action.REVIEW_SUGGEST, review_id)
    forms = [c.params["view"] for c in demo.standin.calls_to("views.open")[opened:]]
    forms = [json.loads(f) if isinstance(f, str) else f for f in forms]
    if not forms or forms[-1].get("callback_id") != View.REVIEW_SUGGEST:
        demo.problems.append(f"{rep2.name} › Suggest a change opened no form")
        return
    item, instead, why = SUGGESTED
    values = {
        "item": {"value": {"type": "static_select", "selected_option": {"value": item}}},
        "instead": {"value": {"type": "plain_text_input", "value": instead}},
        "why": {"value": {"type": "plain_text_input", "value": why}},
    }
    reply = _submit(demo, rep2, View.REVIEW_SUGGEST, values, forms[-1]["private_metadata"])
    if reply.get("response_action") != "update":
        demo.problems.append(f"{rep2.name}'s suggestion was not taken: {reply}")
        return
    demo.print(
        f"{rep2.name} › [Suggest a change] (form) Receives Proposal → “{instead}”, because “{why}”",
        *("    " + line for line in render_view(reply["view"], demo.names).splitlines()),
        "",
    )
    posts = _thread(demo)
    suggestion = next((p for p in reversed(posts) if _has(p, Action.REVIEW_ACCEPT)), None)
    if suggestion is None:
        demo.problems.append(f"{rep2.name}'s suggestion did not reach {MANAGER.name}'s thread")
        return
    said = _press(
        demo, MANAGER, Action.REVIEW_ACCEPT, _button_value(suggestion, Action.REVIEW_ACCEPT)
    )
    posts = _thread(demo)  # the opening and the three answers
    demo.print(f"Pacer › direct message to {MANAGER.name} (the round's thread)")
    for i, post in enumerate(posts):  # replies marked ↳ on their first line
        lines = demo.render(post)
        demo.print(
            *(
                ("    ↳ " if i and not j else "      " if i else "    ") + line
                for j, line in enumerate(lines)
            )
        )
    demo.print("")
    demo.print(f"{MANAGER.name} › [Accept]", *("    " + line for line in said), "")
    told = _last_dm(demo, rep2.user_id, "accepted your suggestion")
    if told is None:
        demo.problems.append(f"{rep2.name} was not told the suggestion was accepted")
    else:
        demo.post(f"Pacer › direct message to {rep2.name} (the suggestion accepted)", told)


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


def _has(message: dict, needle: str) -> bool:
    return needle in json.dumps(message.get("blocks", []))


def _last_dm(demo: Demo, user_id: str, needle: str) -> dict | None:
    found = [
        c.params
        for c in demo.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == user_id and not c.params.get("thread_ts")
    ]
    found = [p for p in found if _has(p, needle) or needle in p.get("text", "")]
    return found[-1] if found else None


def _button_value(message: dict, action_id: str) -> str:
    for block in message.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element.get("value", "")
    return ""


def _thread(demo: Demo) -> list[dict]:
    """The newest review thread in the author's direct messages: its opening and its replies."""
    replies = [
        c.params for c in demo.standin.calls_to("chat.postMessage") if c.params.get("thread_ts")
    ]
    if not replies:
        return []
    ts = replies[-1]["thread_ts"]
    openings = [m for ms in demo.standin.history.values() for m in ms if m.get("ts") == ts]
    return [*openings[:1], *(p for p in replies if p["thread_ts"] == ts)]


def _press(demo: Demo, who: Person, action_id: str, value: str) -> list[str]:
    """A button on a direct message; what its response_url got, as text."""
    url = demo.standin.new_response_url()
    payload = block_action_payload(
        who.user_id,
        action_id,
        value,
        channel_id=f"D{who.user_id[1:]}",
        message_ts="1700000000.000100",
        response_url=url,
    )
    body = interaction_body(payload)
    response = demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
    demo.played += 1
    got = demo.standin.responses.get(url.rsplit("/", 1)[1], [])
    if response.status != 200 or not got:
        demo.problems.append(f"{who.name} › [{action_id}] → [{response.status}] {got}")
        return []
    return demo.render(got[-1])


def _press_for_form(demo: Demo, who: Person, action_id: str, value: str) -> None:
    """A button that opens a form (its reply is the form, not a message)."""
    payload = block_action_payload(who.user_id, action_id, value, channel_id=f"D{who.user_id[1:]}")
    body = interaction_body(payload)
    demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
    demo.played += 1


def _submit(demo: Demo, who: Person, callback: str, values: dict, metadata: str) -> dict:
    payload = view_submission_payload(
        who.user_id, callback, values, private_metadata=metadata, view_id="V0DEMO0002"
    )
    body = interaction_body(payload)
    response = demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
    demo.played += 1
    return json.loads(response.body or "{}")
