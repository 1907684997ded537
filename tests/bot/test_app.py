"""bot/app.py: every slash command the app registers answers `help` (and `?`) with its own forms,
within Slack's limits, with a plain notification text."""

import pytest

from tests.bot.support import MGR, assert_within_slack_limits
from tests.bot.timezone_support import NY, timezone_rig


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


@pytest.mark.parametrize(
    ("command", "forms"),
    [
        (
            "/pacer",
            ["`/pacer team add @user sdr`", "`/log call 12`", "`/pacer nudges off`", "`/log help`"],
        ),
        (
            "/log",
            ["`/log calls 12`", "`/log 12 calls`", "`/log calls 12 yesterday`", "`/log undo`"],
        ),
        ("/scorecard", ["`/scorecard @rep`", "`/scorecard @rep month`", "`/scorecard calls`"]),
        ("/leaderboard", ["`/leaderboard calls`", "`/leaderboard calls count`", "post"]),
        (
            "/contest",
            ['`/contest start race calls 3d "Call Blitz"`', "`/contest standings [name]`"],
        ),
        ("/coach", ["`/coach @rep`", "`/coach @rep history`", "action:"]),
    ],
)
def test_each_command_answers_help_with_its_own_forms(rig, command, forms):
    for word in ("help", "?"):
        reply = rig.run(command, word, MGR if command == "/coach" else NY)
        assert_within_slack_limits(reply)
        text = "\n".join(b["text"]["text"] for b in reply["blocks"] if b.get("text"))
        assert not text.startswith(":warning:")
        for form in forms:
            assert form in text, (command, form, text)
        assert reply["text"] and "`" not in reply["text"] and "*" not in reply["text"]
