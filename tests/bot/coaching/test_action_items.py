"""bot/coaching/action_items.py: "Add action item" on a coaching thread's opening message: a form,
the item stored once and posted in the thread, and only the session's people (and admins) may
add one."""

import json

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View
from sqlmodel import select

from simulator.signed_requests import interaction_body, signed_headers, view_submission_payload
from storage.models import CoachingNote, CoachingSession
from tests.bot.button_support import TEAM, buttons, channel_rig, press
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
