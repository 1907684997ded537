"""storage.queries on SQLite and PostgreSQL: workspaces and teams, activity logs (exactly-once,
totals, undo), process versions and profiles, and a restart. Fixed instants only."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, func
from sqlmodel import select

from storage import db, log_queries, people_queries, process_queries
from storage.migrate import upgrade
from storage.models import ActivityLog, ProcessVersion, SalesTeam, UserProfile, Workspace
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY, add_member, make_batch, make_log

NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, WED, THU = (date(2026, 11, 23) + timedelta(days=i) for i in range(4))


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _fresh(engine):
    """A second session, so reads come from the database and not the first session's objects."""
    return db.session(engine)


# -- workspaces and teams -----------------------------------------------------------------------


def test_workspace_for_is_get_or_create(engine, session):
    first = people_queries.workspace_for(session, "T1", None, NOW)
    again = people_queries.workspace_for(session, "T1", None, NOW + timedelta(days=3))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
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
    with _fresh(engine) as s:
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
    with _fresh(engine) as other:
        assert people_queries.default_team(other, ws1.id, NOW).id == team1.id
        assert _count(other, SalesTeam) == 2
        assert [t.id for t in people_queries.teams(other, ws1.id)] == [team1.id]


def test_default_team_is_the_workspaces_first_team(session, ws):
    closers = SalesTeam(workspace_id=ws.id, name="Closers", created_at=NOW)
    session.add(closers)
    session.commit()
    assert people_queries.default_team(session, ws.id, NOW).id == closers.id
    assert _count(session, SalesTeam) == 1


# -- insert_logs: exactly once, all or nothing --------------------------------------------------


def test_insert_logs_stores_a_batch(engine, session, ws, team):
    rows = make_batch(ws, team, {"calls": 12, "conversations": 3}, trigger_id="TRIG1")
    assert log_queries.insert_logs(session, rows) is True
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
        stored = log_queries.logs_by_trigger(other, ws.id, "TRIG1")
    assert [(r.kpi, r.count) for r in stored] == [("calls", 12), ("conversations", 3)]
    assert len({r.batch_id for r in stored}) == 1
    assert all(r.id is not None for r in rows)


def test_same_trigger_twice_is_stored_once(engine, session, ws, team):
    assert (
        log_queries.insert_logs(session, make_batch(ws, team, {"calls": 12}, trigger_id="T"))
        is True
    )
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    assert (
        log_queries.insert_logs(session, make_batch(ws, team, {"calls": 12}, trigger_id="T"))
        is False
    )
    with _fresh(engine) as other:
        assert log_queries.count_logs(other, ws.id) == 1
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TODAY, TODAY) == {"calls": 12}
    # the session is usable after the refused insert
    assert (
        log_queries.insert_logs(session, make_batch(ws, team, {"calls": 1}, trigger_id="T2"))
        is True
    )
    assert log_queries.count_logs(session, ws.id) == 2


def test_insert_logs_is_all_or_nothing_on_a_duplicate(engine, session, ws, team):
    assert log_queries.insert_logs(session, make_batch(ws, team, {"calls": 5}, trigger_id="T"))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    # Same trigger, a new KPI first and the already stored one second: neither may be stored.
    retry = make_batch(ws, team, {"conversations": 2, "calls": 5}, trigger_id="T")
    assert log_queries.insert_logs(session, retry) is False
    with _fresh(engine) as other:
        assert [(r.kpi, r.count) for r in log_queries.logs_by_trigger(other, ws.id, "T")] == [
            ("calls", 5)
        ]
        assert log_queries.count_logs(other) == 1


def test_insert_logs_is_all_or_nothing_on_a_bad_row(engine, session, ws, team):
    rows = make_batch(ws, team, {"calls": 5, "conversations": 2, "deals": 1}, trigger_id="T")
    rows[2].team_id = 999_999  # no such team: the foreign key refuses the last row
    assert log_queries.insert_logs(session, rows) is False
    with _fresh(engine) as other:
        assert log_queries.count_logs(other) == 0


def test_trigger_ids_are_per_workspace(engine, session, ws, team):
    ws2 = people_queries.workspace_for(session, "T_OTHER", None, NOW)
    team2 = people_queries.default_team(session, ws2.id, NOW)
    assert log_queries.insert_logs(session, make_batch(ws, team, {"calls": 1}, trigger_id="SAME"))
    assert log_queries.insert_logs(session, make_batch(ws2, team2, {"calls": 2}, trigger_id="SAME"))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
        assert [r.count for r in log_queries.logs_by_trigger(other, ws.id, "SAME")] == [1]
        assert [r.count for r in log_queries.logs_by_trigger(other, ws2.id, "SAME")] == [2]


def test_null_trigger_ids_never_conflict(engine, session, ws, team):
    for _ in range(3):
        assert log_queries.insert_logs(session, make_batch(ws, team, {"calls": 4}, trigger_id=None))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
        assert log_queries.count_logs(other, ws.id) == 3
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TODAY, TODAY) == {"calls": 12}


# -- kpi_totals ---------------------------------------------------------------------------------


def test_kpi_totals_sums_per_kpi(session, ws, team):
    log_queries.insert_logs(session, make_batch(ws, team, {"calls": 10, "conversations": 2}))
    log_queries.insert_logs(session, make_batch(ws, team, {"calls": 15}, occurred_on=WED))
    log_queries.insert_logs(session, make_batch(ws, team, {"conversations": 1, "deals": 1}))
    totals = log_queries.kpi_totals(session, ws.id, "U_REP", MON, THU)
    assert totals == {"calls": 25, "conversations": 3, "deals": 1}
    assert all(type(v) is int for v in totals.values())


def test_kpi_totals_bounds_are_inclusive(session, ws, team):
    for day, count in [(MON, 1), (TUE, 10), (WED, 100), (THU, 1000)]:
        log_queries.insert_logs(session, [make_log(ws, team, count=count, occurred_on=day)])
    assert log_queries.kpi_totals(session, ws.id, "U_REP", TUE, WED) == {"calls": 110}
    assert log_queries.kpi_totals(session, ws.id, "U_REP", TUE, TUE) == {"calls": 10}
    assert log_queries.kpi_totals(session, ws.id, "U_REP", MON, THU) == {"calls": 1111}
    assert log_queries.kpi_totals(session, ws.id, "U_REP", THU, MON) == {}


def test_kpi_totals_ignores_voided_rows(session, ws, team):
    kept = make_batch(ws, team, {"calls": 7})
    undone = make_batch(ws, team, {"calls": 50, "conversations": 5})
    log_queries.insert_logs(session, kept)
    log_queries.insert_logs(session, undone)
    assert log_queries.void_batch(session, undone[0].batch_id, "U_REP", NOW) == 2
    assert log_queries.kpi_totals(session, ws.id, "U_REP", TUE, TUE) == {"calls": 7}


def test_kpi_totals_is_scoped_to_workspace_and_rep(session, ws, team):
    ws2 = people_queries.workspace_for(session, "T_OTHER", None, NOW)
    team2 = people_queries.default_team(session, ws2.id, NOW)
    log_queries.insert_logs(session, [make_log(ws, team, count=3, rep_id="U_A")])
    log_queries.insert_logs(session, [make_log(ws, team, count=30, rep_id="U_B")])
    log_queries.insert_logs(session, [make_log(ws2, team2, count=300, rep_id="U_A")])
    # a manager crediting U_A counts for U_A, not for the manager
    log_queries.insert_logs(session, [make_log(ws, team, count=4, rep_id="U_A", entered_by="U_M")])
    assert log_queries.kpi_totals(session, ws.id, "U_A", TUE, TUE) == {"calls": 7}
    assert log_queries.kpi_totals(session, ws.id, "U_B", TUE, TUE) == {"calls": 30}
    assert log_queries.kpi_totals(session, ws2.id, "U_A", TUE, TUE) == {"calls": 300}
    assert log_queries.kpi_totals(session, ws.id, "U_M", TUE, TUE) == {}


def test_kpi_totals_aggregates_in_sql(engine, session, ws, team):
    for i in range(20):
        log_queries.insert_logs(session, [make_log(ws, team, count=i + 1)])
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert log_queries.kpi_totals(session, ws.id, "U_REP", TUE, TUE) == {"calls": 210}
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1
    assert "sum(" in statements[0].lower() and "group by" in statements[0].lower()


# -- last_batch / void_batch --------------------------------------------------------------------


def test_undo_voids_the_newest_batch_then_the_one_before(engine, session, ws, team):
    older = make_batch(ws, team, {"calls": 10}, created_at=NOW)
    newer = make_batch(ws, team, {"calls": 5, "conversations": 1}, created_at=NOW + timedelta(1))
    log_queries.insert_logs(session, older)
    log_queries.insert_logs(session, newer)

    batch = log_queries.last_batch(session, ws.id, "U_REP")
    assert [(r.kpi, r.count) for r in batch] == [("calls", 5), ("conversations", 1)]
    assert {r.batch_id for r in batch} == {newer[0].batch_id}
    assert log_queries.void_batch(session, newer[0].batch_id, "U_REP", NOW + timedelta(2)) == 2

    batch = log_queries.last_batch(session, ws.id, "U_REP")
    assert [r.batch_id for r in batch] == [older[0].batch_id]
    assert log_queries.void_batch(session, older[0].batch_id, "U_REP", NOW + timedelta(3)) == 1
    assert log_queries.last_batch(session, ws.id, "U_REP") == []
    session.commit()  # storage only flushes: the test commits, as a unit of work would

    with _fresh(engine) as other:  # voided, never deleted
        rows = other.exec(select(ActivityLog).order_by(ActivityLog.id)).all()
        assert len(rows) == 3
        assert all(r.voided_at is not None and r.voided_by == "U_REP" for r in rows)
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TUE, TUE) == {}


def test_void_batch_twice_voids_nothing_more(engine, ws, team):
    """Two undo requests read the same last batch; only the first one voids it."""
    with db.session(engine) as first, db.session(engine) as second:
        log_queries.insert_logs(first, make_batch(ws, team, {"calls": 1}, created_at=NOW))
        log_queries.insert_logs(first, make_batch(ws, team, {"calls": 2, "deals": 1}))
        first.commit()  # each request's unit of work commits when it ends
        seen_first = log_queries.last_batch(first, ws.id, "U_REP")
        seen_second = log_queries.last_batch(second, ws.id, "U_REP")
        assert seen_first[0].batch_id == seen_second[0].batch_id
        assert log_queries.void_batch(first, seen_first[0].batch_id, "U_A", NOW) == 2
        first.commit()
        assert log_queries.void_batch(second, seen_second[0].batch_id, "U_B", NOW) == 0
        second.commit()
    with _fresh(engine) as other:
        voided = other.exec(select(ActivityLog).where(ActivityLog.voided_at.is_not(None))).all()
        assert {r.voided_by for r in voided} == {"U_A"}  # the loser overwrote nothing
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TUE, TUE) == {"calls": 1}


def test_last_batch_is_per_person_and_workspace(session, ws, team):
    ws2 = people_queries.workspace_for(session, "T_OTHER", None, NOW)
    team2 = people_queries.default_team(session, ws2.id, NOW)
    mine = make_batch(ws, team, {"calls": 1}, rep_id="U_A", created_at=NOW)
    log_queries.insert_logs(session, mine)
    # later entries by someone else, for me, and by me in another workspace
    log_queries.insert_logs(session, make_batch(ws, team, {"calls": 2}, rep_id="U_B"))
    log_queries.insert_logs(
        session, make_batch(ws, team, {"calls": 3}, rep_id="U_A", entered_by="U_M")
    )
    log_queries.insert_logs(session, make_batch(ws2, team2, {"calls": 4}, rep_id="U_A"))
    assert [r.id for r in log_queries.last_batch(session, ws.id, "U_A")] == [mine[0].id]
    assert [r.count for r in log_queries.last_batch(session, ws.id, "U_M")] == [3]
    assert [r.count for r in log_queries.last_batch(session, ws2.id, "U_A")] == [4]
    assert log_queries.last_batch(session, ws.id, "U_NOBODY") == []


def test_last_batch_breaks_a_tie_on_time_by_insertion_order(session, ws, team):
    first = make_batch(ws, team, {"calls": 1})
    second = make_batch(ws, team, {"calls": 2})  # the same created_at instant
    log_queries.insert_logs(session, first)
    log_queries.insert_logs(session, second)
    assert [r.batch_id for r in log_queries.last_batch(session, ws.id, "U_REP")] == [
        second[0].batch_id
    ]


def test_last_batch_goes_by_time_entered_not_by_date_of_activity(session, ws, team):
    today = make_batch(ws, team, {"calls": 1}, occurred_on=TUE, created_at=NOW)
    backdated = make_batch(ws, team, {"calls": 2}, occurred_on=MON, created_at=NOW + timedelta(1))
    log_queries.insert_logs(session, today)
    log_queries.insert_logs(session, backdated)
    assert [r.count for r in log_queries.last_batch(session, ws.id, "U_REP")] == [2]


# -- logs_for -----------------------------------------------------------------------------------


def test_logs_for_includes_voided_rows_in_order(session, ws, team):
    late = make_log(ws, team, count=3, occurred_on=WED, created_at=NOW)
    early = make_log(ws, team, count=1, occurred_on=MON, created_at=NOW + timedelta(hours=2))
    same_day_1 = make_log(ws, team, count=2, occurred_on=TUE, created_at=NOW)
    same_day_2 = make_log(ws, team, count=20, occurred_on=TUE, created_at=NOW)
    voided = make_log(ws, team, count=99, occurred_on=TUE, created_at=NOW + timedelta(hours=1))
    other_kpi = make_log(ws, team, kpi="deals", count=1, occurred_on=TUE)
    other_rep = make_log(ws, team, count=5, rep_id="U_B", occurred_on=TUE)
    outside = make_log(ws, team, count=7, occurred_on=THU)
    for row in [late, early, same_day_1, same_day_2, voided, other_kpi, other_rep, outside]:
        log_queries.insert_logs(session, [row])
    log_queries.void_batch(session, voided.batch_id, "U_REP", NOW)

    logs = log_queries.logs_for(session, ws.id, "U_REP", "calls", MON, WED)
    assert [r.count for r in logs] == [1, 2, 20, 99, 3]
    assert [r.voided_at is not None for r in logs] == [False, False, False, True, False]
    every_kpi = log_queries.logs_for(session, ws.id, "U_REP", None, TUE, TUE)
    assert sorted((r.kpi, r.count) for r in every_kpi) == [
        ("calls", 2),
        ("calls", 20),
        ("calls", 99),
        ("deals", 1),
    ]
    assert log_queries.logs_for(session, ws.id, "U_REP", "calls", THU, THU)[0].count == 7


# -- process versions ---------------------------------------------------------------------------


def _version(ws_id, team_id, name) -> ProcessVersion:
    return ProcessVersion(
        workspace_id=ws_id,
        team_id=team_id,
        version=0,
        name=name,
        definition="{}",
        source_text="name: x",
        loaded_by="cli",
        loaded_at=NOW,
    )


def test_process_versions_are_numbered_per_scope(engine, session, ws, team):
    other_team = SalesTeam(workspace_id=ws.id, name="AEs", created_at=NOW)
    session.add(other_team)
    session.commit()
    assert process_queries.latest_process_version(session, team.id) is None
    assert process_queries.latest_process_version(session, None) is None

    added = [
        process_queries.add_process_version(session, _version(None, None, "install 1")),
        process_queries.add_process_version(session, _version(ws.id, team.id, "sales 1")),
        process_queries.add_process_version(session, _version(None, None, "install 2")),
        process_queries.add_process_version(session, _version(ws.id, other_team.id, "aes 1")),
        process_queries.add_process_version(session, _version(ws.id, team.id, "sales 2")),
    ]
    assert [(v.name, v.version) for v in added] == [
        ("install 1", 1),
        ("sales 1", 1),
        ("install 2", 2),
        ("aes 1", 1),
        ("sales 2", 2),
    ]
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
        assert [v.name for v in process_queries.process_versions(other, team.id)] == [
            "sales 1",
            "sales 2",
        ]
        assert [v.name for v in process_queries.process_versions(other, None)] == [
            "install 1",
            "install 2",
        ]
        assert process_queries.latest_process_version(other, team.id).name == "sales 2"
        assert process_queries.latest_process_version(other, other_team.id).name == "aes 1"


def test_latest_process_version_falls_back_to_install_wide(session, ws, team):
    process_queries.add_process_version(session, _version(None, None, "install 1"))
    process_queries.add_process_version(session, _version(None, None, "install 2"))
    assert process_queries.latest_process_version(session, team.id).name == "install 2"
    assert process_queries.latest_process_version(session, None).name == "install 2"
    process_queries.add_process_version(session, _version(ws.id, team.id, "sales 1"))
    assert process_queries.latest_process_version(session, team.id).name == "sales 1"
    assert process_queries.latest_process_version(session, None).name == "install 2"


# -- profiles -----------------------------------------------------------------------------------


def test_save_profile_inserts_then_updates(engine, session, ws):
    first = people_queries.save_profile(session, ws.id, "U_A", "Alice", "America/Chicago", NOW)
    later = NOW + timedelta(days=2)
    second = people_queries.save_profile(session, ws.id, "U_A", "Alice B.", None, later)
    assert second.id == first.id
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with _fresh(engine) as other:
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
    with _fresh(engine) as other:
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
    with _fresh(engine) as other:
        fetched_at = people_queries.get_profile(other, ws.id, "U_A").fetched_at
    assert fetched_at.utcoffset() == timedelta(0)
    assert NOW + timedelta(hours=1) - fetched_at == timedelta(hours=1)


def test_instants_with_an_offset_keep_their_order(session, ws, team):
    """PACER_CLOCK=2026-11-24T11:30:00-05:00 is 16:30Z: it is newer than 16:00Z."""
    earlier_utc = make_batch(ws, team, {"calls": 1}, created_at=NOW)
    later_ny = make_batch(
        ws, team, {"calls": 2}, created_at=datetime(2026, 11, 24, 11, 30, tzinfo=NEW_YORK)
    )
    log_queries.insert_logs(session, later_ny)
    log_queries.insert_logs(session, earlier_utc)
    batch = log_queries.last_batch(session, ws.id, "U_REP")
    assert [r.count for r in batch] == [2]
    assert batch[0].created_at == datetime(2026, 11, 24, 16, 30, tzinfo=UTC)


# -- a restart ----------------------------------------------------------------------------------


def test_everything_survives_a_restart(database, engine, session, ws, team):
    add_member(session, ws, team, "U_REP", "sdr")
    people_queries.save_profile(session, ws.id, "U_REP", "Rita", "America/New_York", NOW)
    process_queries.add_process_version(session, _version(ws.id, team.id, "sales 1"))
    log_queries.insert_logs(
        session, make_batch(ws, team, {"calls": 30, "deals": 1}, trigger_id="A")
    )
    undone = make_batch(ws, team, {"calls": 9}, trigger_id="B")
    log_queries.insert_logs(session, undone)
    log_queries.void_batch(session, undone[0].batch_id, "U_REP", NOW)
    session.commit()
    session.close()
    engine.dispose()

    restarted = database.make_engine()
    upgrade(restarted)  # every start migrates
    with db.session(restarted) as s:
        assert people_queries.workspace_for(s, "T0001", None, NOW).id == ws.id
        assert people_queries.default_team(s, ws.id, NOW).id == team.id
        member = people_queries.get_member(s, ws.id, "U_REP")
        assert (member.role, member.active, member.team_id) == ("sdr", True, team.id)
        assert people_queries.get_profile(s, ws.id, "U_REP").tz == "America/New_York"
        assert process_queries.latest_process_version(s, team.id).name == "sales 1"
        assert log_queries.kpi_totals(s, ws.id, "U_REP", TUE, TUE) == {"calls": 30, "deals": 1}
        logs = log_queries.logs_for(s, ws.id, "U_REP", "calls", TUE, TUE)
        assert [(r.count, r.voided_by) for r in logs] == [(30, None), (9, "U_REP")]
        assert (
            log_queries.insert_logs(s, make_batch(ws, team, {"calls": 30}, trigger_id="A")) is False
        )
        assert [r.trigger_id for r in log_queries.last_batch(s, ws.id, "U_REP")] == ["A", "A"]
        assert log_queries.count_logs(s) == 3
