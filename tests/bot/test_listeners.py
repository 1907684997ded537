"""The Bolt app through `app.dispatch` with signed requests (DESIGN.md §7, level 2): behaviours
that need many requests or a particular clock, faster than through HTTP."""

import json
from datetime import datetime

from sqlmodel import select

from rituals.process import default_process
from rituals.teams import store_process
from storage import people_queries
from storage.models import ActivityLog
from tests.bot.support import ADMIN, AE, MGR, SDR


def test_long_notes_and_many_logs_stay_inside_slack_limits(rig):
    rig.team()
    for i in range(45):
        rig.text("/log", f'call 1 "{"R&D <x> " * 60}{i}"', SDR)
    basis = rig.text("/scorecard", "calls", SDR)
    assert "*45* counted from 45 logs" in basis


def test_a_300_rep_roster_stays_inside_slack_limits(rig):
    for i in range(300):
        rig.run("/pacer", f"team add <@U{i:08d}> sdr", ADMIN)
    roster = rig.text("/pacer", "team", ADMIN)
    assert "300 people" in roster


def test_removed_manager_added_back_is_not_a_manager(rig):
    rig.team()
    assert "is off the team" in rig.text("/pacer", f"team remove <@{MGR}>", ADMIN)
    rig.text("/pacer", f"team add <@{MGR}> sdr", ADMIN)
    assert "Only the team's managers" in rig.text("/pacer", "team add <@U0NEW0001> sdr", MGR)


def test_manager_off_and_admin_promotion(rig):
    rig.team()
    assert "no longer a manager" in rig.text("/pacer", f"manager <@{MGR}> off", ADMIN)
    assert "Only the team's managers" in rig.text("/pacer", "goal sdr calls 5/day", MGR)
    assert "is now a Pacer admin" in rig.text("/pacer", f"admin <@{MGR}>", ADMIN)
    assert "Goal set" in rig.text("/pacer", "goal sdr calls 5/day", MGR)
    assert "already a Pacer admin" in rig.text("/pacer", f"admin <@{MGR}>", ADMIN)


def test_a_rep_in_another_timezone_sees_their_own_day(rig):
    rig.slack.add_user(SDR, "Kenji", tz="Asia/Tokyo")  # Slack says where the rep is
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-22T19:00:00-05:00")  # Sunday evening in New York
    reply = rig.text("/log", "call 10", SDR)  # ...Monday 09:00 in Tokyo
    assert "today, Mon 23 Nov" in reply and "today 10 of 60" in reply
    assert "Mon 23 – Sun 29 Nov" in rig.text("/scorecard", "", SDR)
    assert "Asia/Tokyo" in rig.text("/scorecard", "", SDR)


def test_crediting_does_not_reveal_a_private_scorecard(rig):
    rig.team()
    rig.text("/pacer", "visibility managers", MGR)
    reply = rig.text("/log", f"<@{SDR}> sao 1", AE)
    assert "Logged *1 Sales Accepted Opportunities*" in reply
    assert "this week" not in reply
    assert "this week" in rig.text("/log", f"<@{SDR}> calls 3", MGR)


def test_a_role_dropped_from_the_process_gets_a_clear_answer(rig):
    rig.team()
    data = default_process().to_dict()
    data["roles"][0]["key"] = "bdr"
    from rituals.process import load_process_dict

    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        store_process(
            session,
            load_process_dict(data),
            team=team,
            loaded_by="test",
            change="rename",
            now=rig.now,
        )
    for command, text in (("/log", "call 3"), ("/scorecard", "")):
        assert "role `sdr` is no longer in the team's process" in rig.text(command, text, SDR)
    assert "a role no longer in the process" in rig.text("/pacer", "team", ADMIN)


def test_a_sunday_scorecard_says_day_off(rig):
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-22T12:00:00-05:00")
    card = rig.text("/scorecard", "day", SDR)
    assert "a day off" in card and "no goal on a day off" in card


def test_a_friday_evening_week_is_not_over(rig):
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-27T18:00:00-05:00")
    card = rig.text("/scorecard", "", SDR)
    assert "period complete" not in card and "pace" in card


def test_goal_for_a_kpi_off_the_reps_scorecard_is_refused(rig):
    rig.team()
    assert "isn't a KPI on the Sales Development Rep scorecard" in rig.text(
        "/pacer", f"goal <@{SDR}> deals 5/month", MGR
    )
    assert "has no goal of their own" in rig.text("/pacer", f"goal <@{SDR}> calls reset", MGR)
    assert "/pacer goal sdr" in rig.text("/pacer", "goal sdr calls <!channel>", MGR)
    assert "<!channel>" not in json.dumps(rig.run("/pacer", "goal sdr calls <!channel>", MGR))


def test_a_past_week_keeps_the_goals_it_had(rig):
    rig.team()
    rig.text("/log", "call 30", SDR)
    rig.now = datetime.fromisoformat("2026-11-30T10:00:00-05:00")  # the next Monday
    rig.text("/pacer", "goal sdr calls 50/day", MGR)
    assert "30 of 300 (10%)" in rig.text("/scorecard", "last-week", SDR)  # 60/day then
    assert "of 250" in rig.text("/scorecard", "", SDR)  # 50/day from now on


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


def test_a_note_is_stored_as_typed_though_slack_sends_entities(rig):
    rig.team()
    # Slack escapes &, < and > in command text: the rep typed `calls 3 "R&D <team>"`.
    reply = rig.text("/log", 'calls 3 "R&amp;D &lt;team&gt;"', SDR)
    assert "R&amp;D &lt;team&gt;" in reply and "&amp;amp;" not in reply  # escaped once
    with rig.services.unit_of_work() as session:
        notes = session.exec(select(ActivityLog.note).where(ActivityLog.rep_id == SDR)).all()
    assert notes == ["R&D <team>"]
    basis = rig.text("/scorecard", "calls", SDR)
    assert "R&amp;D &lt;team&gt;" in basis and "&amp;amp;" not in basis
