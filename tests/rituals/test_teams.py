"""rituals/teams.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): who
is asking and what applies to them, and process versions (also when two changes race)."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from rituals import teams
from rituals.process import Goal
from storage import people_queries
from storage.models import Workspace
from storage.unit_of_work import unit_of_work
from tests.rituals.activity_support import (
    MANAGER,
    OUTSIDER,
    REP,
    actor_for,
    add_people,
    build,
    lines,
    log,
)
from tests.storage.support import NOW, add_member, run_at_once


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)


def test_resolve_actor_finds_the_member_and_team(session, ws, team, people):
    rep = actor_for(session, REP)
    assert (rep.workspace_id, rep.team.id, rep.role, rep.is_manager) == (
        ws.id,
        team.id,
        "sdr",
        False,
    )
    assert rep.process_version_id is None  # the built-in process until one is stored
    manager = actor_for(session, MANAGER)
    assert manager.is_manager and manager.role is None
    outsider = actor_for(session, OUTSIDER)
    assert outsider.member is None and outsider.team.id == team.id


def test_a_stored_process_applies_to_logs_and_scorecards(session, ws, team, people):
    base = actor_for(session, REP).process
    version = teams.store_process(
        session,
        base.with_goal("sdr", "calls", "40/day"),
        team=team,
        loaded_by=MANAGER,
        change="calls 40/day",
        now=NOW,
    )
    assert version.version == 1
    recorded = log(session, REP, {"calls": 20}, trigger="T1")
    assert [r.process_version_id for r in recorded.rows] == [version.id]
    calls = lines(build(session, ws, "day"))["calls"]
    assert (calls.actual, calls.goal) == (20, 40)
    assert calls.pace == pytest.approx(2.0)


def test_racing_goal_changes_both_land(engine, ws, team):
    """Two managers change different goals at the same moment: neither change is lost."""
    changes = [("calls", Goal(50, "day")), ("conversations", Goal(10, "day"))]

    def change(i):
        kpi, goal = changes[i]
        with unit_of_work(engine) as s:
            fresh = s.get(type(team), team.id)
            _, row = teams.change_process(
                s,
                fresh,
                lambda p: p.with_goal("sdr", kpi, goal),
                loaded_by=f"U{i}",
                change=kpi,
                now=NOW,
            )
            return row.version

    assert sorted(run_at_once(2, change)) == [1, 2]
    with unit_of_work(engine) as s:
        process, _ = teams.team_process(s, team.id)
    assert str(process.goal_for("sdr", "calls")) == "50/day"
    assert str(process.goal_for("sdr", "conversations")) == "10/day"


# -- tenure: who is on the team on a day ---------------------------------------------------------


def _set(session, user_id, **changes):
    member = people_queries.get_member(session, session.exec(select(Workspace)).first().id, user_id)
    for name, value in changes.items():
        setattr(member, name, value)
    people_queries.save_member(session, member)
    session.commit()
    return member


def test_an_actor_before_their_start_or_after_their_last_day_is_off_the_team(
    session, ws, team, people
):
    today = date(2026, 11, 24)  # NOW, in New York
    assert actor_for(session, REP).today() == today
    _set(session, REP, started_on=today + timedelta(days=6))
    starter = actor_for(session, REP)
    assert starter.member is None and starter.off_team.user_id == REP and starter.role is None
    assert starter.team.id == team.id  # still their team's process
    _set(session, REP, started_on=None, last_day=today)  # the last day still counts
    assert actor_for(session, REP).member is not None
    _set(session, MANAGER, last_day=today - timedelta(days=1))
    gone = actor_for(session, MANAGER)
    assert gone.member is None and not gone.is_manager and gone.off_team.user_id == MANAGER


def test_a_left_reps_scorecard_is_shown_to_managers_only(session, ws, team, people):
    today = date(2026, 11, 24)
    rep = _set(session, REP, last_day=today - timedelta(days=3))
    manager, outsider = actor_for(session, MANAGER), actor_for(session, OUTSIDER)
    assert teams.scorecard_shown(manager, rep, today)
    assert not teams.scorecard_shown(outsider, rep, today)
    assert teams.scorecard_shown(outsider, rep, today - timedelta(days=3))  # on the team then
    assert not teams.scorecard_shown(manager, None, today)
    manager_row = people_queries.get_member(session, ws.id, MANAGER)
    assert not teams.scorecard_shown(manager, manager_row, today)  # no role, no scorecard


def test_team_members_cover_a_period_up_to_today(session, ws, team, people):
    today = date(2026, 11, 24)
    _set(session, REP, last_day=date(2026, 11, 20))
    add_member(session, ws, team, "U0NEW0001", "sdr", started_on=date(2026, 11, 30))
    ids = lambda members: [m.user_id for m in members]  # noqa: E731
    november = teams.team_members(session, team.id, date(2026, 11, 1), date(2026, 11, 30), today)
    assert ids(november) == [REP, MANAGER, "U0NEW0001"]  # the new hire: not started yet
    october = teams.team_members(session, team.id, date(2026, 10, 1), date(2026, 10, 31), today)
    assert ids(october) == [REP, MANAGER]
    today_only = teams.team_members(session, team.id, today, today, today)
    assert ids(today_only) == [MANAGER, "U0NEW0001"]  # the rep left on the 20th
    assert ids(teams.members_today(session, team.id, today)) == [MANAGER]
    assert teams.managers_of(session, team.id, today) == [MANAGER]
    _set(session, MANAGER, last_day=date(2026, 11, 23))
    assert teams.managers_of(session, team.id, today) == []
    assert teams.managers_of(session, team.id) == [MANAGER]  # without a day: every active row
