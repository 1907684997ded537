"""bot/scorecard/message.py: a rep's scorecard as a Slack message: how much of the period has
gone (or that it is complete, or a day off), each KPI against its goal, within Slack's limits,
and a plain-text summary for notifications.

The SDR logs 40 calls on Tuesday 24 Nov 2026 at 11:00 in New York (the default process: calls
60 a day, Mon–Fri 09:00–17:00)."""

from datetime import datetime

import pytest

from bot.scorecard.message import scorecard_message
from rituals.scorecard import build_scorecard, period_for
from rituals.teams import team_process
from storage import people_queries
from tests.bot.support import SDR, TUESDAY_11, assert_within_slack_limits

HINT = "/scorecard calls"
SUNDAY_NOON = datetime.fromisoformat("2026-11-22T12:00:00-05:00")
NEXT_MONDAY = datetime.fromisoformat("2026-11-30T10:00:00-05:00")


@pytest.fixture
def rig(rig):
    rig.team()
    rig.text("/log", "calls 40", SDR)
    return rig


def card(rig, kind: str, now: datetime, offset: int = 0):
    """The SDR's scorecard for the period of ``kind`` around ``now`` (``offset`` back)."""
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        rep = people_queries.get_member(session, team.workspace_id, SDR)
        process, _ = team_process(session, team.id)
        period = period_for(process, kind, now, offset)
        return build_scorecard(session, team.workspace_id, process, rep, period, now)


def text_of(message: dict) -> str:
    sections = [b["text"]["text"] for b in message["blocks"] if b.get("text")]
    context = [e["text"] for b in message["blocks"] for e in b.get("elements", [])]
    return "\n".join(sections + context)


def test_a_current_period_says_how_much_of_its_working_time_has_gone(rig):
    message = scorecard_message(card(rig, "week", TUESDAY_11), HINT)
    assert_within_slack_limits(message)
    text = text_of(message)
    assert f"*Scorecard* · <@{SDR}> · Sales Development Rep" in text
    assert "*Week:* " in text
    # Thanksgiving week: 10 of its 32 working hours, a goal of 4 × 60 (Thursday is a holiday)
    assert "31% of the week's working time elapsed at Tue 24 Nov 11:00 America/New_York" in text
    assert "40 of 240 (16%) · pace 53% · projected 128 — *behind*" in text
    assert f"`{HINT}` shows the logs behind a number." in text
    assert "period complete" not in text


def test_a_past_period_is_complete_and_shows_final_and_hit_or_missed_not_pace(rig):
    message = scorecard_message(card(rig, "week", NEXT_MONDAY, offset=-1), HINT)
    assert_within_slack_limits(message)
    text = text_of(message)
    assert "period complete" in text and "elapsed" not in text.split("\n")[1]
    # Issue 12: a finished week read "40 of 300 (13%) — *behind*": pace, for a week that is over.
    assert "40 of 240 (16%) · final — *missed*" in text
    assert "0 of 8 (0%) · final — *missed*" in text  # meetings, 8 a week
    # SAO (6 a month) is shown for November up to the end of that week: November isn't over
    assert "month 0 of 6 (0%) · pace 0% · projected 0 — *behind*" in text
    assert text.count("· pace") == 1


def test_a_goal_met_in_a_finished_period_is_hit(rig):
    rig.now = TUESDAY_11
    rig.text("/log", "calls 200", SDR)  # 240 of Thanksgiving week's 240 (4 days × 60)
    text = text_of(scorecard_message(card(rig, "week", NEXT_MONDAY, offset=-1), HINT))
    assert (
        ":large_green_circle: *Calls / Emails* · leading\n240 of 240 (100%) · final — *hit*" in text
    )


def test_a_monday_morning_reads_early_not_a_pace_of_hundreds_of_percent(rig):
    monday_0930 = datetime.fromisoformat("2026-11-30T09:30:00-05:00")
    rig.now = monday_0930
    rig.text("/log", "calls 14", SDR)
    text = text_of(scorecard_message(card(rig, "week", monday_0930), HINT))
    # Issue 12: 14 calls at 09:30 on a Monday read "pace 1120% · projected 1120 — on pace"
    assert ":white_circle: *Calls / Emails* · leading\n14 of 300 (4%) · pace early\n" in text
    assert "projected" not in text.split("Conversations")[0]  # early: no projection either
    # December 1st is tomorrow: SAO shows November, whose pace is well under way
    assert "month 0 of 6 (0%) · pace 0%" in text


def test_a_day_off_says_so_and_sets_no_goal(rig):
    text = text_of(scorecard_message(card(rig, "day", SUNDAY_NOON), HINT))
    assert "a day off: no goals today, and anything logged still counts" in text
    assert "no goal on a day off" in text


def test_the_plain_text_sums_up_every_kpi(rig):
    message = scorecard_message(card(rig, "week", TUESDAY_11), HINT)
    assert message["text"].startswith("Scorecard (")
    summary = message["text"].split(": ", 1)[1]
    assert summary.split("; ")[0].startswith("Calls / Emails 40/240 ")
    assert len(summary.split("; ")) == 4  # the SDR's 3 leading + 1 lagging KPIs
    assert "*" not in message["text"] and "<@" not in message["text"]
