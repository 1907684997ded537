"""A rep away for the whole period (`/away`, so ``RepResult.absent == "away"``) is shown as
"— Name · away" after the ranked reps, never ranked last, left out of the tops, and not counted
among those who logged nothing."""

from datetime import datetime

import pytest

from tests.bot.delivery.support import channel_posts, run
from tests.bot.support import ADMIN, MGR, SDR

SAM = "U0SDR0002"
WEDNESDAY_1745 = datetime.fromisoformat("2026-11-25T17:45:00-05:00")


@pytest.fixture
def sam(rig):
    rig.slack.add_user(SAM, "Sam Okafor")
    rig.text("/pacer", f"team add <@{SAM}> sdr", ADMIN)
    return rig


def _texts(calls) -> str:
    return "\n".join(b["text"]["text"] for c in calls for b in c.params["blocks"] if b.get("text"))


def test_the_daily_digest_shows_an_away_rep_as_away_and_does_not_count_them(sam):
    rig = sam
    assert "Away *Wed 25 Nov 2026*" in rig.text("/away", "2026-11-25", SAM)
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    rig.text("/log", "calls 30", SDR)
    assert run(rig, "daily", WEDNESDAY_1745).status == "posted"
    posts = channel_posts(rig.slack)
    main = _texts([c for c in posts if "thread_ts" not in c.params])
    # Alex (AE) logged nothing; Sam is away: 1 of 2, not 2 of 3
    assert "Nothing logged yet today: 1 of 2 reps (1 away today)." in main
    assert "Sam" not in main.split("Nothing logged")[0]  # not in the top of any ranking
    thread = _texts([c for c in posts if "thread_ts" in c.params])
    calls = thread.split("*Calls / Emails · today's ranking by attainment*")[1]
    assert "1. Maria Lopez — 50% (30 of 60)\n— Sam Okafor · away\n" in calls
    assert "2. Sam" not in thread
    assert "*Away today*\nSam Okafor" in thread
    assert "*Nothing logged today*\nAlex Chen\n" in thread


def test_leaderboards_list_an_away_rep_after_the_ranked_ones(sam):
    rig = sam
    rig.text("/away", "2026-11-25", SAM)
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    rig.text("/log", "calls 30", SDR)
    board = rig.text("/leaderboard", "calls day", SDR)
    assert "1. Maria Lopez — 50% (30 of 60) ← you" in board.replace("*", "")
    assert board.rstrip().endswith("— Sam Okafor · away")
    by_count = rig.text("/leaderboard", "calls day count", SDR)
    assert "— Sam Okafor · away" in by_count and "2. Sam" not in by_count


def test_the_weekly_top_leaves_an_away_rep_out(sam):
    rig = sam
    rig.text("/away", f"<@{SAM}> 2026-11-16 2026-11-20", MGR)  # a manager, for past days
    rig.now = datetime.fromisoformat("2026-11-20T16:00:00-05:00")
    rig.text("/log", "calls 300 conversations 60 meetings 8", SDR)
    rig.text("/log", "calls 10", SAM)  # on the team that week
    assert (
        run(rig, "weekly", datetime.fromisoformat("2026-11-23T09:00:00-05:00")).status == "posted"
    )
    posts = channel_posts(rig.slack)
    main = _texts([c for c in posts if "thread_ts" not in c.params])
    top = main.split("*Top of the week*")[1].splitlines()[0]
    assert "Maria Lopez" in top and "Sam" not in top
    thread = _texts([c for c in posts if "thread_ts" in c.params])
    assert "— Sam Okafor · away" in thread.split("*Every rep against goal*")[0]
