"""rituals/teams.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): who
is asking and what applies to them, and process versions (also when two changes race)."""

import pytest

from rituals import teams
from rituals.process import Goal
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
from tests.storage.support import NOW, run_at_once


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
