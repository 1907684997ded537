"""bot/buttons.py: building buttons (a row of them at a message's end, within Slack's 50 blocks;
the IDs and values of "Share to channel", a digest's "My scorecard" and "Log activity", and "Add
action item"), and reading a press: a stale value is refused with a Problem, a press is handled
once however often Slack delivers it, and a share is posted where the button was.

The presses run in a real request context (bot.context.handle) on the Rig: its clock is Tuesday
24 Nov 2026, 11:00 in New York."""

import json
import logging
from datetime import date

import pytest

from bot import messages
from bot.buttons import (
    MAX_MESSAGE_BLOCKS,
    action_item_button,
    digest_buttons,
    first_delivery,
    json_value,
    leaderboard_share_button,
    period_of_value,
    period_value,
    post_here,
    scorecard_share_button,
    with_actions,
)
from bot.context import Interaction, handle
from bot.replies import Problem
from rituals.digests import Leaderboard
from rituals.pacing import Period, period_containing
from rituals.process import default_process
from tests.bot.support import SDR, TUESDAY_11, assert_within_slack_limits

TEAM, HERE = "T0RIG0001", "C0ASKED001"
STALE = (
    "This button is from an older Pacer message; nothing happened. "
    "Ask again with `/scorecard` or `/leaderboard`."
)
WEEK = Period("week", date(2026, 11, 23), date(2026, 11, 29))


def press_body(value: str = "v", *, action_ts: str = "1700000000.000200", **where) -> dict:
    """A block_actions payload's fields a handler reads: who, which button, and ``where``
    (``channel``, ``container``, ``response_url``)."""
    action = {"action_id": "share_scorecard", "action_ts": action_ts, "value": value}
    return {"team": {"id": TEAM}, "user": {"id": SDR}, "actions": [action], **where}


def pressed(rig, body: dict, work, respond=None):
    """Run ``work(ix)`` as a button's handler in its own request context; what came of it."""
    return handle(
        rig.services,
        body,
        lambda ix: {"value": work(ix)},
        lambda **fields: Interaction(respond=respond, **fields),
    )


class Responses:
    """A press's ``respond``: what it was asked to say, in order (``fail``: raise on the first
    in-channel post, as a response_url Slack refuses does)."""

    def __init__(self, fail: bool = False):
        self.said: list[dict] = []
        self.fail = fail

    def __call__(self, **kwargs) -> None:
        self.said.append(kwargs)
        if self.fail and kwargs.get("response_type") == "in_channel":
            raise ConnectionError("response_url refused")


HINT = messages.context("the hint that stays last")


def a_message(blocks: int) -> dict:
    """A message of ``blocks`` blocks, the last one a hint (as a caller builds it, uncapped)."""
    return {"text": "gist", "blocks": [messages.divider() for _ in range(blocks - 1)] + [HINT]}


# -- building them ----------------------------------------------------------------------------


def test_buttons_go_at_the_end_of_a_message_and_keep_its_text():
    button = scorecard_share_button(SDR, WEEK)
    message = with_actions(a_message(3), button)
    assert message["text"] == "gist" and len(message["blocks"]) == 4
    assert message["blocks"][-1]["type"] == "actions"
    assert message["blocks"][-1]["elements"] == [button]
    kept = with_actions(a_message(3), button, keep_last=True)
    assert [b["type"] for b in kept["blocks"]] == ["divider", "divider", "actions", "context"]
    assert with_actions({"text": "bare"}, button)["blocks"][0]["elements"] == [button]


@pytest.mark.parametrize("size", [49, 50, 60])
def test_buttons_keep_a_full_message_within_50_blocks_and_the_last_block_when_asked(size):
    button = scorecard_share_button(SDR, WEEK)
    plain = with_actions(a_message(size), button)
    assert len(plain["blocks"]) == MAX_MESSAGE_BLOCKS and plain["blocks"][-1]["type"] == "actions"
    kept = with_actions(a_message(size), button, keep_last=True)
    assert len(kept["blocks"]) == MAX_MESSAGE_BLOCKS
    assert kept["blocks"][-1] == HINT and kept["blocks"][-2]["type"] == "actions"
    assert_within_slack_limits(kept)


def test_a_scorecard_share_button_carries_the_rep_and_the_period():
    button = scorecard_share_button(SDR, WEEK)
    assert button["action_id"] == "share_scorecard"
    assert button["text"]["text"] == "Share to channel"
    value = json.loads(button["value"])
    assert value == {"rep": SDR, "period": "week:2026-11-23"}
    assert period_of_value(value["period"]) == WEEK


def test_a_leaderboard_share_button_carries_the_kpi_the_period_and_the_ranking():
    calls = default_process().kpi("calls")
    board = Leaderboard(WEEK, calls, "count", TUESDAY_11, "America/New_York", 0.25, False, [])
    button = leaderboard_share_button(board)
    assert button["action_id"] == "share_leaderboard"
    assert json.loads(button["value"]) == {
        "kpi": "calls",
        "period": "week:2026-11-23",
        "by": "count",
    }
    overall = Leaderboard(WEEK, None, "attainment", TUESDAY_11, "UTC", 0.25, False, [])
    assert json.loads(leaderboard_share_button(overall)["value"])["kpi"] is None


def test_a_digest_has_my_scorecard_for_its_period_and_log_activity():
    row = digest_buttons(period_containing("day", date(2026, 11, 26)))
    assert row["type"] == "actions" and row["block_id"] == "digest_buttons"
    mine, log = row["elements"]
    assert (mine["action_id"], mine["value"]) == ("digest_scorecard", "day:2026-11-26")
    assert mine["text"]["text"] == "My scorecard"
    assert (log["action_id"], log["style"]) == ("digest_log", "primary")
    assert log["text"]["text"] == "Log activity"


def test_an_action_item_button_carries_the_coaching_session():
    button = action_item_button(42)
    assert (button["action_id"], button["value"]) == ("coaching_add_action", "42")
    assert button["text"]["text"] == "Add action item"


# -- reading a press --------------------------------------------------------------------------


def test_a_period_value_reads_back_as_the_period_containing_its_day():
    assert period_of_value("day:2026-11-26") == Period(
        "day", date(2026, 11, 26), date(2026, 11, 26)
    )
    assert period_of_value("week:2026-11-25") == WEEK  # any day of it
    month = period_of_value(period_value(period_containing("month", date(2026, 2, 10))))
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize("stale", ["year:2026-11-23", "week:", "week:23/11/2026", "", None, 7])
def test_a_stale_period_value_is_refused(stale):
    with pytest.raises(Problem) as refused:
        period_of_value(stale)
    assert str(refused.value) == STALE


def test_a_json_value_is_read_and_a_stale_one_is_refused_with_a_problem(rig):
    done = pressed(rig, press_body('{"rep": "U0SDR0001"}'), json_value)
    assert done.reply == {"value": {"rep": SDR}}
    for stale in ("not json", "[1, 2]", '"text"', ""):
        done = pressed(rig, press_body(stale), json_value)
        assert (done.reply, done.problem) == (None, STALE), stale
        assert done.outcome == "refused:Problem"


def test_a_press_is_a_first_delivery_once_in_the_same_and_in_another_unit_of_work(rig):
    body = press_body("week:2026-11-23")
    done = pressed(rig, body, lambda ix: [first_delivery(ix), first_delivery(ix)])
    assert done.reply == {"value": [True, False]}
    assert pressed(rig, body, first_delivery).reply == {"value": False}  # Slack's retry
    again = press_body("week:2026-11-23", action_ts="1700000000.000300")  # another press
    assert pressed(rig, again, first_delivery).reply == {"value": True}


def test_a_press_refused_after_its_claim_can_be_delivered_again(rig):
    body = press_body("week:2026-11-23")

    def claimed_then_refused(ix) -> None:
        assert first_delivery(ix)
        raise Problem("Not now.")

    assert pressed(rig, body, claimed_then_refused).problem == "Not now."
    assert pressed(rig, body, first_delivery).reply == {"value": True}  # the claim rolled back


# -- posting where the button was -------------------------------------------------------------


def scorecard() -> dict:
    return messages.message("Scorecard: 40 calls", messages.section("*Scorecard* · 40 calls"))


def test_a_share_is_posted_in_channel_through_the_response_url_after_the_ack(rig):
    respond = Responses()
    body = press_body(channel={"id": HERE}, response_url="https://hooks.slack.invalid/r/1")
    done = pressed(rig, body, lambda ix: post_here(ix, "scorecard", scorecard), respond)
    assert respond.said == [] and len(done.follow_ups) == 1  # nothing before the ack
    done.follow_ups[0]()
    assert respond.said == [
        {
            "text": "Scorecard: 40 calls",
            "blocks": scorecard()["blocks"],
            "response_type": "in_channel",
            "replace_original": False,
        }
    ]
    assert rig.slack.calls_to("chat.postMessage") == []


def test_without_a_response_url_a_share_is_posted_in_the_buttons_channel(rig):
    body = press_body(container={"type": "message", "channel_id": HERE})
    done = pressed(rig, body, lambda ix: post_here(ix, "scorecard", scorecard), Responses())
    done.follow_ups[0]()
    [post] = rig.slack.calls_to("chat.postMessage")
    assert post.params["channel"] == HERE and post.params["text"] == "Scorecard: 40 calls"


def test_a_share_needs_a_channel_or_a_response_url(rig):
    done = pressed(rig, press_body(), lambda ix: post_here(ix, "scorecard", scorecard))
    assert done.problem == (
        "Slack didn't say where this scorecard was shown, so nothing was posted."
    )
    assert done.follow_ups == []
    with_url = press_body(response_url="https://hooks.slack.invalid/r/2")
    done = pressed(rig, with_url, lambda ix: post_here(ix, "leaderboard", scorecard))
    assert done.problem == (  # a response_url with no way to use it is no place either
        "Slack didn't say where this leaderboard was shown, so nothing was posted."
    )


def test_a_share_slack_refuses_is_answered_privately(rig, caplog):
    respond = Responses()
    rig.slack.fail_next(
        "chat.postMessage", status=200, body={"ok": False, "error": "not_in_channel"}
    )
    body = press_body(channel={"id": HERE})
    done = pressed(rig, body, lambda ix: post_here(ix, "scorecard", scorecard), respond)
    with caplog.at_level(logging.WARNING, logger="pacer.requests"):
        done.follow_ups[0]()
    assert respond.said == [
        {
            "text": "Pacer couldn't post the scorecard here (not_in_channel). Nothing was shared.",
            "response_type": "ephemeral",
            "replace_original": False,
        }
    ]
    assert "share of a scorecard failed: not_in_channel" in caplog.text
    refused = Responses(fail=True)
    body = press_body(channel={"id": HERE}, response_url="https://hooks.slack.invalid/r/3")
    done = pressed(rig, body, lambda ix: post_here(ix, "scorecard", scorecard), refused)
    done.follow_ups[0]()
    assert refused.said[-1]["text"] == (
        "Pacer couldn't post the scorecard here (ConnectionError). Nothing was shared."
    )
