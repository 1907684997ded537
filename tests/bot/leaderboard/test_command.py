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


def test_reps_shown_at_the_same_figure_share_a_rank_listed_by_name(rig):
    """Issue 12: 151 of 150 (100.7%) and 60 of 60 both read "100%" but ranked 1 and 2."""
    rig.slack.add_user(SDR, "Zoe Quinn")
    rig.slack.add_user("U0SDR0002", "Adam Berg")
    rig.slack.add_user("U0SDR0003", "Mia Chen")
    rig.team()
    for rep in ("U0SDR0002", "U0SDR0003"):
        rig.text("/pacer", f"team add <@{rep}> sdr", ADMIN)
    rig.text("/pacer", "goal <@U0SDR0002> calls 150/day", MGR)
    rig.text("/log", "calls 60", SDR)  # 100%
    rig.text("/log", "calls 151", "U0SDR0002")  # 100.67%: shown 100%
    rig.text("/log", "calls 59", "U0SDR0003")  # 98%
    board = rig.text("/leaderboard", "calls day", "U0SDR0003")
    assert (
        "1. Adam Berg — 100% (151 of 150)\n1. Zoe Quinn — 100% (60 of 60)\n"
        "*3. Mia Chen — 98% (59 of 60)* ← you"
    ) in board


def test_a_kpi_with_a_monthly_goal_ranks_on_the_month_so_far(rig):
    rig.team()
    rig.text("/pacer", "team add <@U0SDR0002> sdr", ADMIN)
    rig.text("/log", f"<@{SDR}> sao 2", MGR)
    board = rig.text("/leaderboard", "sao", SDR)  # this week's board: SAO is 6 a month
    assert "Leaderboard · Sales Accepted Opportunities · November 2026* (so far)" in board
    assert "— 33% (2 of 6)" in board and "— 0% (0 of 6)" in board
