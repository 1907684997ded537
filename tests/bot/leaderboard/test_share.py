"""bot/leaderboard/share.py: "Share to channel" on a private leaderboard, pressed through a signed
block_actions payload: a manager shares it, a rep cannot."""

import json

import pytest

from tests.bot.button_support import buttons, channel_rig, posted_in_channel, press, text_of
from tests.bot.support import MGR, SDR, assert_within_slack_limits


@pytest.fixture
def rig(tmp_path):
    yield from channel_rig(tmp_path)


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
