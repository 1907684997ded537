"""bot/scorecard/team_view.py through signed requests: who sees the team view and when, its
periods, a player-coach's own card with the hint, an admin naming one of several teams, and a
specific reply for every mistake (that changes nothing)."""

import json
from datetime import date, datetime

import pytest

from storage import people_queries
from storage.models import Member, SalesTeam, TimeOff
from tests.bot.button_support import buttons, channel_rig, posted_in_channel, press, text_of
from tests.bot.support import ADMIN, AE, MGR, SDR, assert_within_slack_limits

SDR2 = "U0SDR0002"


def team_of_three(rig) -> None:
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/log", "call 30", SDR)
    rig.text("/log", "call 50", SDR2)
    rig.text("/log", "held 2", AE)


def test_a_managers_scorecard_is_the_team_view(rig):
    team_of_three(rig)
    text = rig.text("/scorecard", "", MGR)
    assert "*Team scorecard* · Sales · 3 reps" in text and "*Week:* Mon 23 – Sun 29 Nov" in text
    assert "*Calls / Emails* 80 of 480 (16%)" in text  # 2 SDRs × 60 a day × 4 working days
    assert "*Discovery Meetings Held* 2 of 12 (16%)" in text  # 1 AE × 3 a day × 4 days
    assert "you're not on a sales team" not in text


def test_team_month_and_last_week(rig):
    team_of_three(rig)
    month = rig.text("/scorecard", "team month", MGR)
    assert "*Month:* November 2026" in month and "*Calls / Emails* 80 of 2,280" in month
    last = rig.text("/scorecard", "team last week", MGR)
    assert "*Week:* Mon 16 – Sun 22 Nov 2026 · period complete" in last and "final" in last
    assert "November 2026" in rig.text("/scorecard", "month", MGR)  # plain, with a period


def test_a_player_coach_sees_their_own_card_with_a_hint(rig):
    team_of_three(rig)
    rig.text("/pacer", f"manager <@{SDR}>", ADMIN)
    own = rig.text("/scorecard", "", SDR)
    assert "*Scorecard* · <@U0SDR0001>" in own and "Team scorecard" not in own
    message = rig.run("/scorecard", "", SDR)
    hints = [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert any("`/scorecard team` shows everyone" in h for h in hints)
    assert "*Team scorecard*" in rig.text("/scorecard", "team", SDR)
    assert "`/scorecard team`" not in str(rig.run("/scorecard", "", SDR2)["blocks"][-2:])


def test_reps_see_it_only_when_scorecards_are_public(rig):
    team_of_three(rig)
    assert "*Team scorecard*" in rig.text("/scorecard", "team", SDR)  # public by default
    rig.text("/pacer", "visibility managers", MGR)
    refused = rig.text("/scorecard", "team", SDR)
    assert "keeps scorecards to managers and each rep" in refused
    assert "See your own with `/scorecard`" in refused and "Team scorecard" not in refused
    assert "*Scorecard* · <@U0SDR0001>" in rig.text("/scorecard", "", SDR)  # their own still
    assert "*Team scorecard*" in rig.text("/scorecard", "team", MGR)
    assert "*Team scorecard*" in rig.text("/scorecard", "team", ADMIN)  # admins, on no team


def test_mistakes_get_a_specific_reply(rig):
    team_of_three(rig)
    for text, words in [
        ("team fortnight", "I don't understand `fortnight` here. Try `/scorecard team`"),
        (f"team <@{SDR}>", "For one rep, leave out `team`: `/scorecard @rep`"),
        ("calls", "See a rep's: `/scorecard @rep calls`, or the team's: `/scorecard team`"),
    ]:
        reply = rig.text("/scorecard", text, MGR)
        assert words in reply, reply
    outsider = rig.text("/scorecard", "team", "U0NOBODY1")
    assert "You're not on a sales team in Pacer" in outsider and "`/pacer team add" in outsider


def add_team(rig, name: str, rep: str) -> None:
    with rig.services.unit_of_work() as session:
        sales = people_queries.teams(session)[0]
        other = SalesTeam(workspace_id=sales.workspace_id, name=name, created_at=rig.now)
        session.add(other)
        session.commit()
        session.add(
            Member(
                workspace_id=sales.workspace_id,
                team_id=other.id,
                user_id=rep,
                role="sdr",
                added_by=ADMIN,
                added_at=rig.now,
            )
        )
        session.commit()


def test_an_admin_names_one_of_several_teams(rig):
    team_of_three(rig)
    add_team(rig, "Enterprise", "U0ENTREP1")
    rig.text("/log", "call 7", "U0ENTREP1")
    asked = rig.text("/scorecard", "team", ADMIN)
    assert "This workspace has 2 teams: *Sales*, *Enterprise*" in asked
    assert "`/scorecard team Sales`" in asked
    enterprise = rig.text("/scorecard", "team ent month", ADMIN)
    assert "*Team scorecard* · Enterprise · 1 rep" in enterprise and "7 of 1,140" in enterprise
    assert "· Sales ·" in rig.text("/scorecard", "team last-week sales", ADMIN)
    assert "No team is called `Retail`" in rig.text("/scorecard", "team Retail", ADMIN)
    refused = rig.text("/scorecard", "team Enterprise", MGR)  # Sales's manager
    assert "not *Enterprise*'s: `/scorecard team`" in refused
    assert "· Sales ·" in rig.text("/scorecard", "team sales", MGR)


def test_a_past_week_keeps_the_goals_it_had(rig):
    team_of_three(rig)
    rig.now = datetime.fromisoformat("2026-11-30T10:00:00-05:00")  # the next Monday
    rig.text("/pacer", "goal sdr calls 50/day", MGR)
    last = rig.text("/scorecard", "team last-week", MGR)
    assert "*Calls / Emails* 80 of 480 (16%) · final" in last  # 60 a day, then
    assert "of 500 (" in rig.text("/scorecard", "team", MGR)  # 2 × 50 a day × 5 days now


@pytest.fixture
def channel(tmp_path):
    yield from channel_rig(tmp_path)


def test_sharing_the_team_view_posts_it_with_names_once_per_press(channel):
    reply = channel.run("/scorecard", "team", MGR)
    button = buttons(reply)["share_team_scorecard"]
    assert button["text"]["text"] == "Share to channel"
    answers = press(channel, MGR, "share_team_scorecard", button["value"], times=2)
    [shared] = posted_in_channel(answers)  # one post, though Slack delivered the press twice
    assert_within_slack_limits(shared)
    text = text_of(shared)
    assert "*Team scorecard* · Sales · 2 reps" in text and "1. Maria Lopez — *" in text
    assert f"<@{SDR}>" not in json.dumps(shared)  # names: sharing pings nobody
    assert f"Shared by <@{MGR}>." in text and "share_team_scorecard" not in json.dumps(shared)


def test_a_rep_can_share_it_only_while_scorecards_are_public(channel):
    button = buttons(channel.run("/scorecard", "team", SDR))["share_team_scorecard"]
    channel.text("/pacer", "visibility managers", MGR)
    answers = press(channel, SDR, "share_team_scorecard", button["value"])
    assert posted_in_channel(answers) == []
    assert "keeps scorecards to managers" in text_of(answers[0])
    stale = press(
        channel, MGR, "share_team_scorecard", '{"team": "x", "period": "week:2026-11-23"}'
    )
    assert posted_in_channel(stale) == [] and "`/scorecard team`" in text_of(stale[0])


def test_reps_away_or_not_started_yet_come_last_and_say_so(rig):
    team_of_three(rig)
    rig.text("/pacer", "team add <@U0NEWHIRE> sdr", ADMIN)
    with rig.services.unit_of_work() as session:
        workspace_id = people_queries.teams(session)[0].workspace_id
        hire = people_queries.get_member(session, workspace_id, "U0NEWHIRE")
        hire.started_on = date(2026, 12, 1)  # starts next week
        session.add(hire)
        for day in (23, 24, 25, 27):  # every working day of Thanksgiving week
            session.add(
                TimeOff(
                    workspace_id=workspace_id,
                    user_id=SDR2,
                    day=date(2026, 11, day),
                    entered_by=SDR2,
                    entered_at=rig.now,
                )
            )
        session.commit()
    text = rig.text("/scorecard", "team", MGR)
    sdrs = text.split("*Account Executive*")[0]
    rows = [line for line in sdrs.splitlines() if line[:2] in ("1.", "2.", "• ")]
    assert rows[0].startswith("1. u0sdr0001 — *")  # the one SDR with a goal this week
    assert rows[1] == "• u0newhire — not started yet"
    # Away all week, not all month: their monthly goal to date still shows, less the days away.
    assert rows[2] == "• u0sdr0002 — away · calls 50 · sao month 0 of 5 (0%)"
    assert "*Calls / Emails* 80 of 240 (33%)" in sdrs  # their calls count; only SDR1 has a goal
