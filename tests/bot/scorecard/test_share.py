"""bot/scorecard/share.py: "Share to channel" on a private scorecard and "My scorecard" on a
digest, pressed through signed block_actions payloads against the local Slack stand-in (its
response_urls record what a press answers), each with its refusal."""

import json

import pytest

from tests.bot.button_support import (
    NOBODY,
    SALES,
    THURSDAY_1745,
    buttons,
    channel_rig,
    digest_post,
    posted_in_channel,
    press,
    text_of,
)
from tests.bot.support import AE, MGR, SDR, assert_within_slack_limits


@pytest.fixture
def rig(tmp_path):
    yield from channel_rig(tmp_path)


def test_sharing_your_scorecard_posts_it_where_you_asked_once_per_press(rig):
    reply = rig.run("/scorecard", "", SDR)
    button = buttons(reply)["share_scorecard"]
    assert button["text"]["text"] == "Share to channel"
    answers = press(rig, SDR, "share_scorecard", button["value"], times=2)
    [shared] = posted_in_channel(answers)  # one post, though Slack delivered the press twice
    assert shared["replace_original"] is False and len(answers) == 1
    assert_within_slack_limits(shared)
    text = text_of(shared)
    assert f"*Scorecard* · <@{SDR}>" in text and "40 of 240" in text
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


# -- "My scorecard" on a digest ---------------------------------------------------------------


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
