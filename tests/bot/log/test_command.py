"""bot/log/command.py: /log through signed requests (DESIGN.md §7, level 2): each rep's own day
and timezone, what a credit may show, a role dropped from the process, notes as typed."""

from datetime import datetime

import pytest
from sqlmodel import select

from rituals.process import default_process, load_process_dict
from rituals.teams import store_process
from storage import people_queries
from storage.models import ActivityLog
from tests.bot.support import ADMIN, AE, MGR, SDR
from tests.bot.timezone_support import LA, NEW_YORK_TZ, NY, at, line_of, timezone_rig


@pytest.fixture
def spread_team(tmp_path):
    """Reps in Tokyo (SDR), Los Angeles (LA) and New York (NY)."""
    yield from timezone_rig(tmp_path)


def test_a_rep_in_another_timezone_sees_their_own_day(rig):
    rig.slack.add_user(SDR, "Kenji", tz="Asia/Tokyo")  # Slack says where the rep is
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-22T19:00:00-05:00")  # Sunday evening in New York
    reply = rig.text("/log", "call 10", SDR)  # ...Monday 09:00 in Tokyo
    assert "today, Mon 23 Nov" in reply and "today 10 of 60" in reply
    assert "Mon 23 – Sun 29 Nov" in rig.text("/scorecard", "", SDR)
    assert "Asia/Tokyo" in rig.text("/scorecard", "", SDR)


def test_logs_and_scorecards_count_on_each_reps_own_day_around_midnight(spread_team):
    rig = spread_team
    # The week before Thanksgiving (Thu 26 Nov 2026 is a holiday with no goal for the day).
    rig.now = at("2026-11-18T23:30:00-05:00")  # Wed 23:30 in New York
    # Thu 13:30 in Tokyo, Wed 20:30 in Los Angeles.
    assert "today, Thu 19 Nov" in rig.text("/log", "calls 10", SDR)
    assert "today, Wed 18 Nov" in rig.text("/log", "calls 7", LA)
    assert "today, Wed 18 Nov" in rig.text("/log", "calls 3", NY)
    rig.now = at("2026-11-19T00:30:00-05:00")  # past midnight in New York, not in LA
    assert "today, Wed 18 Nov" in rig.text("/log", "calls 5", LA)
    assert "today, Thu 19 Nov" in rig.text("/log", "calls 4", NY)
    assert "Wed 18 Nov" in rig.text("/log", "calls 2 yesterday", SDR)  # Tokyo's yesterday
    with rig.services.unit_of_work() as session:
        days = {
            (row.rep_id, row.count): row.occurred_on.isoformat()
            for row in session.exec(select(ActivityLog))
        }
    assert days == {
        (SDR, 10): "2026-11-19",
        (LA, 7): "2026-11-18",
        (NY, 3): "2026-11-18",
        (LA, 5): "2026-11-18",
        (NY, 4): "2026-11-19",
        (SDR, 2): "2026-11-18",
    }
    # Each scorecard's "today" is the rep's own day, in their own timezone.
    tokyo = rig.text("/scorecard", "day", SDR)
    assert "Thu 19 Nov" in tokyo and "Asia/Tokyo" in tokyo
    assert "10 of 60" in line_of(tokyo, "of 60")
    la = rig.text("/scorecard", "day", LA)
    assert "Wed 18 Nov" in la and "America/Los_Angeles" in la and "12 of 60" in la
    ny = rig.text("/scorecard", "day", NY)
    assert "Thu 19 Nov" in ny and NEW_YORK_TZ in ny and "4 of 60" in ny
    # A manager looking at a rep sees the rep's day, not their own.
    assert "Wed 18 Nov" in rig.text("/scorecard", f"<@{LA}> day", MGR)


def test_crediting_does_not_reveal_a_private_scorecard(rig):
    rig.team()
    rig.text("/pacer", "visibility managers", MGR)
    reply = rig.text("/log", f"<@{SDR}> sao 1", AE)
    assert "Logged *1 Sales Accepted Opportunities*" in reply
    assert "this week" not in reply and "this month" not in reply
    assert "this week" in rig.text("/log", f"<@{SDR}> calls 3", MGR)


def test_the_reply_shows_each_goal_at_its_own_scale(rig):
    """Issue 12: a deal logged on Tuesday read "this week 1 of 0.95 (105%), pace 466%"."""
    rig.team()
    # 4 a month; 15.25 of November's 19 working days gone (Veterans Day, Thanksgiving are off)
    deal = rig.text("/log", "deal 1", AE)
    assert "*Deals Closed* · today 1 · this month 1 of 4 (25%), pace 31% — behind" in deal
    # 8 a week, over Thanksgiving week's 4 working days, 1.25 of them gone: no day's share shown
    meetings = rig.text("/log", "meetings 2", SDR)
    assert (
        "*Discovery Meetings Scheduled* · today 2 · this week 2 of 8 (25%), pace 80% — at risk"
        in meetings
    )
    calls = rig.text("/log", "calls 12", SDR)  # 60 a day: judged on the day too
    assert (
        "*Calls / Emails* · today 12 of 60 · this week 12 of 240 (5%), pace 16% — behind" in calls
    )


def test_a_monday_morning_reply_reads_early(rig):
    rig.team()
    rig.now = datetime.fromisoformat("2026-11-30T09:30:00-05:00")
    reply = rig.text("/log", "calls 14", SDR)
    # Issue 12: it read "pace 1120% — on pace" half an hour into the week
    assert reply.endswith(
        ":white_circle: *Calls / Emails* · today 14 of 60 · this week 14 of 300 (4%), pace early"
    )


def test_a_role_dropped_from_the_process_gets_a_clear_answer(rig):
    rig.team()
    data = default_process().to_dict()
    data["roles"][0]["key"] = "bdr"

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
