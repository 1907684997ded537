"""storage/people_queries.py on SQLite and PostgreSQL: workspaces and teams (get or create,
also when first requests race), and cached Slack profiles. Fixed instants only."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage import db, people_queries
from storage.models import Member, SalesTeam, UserProfile, Workspace
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, add_member, fresh, run_at_once


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


# -- workspaces and teams ---------------------------------------------------------------------


def test_workspace_for_is_get_or_create(engine, session):
    first = people_queries.workspace_for(session, "T1", None, NOW)
    again = people_queries.workspace_for(session, "T1", None, NOW + timedelta(days=3))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        third = people_queries.workspace_for(other, "T1", "", NOW + timedelta(days=5))
        assert _count(other, Workspace) == 1
        stored = other.get(Workspace, first.id)
    assert first.id is not None
    assert again.id == third.id == first.id
    assert (stored.slack_team_id, stored.enterprise_id) == ("T1", "")


def test_workspace_for_keeps_slack_teams_and_grid_orgs_apart(session):
    plain = people_queries.workspace_for(session, "T1", None, NOW)
    other_team = people_queries.workspace_for(session, "T2", None, NOW)
    grid_a = people_queries.workspace_for(session, "T1", "E_A", NOW)
    grid_b = people_queries.workspace_for(session, "T1", "E_B", NOW)
    ids = [plain.id, other_team.id, grid_a.id, grid_b.id]
    assert len(set(ids)) == 4
    assert people_queries.workspace_for(session, "T1", "E_A", NOW).id == grid_a.id
    assert [(w.slack_team_id, w.enterprise_id) for w in people_queries.all_workspaces(session)] == [
        ("T1", ""),
        ("T2", ""),
        ("T1", "E_A"),
        ("T1", "E_B"),
    ]


def test_grid_members_are_known_from_any_workspace_of_their_org(session):
    home = people_queries.workspace_for(session, "T1", "E1", NOW)
    sibling = people_queries.workspace_for(session, "T2", "E1", NOW)
    elsewhere = people_queries.workspace_for(session, "T3", "E9", NOW)
    team = people_queries.default_team(session, home.id, NOW)
    add_member(session, home, team, "W1", "sdr")
    # asking from the sibling workspace: the org's user ID finds their membership in T1
    workspace_id, member = people_queries.workspace_and_member(session, "T2", "E1", "W1")
    assert (workspace_id, member.user_id) == (home.id, "W1")
    # someone on no team is in the workspace they asked from; another org knows nobody
    assert people_queries.workspace_and_member(session, "T2", "E1", "W2") == (sibling.id, None)
    assert people_queries.workspace_and_member(session, "T3", "E9", "W1") == (elsewhere.id, None)
    assert people_queries.workspace_and_member(session, "T4", "E1", "W2") == (None, None)
    # their own workspace's membership comes first when they have one there too
    own_team = people_queries.default_team(session, sibling.id, NOW)
    add_member(session, sibling, own_team, "W1", "ae")
    assert people_queries.workspace_and_member(session, "T2", "E1", "W1")[0] == sibling.id
    # off Grid, a team ID alone never reaches a Grid workspace
    assert people_queries.workspace_and_member(session, "T1", None, "W1") == (None, None)
    assert people_queries.org_workspace_ids(session, sibling.id) == [sibling.id, home.id]
    plain = people_queries.workspace_for(session, "T5", None, NOW)
    assert people_queries.org_workspace_ids(session, plain.id) == [plain.id]


def test_find_profiles_by_name_looks_across_a_grid_org(session):
    home = people_queries.workspace_for(session, "T1", "E1", NOW)
    sibling = people_queries.workspace_for(session, "T2", "E1", NOW)
    other_org = people_queries.workspace_for(session, "T3", "E2", NOW)
    people_queries.save_profile(session, sibling.id, "W7", "Zoë Park", None, NOW)
    people_queries.save_profile(session, home.id, "W7", "Zoë Park", None, NOW)
    people_queries.save_profile(session, other_org.id, "W8", "Zoë Park", None, NOW)
    found = people_queries.find_profiles_by_name(session, home.id, "zoë park")
    assert [(p.user_id, p.workspace_id) for p in found] == [("W7", home.id)]  # once, own first


def test_workspace_for_racing_requests_share_one_row(engine):
    """Several first requests from a new workspace at once: one row, everyone gets its id."""
    barrier = threading.Barrier(6)
    ids, errors = [], []

    def first_request():
        with unit_of_work(engine) as s:
            barrier.wait()
            try:
                ids.append(people_queries.workspace_for(s, "T_NEW", "E1", NOW).id)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=first_request) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(ids) == 6 and len(set(ids)) == 1
    with fresh(engine) as s:
        assert _count(s, Workspace) == 1


def test_default_team_is_get_or_create_per_workspace(engine, session):
    ws1 = people_queries.workspace_for(session, "T1", None, NOW)
    ws2 = people_queries.workspace_for(session, "T2", None, NOW)
    team1 = people_queries.default_team(session, ws1.id, NOW)
    assert people_queries.default_team(session, ws1.id, NOW).id == team1.id
    team2 = people_queries.default_team(session, ws2.id, NOW)
    assert team2.id != team1.id
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    assert (team1.workspace_id, team1.name) == (ws1.id, people_queries.DEFAULT_TEAM_NAME)
    assert (team2.workspace_id, team2.name) == (ws2.id, people_queries.DEFAULT_TEAM_NAME)
    with fresh(engine) as other:
        assert people_queries.default_team(other, ws1.id, NOW).id == team1.id
        assert _count(other, SalesTeam) == 2
        assert [t.id for t in people_queries.teams(other, ws1.id)] == [team1.id]


def test_default_team_is_the_workspaces_first_team(session, ws):
    closers = SalesTeam(workspace_id=ws.id, name="Closers", created_at=NOW)
    session.add(closers)
    session.commit()
    assert people_queries.default_team(session, ws.id, NOW).id == closers.id
    assert _count(session, SalesTeam) == 1


# -- profiles ---------------------------------------------------------------------------------


def test_save_profile_inserts_then_updates(engine, session, ws):
    first = people_queries.save_profile(session, ws.id, "U_A", "Alice", "America/Chicago", NOW)
    later = NOW + timedelta(days=2)
    second = people_queries.save_profile(session, ws.id, "U_A", "Alice B.", None, later)
    assert second.id == first.id
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        assert _count(other, UserProfile) == 1
        row = people_queries.get_profile(other, ws.id, "U_A")
        assert (row.display_name, row.tz) == ("Alice B.", None)
        assert set(people_queries.profiles(other, ws.id, ["U_A", "U_A", "U_NONE"])) == {"U_A"}
        assert people_queries.profiles(other, ws.id, []) == {}


def test_save_profile_from_two_sessions_keeps_one_row(engine, ws):
    with db.session(engine) as a, db.session(engine) as b:
        people_queries.save_profile(a, ws.id, "U_A", "Alice", None, NOW)
        a.commit()  # each request's unit of work commits when it ends
        people_queries.save_profile(b, ws.id, "U_A", "Alice 2", "Europe/Paris", NOW)
        b.commit()
    with fresh(engine) as other:
        assert _count(other, UserProfile) == 1
        assert people_queries.get_profile(other, ws.id, "U_A").display_name == "Alice 2"


def test_find_profiles_by_name_is_case_insensitive_and_exact(session, ws):
    ws2 = people_queries.workspace_for(session, "T_OTHER", None, NOW)
    people_queries.save_profile(session, ws.id, "U_A", "Alice", None, NOW)
    people_queries.save_profile(session, ws.id, "U_S1", "sam", None, NOW)
    people_queries.save_profile(session, ws.id, "U_S2", "SAM", None, NOW)
    people_queries.save_profile(session, ws2.id, "U_X", "Alice", None, NOW)

    assert [p.user_id for p in people_queries.find_profiles_by_name(session, ws.id, "alice")] == [
        "U_A"
    ]
    assert [p.user_id for p in people_queries.find_profiles_by_name(session, ws.id, "ALICE")] == [
        "U_A"
    ]
    assert sorted(
        p.user_id for p in people_queries.find_profiles_by_name(session, ws.id, "Sam")
    ) == [
        "U_S1",
        "U_S2",
    ]
    assert people_queries.find_profiles_by_name(session, ws.id, "Ali") == []
    assert [p.user_id for p in people_queries.find_profiles_by_name(session, ws2.id, "alice")] == [
        "U_X"
    ]


def test_find_profiles_by_name_ignores_case_beyond_ascii(request, database, session, ws):
    people_queries.save_profile(session, ws.id, "U_Z", "ZOË", None, NOW)
    people_queries.save_profile(session, ws.id, "U_J", "José", None, NOW)
    assert [p.user_id for p in people_queries.find_profiles_by_name(session, ws.id, "zoë")] == [
        "U_Z"
    ]
    assert [p.user_id for p in people_queries.find_profiles_by_name(session, ws.id, "JOSÉ")] == [
        "U_J"
    ]


def test_stored_instants_come_back_timezone_aware(engine, session, ws):
    """Callers compute `now - fetched_at` (bot/people.py) and `created_at.astimezone(tz)` on
    what they read back, so instants must come back aware on SQLite too."""
    people_queries.save_profile(session, ws.id, "U_A", "Alice", None, NOW)
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        fetched_at = people_queries.get_profile(other, ws.id, "U_A").fetched_at
    assert fetched_at.utcoffset() == timedelta(0)
    assert NOW + timedelta(hours=1) - fetched_at == timedelta(hours=1)


# -- tenure: who is on the team when ------------------------------------------------------------


def _ids(members) -> list[str]:
    return [m.user_id for m in members]


@pytest.fixture
def tenures(session, ws, team):
    """Five people: always there, a new hire from Mon 30 Nov, one who left Fri 20 Nov, one whose
    last day is Fri 4 Dec, and one removed before tenure dates existed (on Wed 18 Nov)."""
    add_member(session, ws, team, "U_ALWAYS", "sdr", added_at=NOW)
    add_member(session, ws, team, "U_NEW", "sdr", added_at=NOW, started_on=date(2026, 11, 30))
    add_member(session, ws, team, "U_LEFT", "sdr", added_at=NOW, last_day=date(2026, 11, 20))
    add_member(session, ws, team, "U_LEAVING", "sdr", added_at=NOW, last_day=date(2026, 12, 4))
    add_member(
        session,
        ws,
        team,
        "U_OLD",
        "sdr",
        added_at=NOW,
        active=False,
        removed_at=datetime(2026, 11, 18, 15, 0, tzinfo=UTC),
    )
    return team


def test_members_on_a_day_follow_their_tenure(session, tenures):
    on = lambda day: _ids(people_queries.members_on(session, tenures.id, day))  # noqa: E731
    assert on(date(2026, 11, 20)) == ["U_ALWAYS", "U_LEFT", "U_LEAVING"]  # the last day counts
    assert on(date(2026, 11, 23)) == ["U_ALWAYS", "U_LEAVING"]
    assert on(date(2026, 11, 30)) == ["U_ALWAYS", "U_NEW", "U_LEAVING"]  # the first day counts
    assert on(date(2026, 12, 7)) == ["U_ALWAYS", "U_NEW"]


def test_members_during_include_those_who_left_in_the_dates(session, tenures):
    during = lambda a, b: _ids(people_queries.members_during(session, tenures.id, a, b))  # noqa: E731
    november = during(date(2026, 11, 1), date(2026, 11, 30))
    assert november == ["U_ALWAYS", "U_NEW", "U_LEFT", "U_LEAVING", "U_OLD"]
    assert during(date(2026, 11, 23), date(2026, 11, 29)) == ["U_ALWAYS", "U_LEAVING"]
    assert during(date(2026, 11, 20), date(2026, 11, 20)) == ["U_ALWAYS", "U_LEFT", "U_LEAVING"]
    # removed at 15:00 UTC on the 18th: a day's slack for the team's timezone, never a day short
    assert "U_OLD" in during(date(2026, 11, 19), date(2026, 11, 19))
    assert during(date(2026, 12, 5), date(2026, 12, 31)) == ["U_ALWAYS", "U_NEW"]
    assert during(date(2026, 10, 1), date(2026, 10, 31)) == [
        "U_ALWAYS",
        "U_LEFT",
        "U_LEAVING",
        "U_OLD",
    ]


def test_the_roster_keeps_future_starters_and_leavers_until_their_last_day(session, tenures):
    today = date(2026, 11, 24)
    assert _ids(people_queries.roster(session, tenures.id, today)) == [
        "U_ALWAYS",
        "U_NEW",
        "U_LEAVING",
    ]
    assert _ids(people_queries.roster(session, tenures.id, date(2026, 12, 5))) == [
        "U_ALWAYS",
        "U_NEW",
    ]


def test_other_teams_members_are_not_counted(session, ws, tenures):
    other = SalesTeam(workspace_id=ws.id, name="East", created_at=NOW)
    session.add(other)
    session.flush()
    add_member(session, ws, other, "U_EAST", "sdr", added_at=NOW)
    assert "U_EAST" not in _ids(
        people_queries.members_during(session, tenures.id, date(2026, 11, 1), date(2026, 12, 31))
    )
    assert _ids(people_queries.members_on(session, other.id, date(2026, 11, 24))) == ["U_EAST"]


def test_pause_and_resume_rituals(session):
    """An uninstall pauses the workspace's rituals (once); only a request Slack sent resumes
    them (``resume``), not work done after one."""
    ws = people_queries.workspace_for(session, "T1", None, NOW)
    other = people_queries.workspace_for(session, "T2", None, NOW)
    assert people_queries.pause_rituals(session, "T1", None, NOW)
    assert not people_queries.pause_rituals(session, "T1", "", NOW)  # paused already
    assert not people_queries.pause_rituals(session, "T_UNKNOWN", None, NOW)
    assert people_queries.paused_workspaces(session) == {ws.id}
    people_queries.workspace_and_member(session, "T1", None, "U1")
    assert people_queries.paused_workspaces(session) == {ws.id}
    people_queries.workspace_and_member(session, "T1", None, "U1", resume=True)
    assert people_queries.paused_workspaces(session) == set()
    assert not people_queries.resume_rituals(session, ws.id)
    assert other.id not in people_queries.paused_workspaces(session)


def _new_member(ws, team, user_id: str, role: str) -> Member:
    return Member(
        workspace_id=ws.id,
        team_id=team.id,
        user_id=user_id,
        role=role,
        added_by="U_ADMIN",
        added_at=NOW,
    )


def test_add_member_twice_stores_one_and_keeps_the_second_transaction(engine, ws, team):
    with db.session(engine) as a, db.session(engine) as b:
        assert people_queries.add_member(a, _new_member(ws, team, "U_TWICE", "sdr"))
        a.commit()
        assert not people_queries.add_member(b, _new_member(ws, team, "U_TWICE", "ae"))
        people_queries.save_profile(b, ws.id, "U_TWICE", "Twice", None, NOW)  # b goes on
        b.commit()
    with fresh(engine) as s:
        assert people_queries.get_member(s, ws.id, "U_TWICE").role == "sdr"
        assert people_queries.get_profile(s, ws.id, "U_TWICE") is not None


def test_concurrent_adds_of_one_person_store_one_membership_and_raise_nothing(engine, ws, team):
    def add(i):
        with unit_of_work(engine) as s:
            return people_queries.add_member(s, _new_member(ws, team, "U_RACE", "sdr"))

    assert sorted(run_at_once(6, add)) == [False] * 5 + [True]
    with fresh(engine) as s:
        assert _count(s, Member) == 1
