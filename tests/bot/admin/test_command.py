"""bot/admin/command.py: /pacer through signed requests: a big roster within Slack's limits,
managers and admins, goals refused, and the ritual schedule and a rep's own nudges."""

import json

from tests.bot.support import ADMIN, MGR, SDR


def test_a_300_rep_roster_stays_inside_slack_limits(rig):
    for i in range(300):
        rig.run("/pacer", f"team add <@U{i:08d}> sdr", ADMIN)
    roster = rig.text("/pacer", "team", ADMIN)
    assert "300 people" in roster


def test_removed_manager_added_back_is_not_a_manager(rig):
    rig.team()
    assert "they're off the team" in rig.text("/pacer", f"team remove <@{MGR}> on yesterday", ADMIN)
    rig.text("/pacer", f"team add <@{MGR}> sdr", ADMIN)
    assert "Only the team's managers" in rig.text("/pacer", "team add <@U0NEW0001> sdr", MGR)


def test_manager_off_and_admin_promotion(rig):
    rig.team()
    assert "no longer a manager" in rig.text("/pacer", f"manager <@{MGR}> off", ADMIN)
    assert "Only the team's managers" in rig.text("/pacer", "goal sdr calls 5/day", MGR)
    assert "is now a Pacer admin" in rig.text("/pacer", f"admin <@{MGR}>", ADMIN)
    assert "Goal set" in rig.text("/pacer", "goal sdr calls 5/day", MGR)
    assert "already a Pacer admin" in rig.text("/pacer", f"admin <@{MGR}>", ADMIN)


def test_goal_for_a_kpi_off_the_reps_scorecard_is_refused(rig):
    rig.team()
    assert "isn't a KPI on the Sales Development Rep scorecard" in rig.text(
        "/pacer", f"goal <@{SDR}> deals 5/month", MGR
    )
    assert "has no goal of their own" in rig.text("/pacer", f"goal <@{SDR}> calls reset", MGR)
    assert "/pacer goal sdr" in rig.text("/pacer", "goal sdr calls <!channel>", MGR)
    assert "<!channel>" not in json.dumps(rig.run("/pacer", "goal sdr calls <!channel>", MGR))


def test_ritual_schedule_and_nudges_commands(rig):
    rig.team()
    shown = rig.text("/pacer", "ritual", SDR)
    assert "daily 17:30" in shown and "nudges 15:00" in shown
    assert "Only the team's managers" in rig.text("/pacer", "ritual daily 16:00", SDR)
    changed = rig.text("/pacer", "ritual daily 16:00", MGR)
    assert "daily 16:00" in changed and "process version 1" in changed
    assert "weekly Fri 16:30" in rig.text("/pacer", "ritual weekly fri 16:30", MGR)
    assert "leaderboards 11:00 (calls)" in rig.text(
        "/pacer", "ritual leaderboards 11:00 calls", MGR
    )
    assert "nudges off" in rig.text("/pacer", "ritual nudges off", MGR)
    bad = rig.text("/pacer", "ritual leaderboards 11:00 dials", MGR)
    assert "nothing changed" in bad and "calls" in bad
    assert "Reminders are off" in rig.text("/pacer", "nudges off", SDR)
    assert "Your reminders are off" in rig.text("/pacer", "nudges", SDR)
    assert "not a rep on a team" in rig.text("/pacer", "nudges off", MGR)
