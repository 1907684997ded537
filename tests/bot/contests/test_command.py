"""/contest against the local Slack stand-in, through signed requests: who may start, end, list
and see standings; every mistake's own reply (nothing stored); standings and results asked for
privately, with backdated and voided logs; ending early; an admin ending another team's
contest by name."""

import json

import pytest
from sqlmodel import select

from bot.contests.flow import launch
from rituals.contests import ContestSpec
from rituals.teams import team_process
from storage import people_queries
from storage.models import Contest, ContestEntrant, Member, SalesTeam
from tests.bot.contests.support import (
    SDR2,
    SDR3,
    at,
    contest_posts,
    posts_of,
    stored,
    tick,
)
from tests.bot.contests.support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, AE, MGR, SDR


def test_reps_cannot_start_or_end_but_can_list_and_see_standings(rig):
    for text in ('start race calls 3d "Mine"', "start"):
        assert "Only the team's managers and Pacer admins can start contests" in rig.text(
            "/contest", text, SDR
        )
    assert rig.slack.calls_to("views.open") == []
    rig.text("/contest", 'start race calls 3d "Theirs"', ADMIN)  # an admin may
    assert "Only the team's managers and Pacer admins can end contests" in rig.text(
        "/contest", "end", SDR
    )
    assert "*Theirs*" in rig.text("/contest", "", SDR)
    assert "Theirs* standings" in rig.text("/contest", "standings", AE)
    [contest] = stored(rig)
    assert contest.status == "running" and contest.ended_at is None


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ('start calls 3d "X"', "Say the kind first"),
        ('start sprint calls 3d "X"', "`sprint` isn't a kind of contest"),
        ('start race cals 3d "X"', "I don't know the KPI `cals`. Did you mean `calls`"),
        ('start race 3d "X"', "Which KPI?"),
        ('start race calls "X"', "How long?"),
        ('start race calls 3d 5 "X"', "A race has no target"),
        ('start target calls 1w "X"', "A target contest needs the number to reach"),
        ('start target meetings 1w 5 "X"', "`meetings` could mean `meetings_scheduled`"),
        (f'start teams calls 1w "X" <@{SDR}> <@{SDR2}>', "Teams need two or more groups"),
        (f'start teams calls 1w "X" <@{SDR}> vs <@{SDR}>', "is in two groups"),
        ('start race calls 3d "X" <@U0NOBODY1>', "isn't on the team"),
        (f'start race calls 3d "X" <@{AE}>', "without Calls / Emails on their scorecard"),
        ('start race calls 3d "' + "x" * 81 + '"', "The name is 81 characters long"),
        ('start race calls until 2026-11-20 "X"', "before it starts"),
        ('start race calls 3d "A" "B"', "Two quoted names"),
        ('start race calls 3d "Call Blitz', "A quote is left open"),
        ("start race calls conversations 3d", "One KPI per contest"),
        ("start race calls 99d", "a contest runs 1 to 60 working days"),
        ('start race calls 3d "X" prize', "What's the prize?"),
        ('start race calls 3d "X" average', "`average` scores team contests per rep"),
        ('start race calls 3d "X" @nobody', "I don't know who @nobody is"),
        ("start race calls until someday", "Until `someday`?"),
        ("start race calls 3d 1w", "Two windows?"),
        ("frobnicate", "`frobnicate` isn't something `/contest` does"),
        ("end", "No contest is running"),
        ("standings Nope", "No contest called `Nope`"),
    ],
)
def test_every_quick_form_mistake_gets_its_own_reply_and_stores_nothing(rig, text, reply):
    assert reply in rig.text("/contest", text, MGR)
    assert stored(rig) == [] and stored(rig, ContestEntrant) == []
    assert contest_posts(rig) == []


def test_a_name_already_running_and_today_after_hours_are_refused(rig):
    rig.text("/contest", 'start race calls 3d "Call Blitz"', MGR)
    assert "A contest called “Call Blitz” is already running" in rig.text(
        "/contest", 'start race calls 1w "call blitz"', MGR
    )
    rig.now = at("2026-11-24T17:30:00")
    assert "Working hours on Tue 24 Nov end at 17:00, which is past" in rig.text(
        "/contest", 'start race calls today "Late"', MGR
    )
    assert len(stored(rig)) == 1
    # `3d` after hours starts on the next working day: Wed, Fri (Thursday is Thanksgiving), Mon.
    assert "Wed 25 – Mon 30 Nov 2026" in rig.text("/contest", 'start race calls 3d "Later"', MGR)


def test_standings_of_one_of_several_and_names_escaped(rig):
    rig.text("/contest", 'start race calls 3d "R&D <!channel> Push"', MGR)
    rig.text("/contest", 'start race conversations 3d "Talk Fest"', MGR)
    several = rig.text("/contest", "standings", SDR)
    assert "2 contests are running" in several and "“Talk Fest”" in several
    assert "R&amp;D &lt;!channel&gt; Push" in several
    assert "Talk Fest* standings" in rig.text("/contest", "standings talk", SDR)
    assert "Did you mean “Talk Fest”" in rig.text("/contest", "standings Talk Fast", SDR)
    for post in contest_posts(rig):
        mrkdwn = [b for b in post["params"]["blocks"] if b.get("type") != "header"]
        assert "<!channel>" not in json.dumps(mrkdwn) and "<!channel>" not in post["params"]["text"]


def test_backdated_and_voided_logs_and_a_void_after_the_result(rig):
    rig.text("/contest", 'start race calls 2d "Two Days"', MGR)
    rig.now = at("2026-11-25T10:00:00")  # Wednesday
    rig.text("/log", "calls 7 yesterday", SDR2)  # backdated into the window: counts
    rig.text("/log", "calls 5 monday", SDR3)  # before the window: doesn't
    rig.text("/log", "calls 9", SDR3)
    rig.text("/log", "undo", SDR3)  # voided during the contest: doesn't count
    rig.text("/log", "calls 12", SDR)
    board = rig.text("/contest", "standings", SDR)
    assert "Maria Lopez — 12 ← you" in board and "Sam Ray — 7" in board
    assert "Kim Lee" not in board  # nothing counted for Kim
    tick(rig, "2026-11-25T19:00:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR}> wins *Two Days* with 12 Calls / Emails!" in result
    rig.now = at("2026-11-26T09:30:00")
    rig.text("/log", "undo", SDR)  # Maria's 12, voided after the result
    rig.text("/log", "calls 20 yesterday", SDR3)  # backdated into the window after the result
    shown = rig.text("/contest", "standings Two Days", SDR2)
    assert f"<@{SDR}> wins *Two Days* with 12 Calls / Emails!" in shown  # the result stands
    assert "Since the result: 1 log voided (−12 Calls / Emails, Maria Lopez)" in shown
    assert "1 log logged into the contest's days (+20 Calls / Emails, Kim Lee)" in shown
    assert "the result stands" in shown
    [contest] = stored(rig)
    assert json.loads(contest.result)["winners"] == [SDR]


def test_ending_early_posts_the_result_at_once_and_nothing_after(rig):
    rig.text("/contest", 'start race calls 3d "Short"', MGR)
    rig.text("/log", "calls 8", SDR)
    rig.now = at("2026-11-24T13:00:00")
    reply = rig.text("/contest", "end", MGR)
    assert "Ended *Short* now" in reply and f"<@{SDR}> wins *Short* with 8" in reply
    [result] = posts_of(rig, ":result")
    assert "Ended early by Morgan Boss at Tue 24 Nov at 13:00" in result
    assert "already ended" in rig.text("/contest", "end Short", MGR)
    rig.text("/log", "calls 50", SDR2)  # after the end: not counted
    tick(rig, "2026-11-25T11:30:00")
    tick(rig, "2026-11-26T19:00:00")
    assert len(contest_posts(rig)) == 2  # the start and the result, nothing since
    [contest] = stored(rig)
    assert contest.ended_by == MGR and json.loads(contest.result)["winners"] == [SDR]


def test_help_lists_every_form(rig):
    text = rig.text("/contest", "help", SDR)
    for form_text in ("`/contest start`", "race calls 3d", "target sets 1w 5", "vs @c @d"):
        assert form_text in text
    assert "`/contest end [name]`" in text
    assert "The result is settled two hours after the last day's working hours" in text


def test_an_admin_ends_another_teams_contest_by_name(rig):
    with rig.services.unit_of_work() as session:
        sales = people_queries.teams(session)[0]
        other = SalesTeam(workspace_id=sales.workspace_id, name="Enterprise", created_at=rig.now)
        session.add(other)
        session.commit()
        session.add(
            Member(
                workspace_id=sales.workspace_id,
                team_id=other.id,
                user_id="U0ENTREP1",
                role="sdr",
                added_by=ADMIN,
                added_at=rig.now,
            )
        )
        session.commit()
        process, _ = team_process(session, other.id)
        day = process.calendar.local_date(rig.now)
        launch(
            rig.services,
            session,
            team=other,
            process=process,
            spec=ContestSpec("Enterprise dials", "race", "calls", day, day),
            by=ADMIN,
            now=rig.now,
            source="command",
            start_key="test:enterprise",
        )
        other_id = other.id
    # A manager of Sales doesn't see it; an admin finds it by name and ends it.
    assert "No contest called" in rig.text("/contest", 'end "Enterprise dials"', MGR)
    assert "ended" in rig.text("/contest", 'end "Enterprise dials"', ADMIN).lower()
    with rig.services.unit_of_work() as session:
        (contest,) = session.exec(select(Contest).where(Contest.team_id == other_id)).all()
        assert contest.ended_by == ADMIN
