"""bot/coaching/action_items.py: "Add action item" on a coaching thread's opening message: a form,
the item stored once and posted in the thread, and only the session's people (and admins) may
add one."""

import json
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View
from sqlmodel import select

from simulator.signed_requests import (
    block_action_payload,
    interaction_body,
    signed_headers,
    view_submission_payload,
)
from storage.models import CoachingNote, CoachingSession
from tests.bot.button_support import TEAM, buttons, channel_rig, press, text_of
from tests.bot.coaching.support import message_event, reply
from tests.bot.support import ADMIN, AE, MGR, SDR, assert_within_slack_limits

COACHING = "C0COACH01"


@pytest.fixture
def rig(tmp_path):
    yield from channel_rig(tmp_path)


def coaching_thread(rig) -> tuple[dict, CoachingSession]:
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", ADMIN)
    rig.text("/coach", f"<@{SDR}>", MGR)
    [opening] = [
        c.params for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == COACHING
    ]
    with rig.services.unit_of_work() as session:
        row = session.exec(select(CoachingSession)).one()
    return opening, row


def submit_item(rig, user: str, session_id: int, text: str, view_id="V0ITEM001") -> dict:
    payload = view_submission_payload(
        user,
        "coaching_action_item",
        {"item": {"value": {"type": "plain_text_input", "value": text}}},
        team_id=TEAM,
        private_metadata=str(session_id),
        view_id=view_id,
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def action_items(rig) -> list[CoachingNote]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(CoachingNote).where(CoachingNote.is_action)))


def test_add_action_item_opens_a_form_stores_the_item_once_and_posts_it_in_the_thread(rig):
    opening, row = coaching_thread(rig)
    assert_within_slack_limits({"text": opening["text"], "blocks": opening["blocks"]})
    assert opening["blocks"][-1]["type"] == "context"  # how to reply stays last
    button = buttons(opening)["coaching_add_action"]
    assert button["value"] == str(row.id)
    assert press(rig, SDR, "coaching_add_action", button["value"], channel=COACHING) == []
    [opened] = rig.slack.calls_to("views.open")
    view = opened.params["view"]
    View(**view).validate_json()
    assert view["callback_id"] == "coaching_action_item" and view["private_metadata"] == str(row.id)
    answer = submit_item(rig, SDR, row.id, "  Call Acme <!channel>\nback by Friday ")
    assert answer == {}  # the form closes
    [item] = action_items(rig)
    assert item.session_id == row.id and item.author_id == SDR
    assert item.text == "Call Acme <!channel> back by Friday"
    [posted] = [c.params for c in rig.slack.calls_to("chat.postMessage") if "thread_ts" in c.params]
    assert posted["channel"] == COACHING and posted["thread_ts"] == row.thread_ts
    shown = posted["blocks"][0]["text"]["text"]
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in json.dumps(posted)
    assert f"*Action item* from <@{SDR}>" in shown
    assert posted["text"].startswith(":pushpin: Action item from")  # plain, for notifications
    # The same submission delivered again: one item, one post.
    assert submit_item(rig, SDR, row.id, "Call Acme <!channel> back by Friday") == {}
    assert len(action_items(rig)) == 1
    assert len([c for c in rig.slack.calls_to("chat.postMessage") if "thread_ts" in c.params]) == 1
    assert "Call Acme" in rig.text("/coach", f"<@{SDR}> history", MGR)


def test_only_the_sessions_people_add_action_items(rig):
    opening, row = coaching_thread(rig)
    value = buttons(opening)["coaching_add_action"]["value"]
    [refused] = press(rig, AE, "coaching_add_action", value, channel=COACHING)
    assert f"Only <@{MGR}>, <@{SDR}> and Pacer admins can add action items" in refused["text"]
    assert rig.slack.calls_to("views.open") == []
    answer = submit_item(rig, AE, row.id, "Sneaky item")
    assert answer["response_action"] == "update" and "Only" in json.dumps(answer["view"])
    answer = submit_item(rig, MGR, row.id, "   ")
    assert answer == {
        "response_action": "errors",
        "errors": {"item": "Write the action item, e.g. Call Acme back by Friday."},
    }
    assert action_items(rig) == []
    [stale] = press(rig, MGR, "coaching_add_action", "999", channel=COACHING)
    assert "can't find this coaching session" in stale["text"]
    assert submit_item(rig, ADMIN, row.id, "Admins may") == {}
    assert [i.text for i in action_items(rig)] == ["Admins may"]


# -- Done ---------------------------------------------------------------------------------------


def thread_posts(rig, thread_ts: str) -> list[dict]:
    return [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("thread_ts") == thread_ts and not c.failed_status
    ]


def press_in_history(rig, user: str, value: str) -> list[dict]:
    """Done pressed on `/coach @rep history`: an ephemeral message."""
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        user, "coaching_action_done", value, team_id=TEAM, channel_id="C0ANY0001", response_url=url
    )
    payload["container"]["is_ephemeral"] = True
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return rig.slack.responses[url.rsplit("/", 1)[1]]


def test_done_marks_an_item_done_once_by_the_rep_or_manager_only(rig):
    _, row = coaching_thread(rig)
    submit_item(rig, MGR, row.id, "Call Acme back by Friday")
    message_event(
        rig, reply(rig, COACHING, row.thread_ts, "1800000001.000100", "action: Book a demo")
    )
    [item_post, saved_post] = thread_posts(rig, row.thread_ts)
    assert "Call Acme back" in item_post["text"]
    assert saved_post["text"].startswith(":pushpin: Saved as an action item")
    demo, acme = sorted(action_items(rig), key=lambda n: n.text)
    assert buttons(item_post)["coaching_action_done"]["value"] == str(acme.id)
    assert buttons(saved_post)["coaching_action_done"]["value"] == str(demo.id)
    # Someone else: refused, nothing changes.
    [refused] = press(rig, AE, "coaching_action_done", str(acme.id), channel=COACHING)
    assert f"Only <@{SDR}> and <@{MGR}> can mark this action item done" in refused["text"]
    [refused] = press(rig, ADMIN, "coaching_action_done", str(acme.id), channel=COACHING)
    assert "nothing changed" in refused["text"]
    assert all(n.done_at is None for n in action_items(rig))
    # The rep: done, the post shows it without its button; pressed twice, stored once.
    [shown] = press(rig, SDR, "coaching_action_done", str(acme.id), channel=COACHING)
    assert shown["replace_original"] is True and "actions" not in json.dumps(shown["blocks"])
    assert (
        f":white_check_mark: *Action item* done (<@{SDR}>): ~Call Acme back by Friday~"
        in (shown["blocks"][0]["text"]["text"])
    )
    done = {n.text: n for n in action_items(rig)}
    assert done["Call Acme back by Friday"].done_by == SDR
    assert done["Call Acme back by Friday"].done_at is not None
    assert done["Book a demo"].done_at is None
    [again] = press(rig, MGR, "coaching_action_done", str(acme.id), channel=COACHING)
    assert f"already marked done by <@{SDR}> on Tue 24 Nov" in again["text"]
    [stale] = press(rig, MGR, "coaching_action_done", "99999", channel=COACHING)
    assert "can't find this action item" in stale["text"]


def test_history_shows_done_items_as_done_and_offers_done_for_the_open_ones(rig):
    _, row = coaching_thread(rig)
    submit_item(rig, MGR, row.id, "Call Acme back by Friday")
    submit_item(rig, SDR, row.id, "Book a demo", view_id="V0ITEM002")
    demo, acme = sorted(action_items(rig), key=lambda n: n.text)
    press(rig, SDR, "coaching_action_done", str(acme.id), channel=COACHING)
    history = rig.run("/coach", f"<@{SDR}> history", MGR)
    text = text_of(history)
    assert ":white_check_mark: Call Acme back by Friday" in text
    assert ":pushpin: Book a demo" in text
    offered = [e for b in history["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(e["text"]["text"], e["value"]) for e in offered] == [
        ("Done: Book a demo", str(demo.id))
    ]
    # Pressed there by the manager: said privately; the item is done.
    [said] = press_in_history(rig, MGR, str(demo.id))
    assert said["response_type"] == "ephemeral" and said["replace_original"] is False
    assert "~Book a demo~" in said["blocks"][0]["text"]["text"]
    assert all(n.done_at is not None for n in action_items(rig))
    history = rig.run("/coach", f"<@{SDR}> history", MGR)
    assert not [b for b in history["blocks"] if b["type"] == "actions"]
    assert ":white_check_mark: Book a demo" in text_of(history)


def test_the_next_opening_lists_only_the_open_items(rig):
    rig.now = datetime.fromisoformat("2026-11-17T10:00:00-05:00")
    _, row = coaching_thread(rig)
    submit_item(rig, MGR, row.id, "Call Acme back by Friday")
    submit_item(rig, MGR, row.id, "Book a demo", view_id="V0ITEM002")
    _, acme = sorted(action_items(rig), key=lambda n: n.text)
    press(rig, SDR, "coaching_action_done", str(acme.id), channel=COACHING)
    rig.now = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
    rig.text("/coach", f"<@{SDR}>", MGR)
    openings = [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"] == COACHING and "thread_ts" not in c.params
    ]
    latest = json.dumps(openings[-1]["blocks"])
    assert "Book a demo" in latest and "Call Acme" not in latest
