"""bot/leaderboard/command.py: /leaderboard through signed requests, privately and posted to the
channel by a manager (names, not mentions: nobody is pinged)."""

from tests.bot.support import ADMIN, MGR, SDR


def test_leaderboard_privately_and_posted_by_a_manager(rig):
    rig.team()
    rig.text("/pacer", "team add <@U0SDR0002> sdr", ADMIN)
    rig.text("/pacer", "channel <#C0SALES01|sales>", ADMIN)
    rig.text("/log", "calls 40", SDR)
    rig.text("/log", "calls 40", "U0SDR0002")
    board = rig.text("/leaderboard", "calls", SDR)
    assert "Leaderboard · Calls / Emails" in board and "(so far)" in board
    assert "1. " in board and "2. " not in board  # a tie shares first place
    assert "← you" in board
    assert "Counts rank one KPI" in rig.text("/leaderboard", "count", SDR)
    assert "I don't understand `fortnight`" in rig.text("/leaderboard", "fortnight", SDR)
    assert "Only the team's managers" in rig.text("/leaderboard", "calls post", SDR)
    assert "Posting" in rig.text("/leaderboard", "calls post", MGR)
    rig.services.background.shutdown(wait=True)
    posted = [
        c for c in rig.slack.calls_to("chat.postMessage") if c.params.get("channel") == "C0SALES01"
    ]
    assert len(posted) == 1 and "Leaderboard" in posted[0].params["text"]
    assert "<@" not in str(posted[0].params["blocks"])  # names, not mentions: nobody is pinged
    last = rig.text("/leaderboard", "calls last-week", SDR)
    assert "Mon 16 – Sun 22 Nov 2026" in last and "(so far)" not in last
