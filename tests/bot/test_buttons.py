"""Buttons on messages, pressed through signed block_actions payloads against the local Slack
stand-in (its response_urls record what a press answers): "Share to channel" on a private
scorecard or leaderboard, "My scorecard" and "Log activity" on a digest, "Add action item" on a
coaching thread, each with the refusal for someone who may not press it."""

import json
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlmodel import select

from simulator.signed_requests import (
    block_action_payload,
    interaction_body,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage.models import CoachingNote, CoachingSession
from tests.bot.delivery.support import run
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, assert_within_slack_limits, no_waiting

TEAM = "T0RIG0001"
SALES, COACHING, HERE = "C0SALES01", "C0COACH01", "C0ASKED001"
NOBODY = "U0NOBODY1"
THURSDAY_1745 = datetime.fromisoformat("2026-11-26T17:45:00-05:00")


@pytest.fixture
def rig(tmp_path):
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


# -- helpers ----------------------------------------------------------------------------------


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


# -- Share to channel -------------------------------------------------------------------------


def test_sharing_your_scorecard_posts_it_where_you_asked_once_per_press(rig):
    reply = rig.run("/scorecard", "", SDR)
    button = buttons(reply)["share_scorecard"]
    assert button["text"]["text"] == "Share to channel"
    answers = press(rig, SDR, "share_scorecard", button["value"], times=2)
    [shared] = posted_in_channel(answers)  # one post, though Slack delivered the press twice
    assert shared["replace_original"] is False and len(answers) == 1
    assert_within_slack_limits(shared)
    text = text_of(shared)
    assert f"*Scorecard* · <@{SDR}>" in text and "40 of 300" in text
    assert f"Shared by <@{SDR}>." in text
    assert "share_scorecard" not in json.dumps(shared)  # no button in the channel copy
    # Another press is another post.
    assert len(posted_in_channel(press(rig, SDR, "share_scorecard", button["value"]))) == 1


def test_someone_elses_scorecard_is_shared_with_their_name_only_when_scorecards_are_public(rig):
    button = buttons(rig.run("/scorecard", f"<@{SDR}>", AE))["share_scorecard"]
    [shared] = posted_in_channel(press(rig, AE, "share_scorecard", button["value"]))
    text = text_of(shared)
    assert "*Scorecard* · @Maria Lopez" in text and f"<@{SDR}>" not in json.dumps(shared)
    assert f"Shared by <@{AE}>." in text
    rig.text("/pacer", "visibility managers", MGR)
    assert "share_scorecard" not in buttons(rig.run("/scorecard", f"<@{SDR}>", MGR))
    assert "share_scorecard" in buttons(rig.run("/scorecard", "", SDR))  # your own, always
    answers = press(rig, MGR, "share_scorecard", button["value"])  # the old button, pressed
    assert posted_in_channel(answers) == []
    assert answers[0]["response_type"] == "ephemeral"
    assert f"only <@{SDR}> can share theirs" in answers[0]["text"]


def test_a_share_button_from_an_older_message_changes_nothing(rig):
    answers = press(rig, SDR, "share_scorecard", "not json")
    assert "from an older Pacer message" in answers[0]["text"] and not posted_in_channel(answers)
    answers = press(rig, SDR, "share_scorecard", '{"rep": "U0SDR0001", "period": "year:2026"}')
    assert "from an older Pacer message" in answers[0]["text"]


def test_a_manager_shares_a_leaderboard_and_a_rep_cannot(rig):
    reply = rig.run("/leaderboard", "calls", MGR)
    button = buttons(reply)["share_leaderboard"]
    [shared] = posted_in_channel(press(rig, MGR, "share_leaderboard", button["value"]))
    assert_within_slack_limits(shared)
    text = text_of(shared)
    assert "Leaderboard · Calls / Emails" in text and "Maria Lopez" in text
    assert "← you" not in text and f"Shared by <@{MGR}>." in text
    assert "<@U0SDR0001>" not in json.dumps(shared)  # names, not mentions
    assert "share_leaderboard" not in buttons(rig.run("/leaderboard", "calls", SDR))
    answers = press(rig, SDR, "share_leaderboard", button["value"])
    assert posted_in_channel(answers) == []
    assert "Only the team's managers and Pacer admins can share a leaderboard" in answers[0]["text"]


# -- a digest's buttons -----------------------------------------------------------------------


def digest_post(rig) -> dict:
    assert run(rig, "daily", THURSDAY_1745).status == "posted"
    [main] = [
        c.params
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == SALES and "thread_ts" not in c.params
    ]
    return main


def test_a_digest_has_my_scorecard_and_log_activity(rig):
    main = digest_post(rig)
    assert_within_slack_limits({"text": main["text"], "blocks": main["blocks"]})
    found = buttons(main)
    assert found["digest_scorecard"]["value"] == "day:2026-11-26"
    assert found["digest_log"]["text"]["text"] == "Log activity"
    rig.now = THURSDAY_1745
    [answer] = press(rig, SDR, "digest_scorecard", "day:2026-11-26", channel=SALES)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert f"*Scorecard* · <@{SDR}>" in text_of(answer) and "Thu 26 Nov" in text_of(answer)
    assert "share_scorecard" in buttons(answer)  # shown privately: it can be shared
    [refused] = press(rig, NOBODY, "digest_scorecard", "day:2026-11-26", channel=SALES)
    assert "You're not on a sales team in Pacer yet" in refused["text"]


def test_log_activity_on_a_digest_opens_the_log_form(rig):
    value = buttons(digest_post(rig))["digest_log"]["value"]
    assert press(rig, SDR, "digest_log", value, channel=SALES) == []  # nothing said: a form
    [opened] = rig.slack.calls_to("views.open")
    view = opened.params["view"]
    View(**view).validate_json()
    assert view["callback_id"] == "log_activity" and opened.params["trigger_id"]
    press(rig, NOBODY, "digest_log", value, channel=SALES)
    refusal = rig.slack.calls_to("views.open")[-1].params["view"]
    assert "callback_id" not in refusal and "not on a sales team" in json.dumps(refusal)


# -- a coaching thread's "Add action item" ----------------------------------------------------


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
