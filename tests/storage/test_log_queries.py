"""storage/log_queries.py on SQLite and PostgreSQL: activity logs stored exactly once and all or
nothing (also when writers race), totals, undo and voids, the logs behind a number, and the
team-wide reads the digests use (one GROUP BY for a whole team). Fixed instants only."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import db, log_queries, people_queries
from storage.models import ActivityLog, Member
from storage.unit_of_work import unit_of_work
from tests.storage.support import (
    NOW,
    TODAY,
    Statements,
    fresh,
    make_batch,
    make_log,
    run_at_once,
)
from tests.storage.team_numbers_support import (
    AE1,
    AE2,
    GONE,
    LAST_WEEK,
    MGR,
    OCTOBER,
    REPS,
    SDR1,
    SDR2,
    SDR3,
    WEEK_BEFORE,
    add_data,
    add_members,
    add_other_workspace,
)

NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, WED, THU = (date(2026, 11, 23) + timedelta(days=i) for i in range(4))
THREADS, BATCHES = 8, 50


@pytest.fixture
def other_ws(session):
    return add_other_workspace(session)


@pytest.fixture
def members(session, ws, team) -> list[Member]:
    return add_members(session, ws, team)


@pytest.fixture
def data(session, ws, team, other_ws, members) -> list[Member]:
    return add_data(session, ws, team, other_ws, members)


# -- insert_logs: exactly once, all or nothing ------------------------------------------------


def test_insert_logs_stores_a_batch(engine, session, ws, team):
    rows = make_batch(ws, team, {"calls": 12, "conversations": 3}, trigger_id="TRIG1")
    assert log_queries.insert_logs(session, rows) is True
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
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
    with fresh(engine) as other:
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
    assert log_queries.count_logs(session) == 1  # in the same transaction too
    session.commit()
    with fresh(engine) as other:
        assert [(r.kpi, r.count) for r in log_queries.logs_by_trigger(other, ws.id, "T")] == [
            ("calls", 5)
        ]
        assert log_queries.count_logs(other) == 1


def test_insert_logs_is_all_or_nothing_on_a_bad_row(engine, session, ws, team):
    rows = make_batch(ws, team, {"calls": 5, "conversations": 2, "deals": 1}, trigger_id="T")
    rows[2].team_id = 999_999  # no such team: the foreign key refuses the last row
    with pytest.raises(IntegrityError):  # the unit of work rolls back
        log_queries.insert_logs(session, rows)
    session.rollback()
    with fresh(engine) as other:
        assert log_queries.count_logs(other) == 0


def test_trigger_ids_are_per_workspace(engine, session, ws, team):
    ws2 = people_queries.workspace_for(session, "T_OTHER", None, NOW)
    team2 = people_queries.default_team(session, ws2.id, NOW)
    assert log_queries.insert_logs(session, make_batch(ws, team, {"calls": 1}, trigger_id="SAME"))
    assert log_queries.insert_logs(session, make_batch(ws2, team2, {"calls": 2}, trigger_id="SAME"))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        assert [r.count for r in log_queries.logs_by_trigger(other, ws.id, "SAME")] == [1]
        assert [r.count for r in log_queries.logs_by_trigger(other, ws2.id, "SAME")] == [2]


def test_null_trigger_ids_never_conflict(engine, session, ws, team):
    for _ in range(3):
        assert log_queries.insert_logs(session, make_batch(ws, team, {"calls": 4}, trigger_id=None))
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        assert log_queries.count_logs(other, ws.id) == 3
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TODAY, TODAY) == {"calls": 12}


def test_many_writers_store_every_batch_exactly_once(engine, ws, team):
    def writer(i):
        stored = 0
        for n in range(BATCHES):
            rows = make_batch(
                ws,
                team,
                {"calls": n + 1, "conversations": 1},
                rep_id=f"U{i}",
                trigger_id=f"{i}-{n}",
            )
            with unit_of_work(engine) as s:
                stored += log_queries.insert_logs(s, rows)
        return stored

    assert run_at_once(THREADS, writer) == [BATCHES] * THREADS

    with unit_of_work(engine) as s:
        rows = s.exec(select(ActivityLog)).all()
        assert len(rows) == THREADS * BATCHES * 2
        per_trigger = Counter(r.trigger_id for r in rows)
        assert len(per_trigger) == THREADS * BATCHES
        assert set(per_trigger.values()) == {2}
        assert len({r.batch_id for r in rows}) == THREADS * BATCHES
        for i in range(THREADS):
            assert log_queries.kpi_totals(s, ws.id, f"U{i}", TODAY, TODAY) == {
                "calls": BATCHES * (BATCHES + 1) // 2,
                "conversations": BATCHES,
            }


def test_racing_the_same_trigger_stores_one_batch(engine, ws, team):
    """Slack retries a slow request while the first delivery is still being written."""
    for round_ in range(5):
        trigger = f"RACE-{round_}"
        attempts = [
            make_batch(ws, team, {"calls": 10, "conversations": 2}, trigger_id=trigger)
            for _ in range(4)
        ]

        def insert(i, attempts=attempts):
            with unit_of_work(engine) as s:
                return log_queries.insert_logs(s, attempts[i])

        results = run_at_once(4, insert)
        assert sorted(results) == [False, False, False, True]
        winner = attempts[results.index(True)]
        with unit_of_work(engine) as s:
            stored = log_queries.logs_by_trigger(s, ws.id, trigger)
        assert [(r.kpi, r.count) for r in stored] == [("calls", 10), ("conversations", 2)]
        assert {r.batch_id for r in stored} == {winner[0].batch_id}

    with unit_of_work(engine) as s:
        assert log_queries.count_logs(s, ws.id) == 10
        assert log_queries.kpi_totals(s, ws.id, "U_REP", TODAY, TODAY) == {
            "calls": 50,
            "conversations": 10,
        }


# -- kpi_totals -------------------------------------------------------------------------------


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


# -- last_batch / void_batch ------------------------------------------------------------------


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

    with fresh(engine) as other:  # voided, never deleted
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
    with fresh(engine) as other:
        voided = other.exec(select(ActivityLog).where(ActivityLog.voided_at.is_not(None))).all()
        assert {r.voided_by for r in voided} == {"U_A"}  # the loser overwrote nothing
        assert log_queries.kpi_totals(other, ws.id, "U_REP", TUE, TUE) == {"calls": 1}


def test_racing_undos_void_a_batch_once(engine, ws, team):
    rows = make_batch(ws, team, {"calls": 3, "conversations": 1, "deals": 1})
    with unit_of_work(engine) as s:
        assert log_queries.insert_logs(s, rows)

    def undo(i):
        with unit_of_work(engine) as s:
            return log_queries.void_batch(s, rows[0].batch_id, f"U{i}", rows[0].created_at)

    assert sorted(run_at_once(4, undo)) == [0, 0, 0, 3]
    with unit_of_work(engine) as s:
        stored = s.exec(select(ActivityLog)).all()
        assert len(stored) == 3
        assert len({r.voided_by for r in stored}) == 1  # one undo won, for every row


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


# -- logs_for ---------------------------------------------------------------------------------


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


# -- team-wide reads --------------------------------------------------------------------------


def test_team_totals_are_sums_per_rep_and_kpi_without_voided_logs(session, ws, data):
    assert log_queries.team_totals(session, ws.id, REPS, TUE, TUE) == {
        SDR1: {"calls": 60, "conversations": 3, "meetings_scheduled": 2},
        SDR2: {"calls": 50, "conversations": 12, "meetings_scheduled": 2, "sao": 1},
        AE1: {"meetings_held": 3, "proposals": 1},
        AE2: {"meetings_held": 1, "roi_discussions": 2, "calls": 4},
    }
    week = log_queries.team_totals(session, ws.id, [SDR1, SDR3], LAST_WEEK.start, LAST_WEEK.end)
    assert week == {
        SDR1: {"calls": 150, "conversations": 30, "meetings_scheduled": 4},
        SDR3: {"calls": 150, "conversations": 60, "meetings_scheduled": 4},  # Mon and Sun count
    }


def test_team_totals_are_scoped_to_the_workspace_and_the_reps_asked_for(
    session, ws, other_ws, data
):
    assert log_queries.team_totals(session, ws.id, [SDR1, MGR], TUE, TUE) == {
        SDR1: {"calls": 60, "conversations": 3, "meetings_scheduled": 2},
        MGR: {"calls": 99},
    }
    other, _ = other_ws
    assert log_queries.team_totals(session, other.id, REPS, TUE, TUE) == {SDR1: {"calls": 500}}
    assert log_queries.team_totals(session, ws.id, ["UNOBODY"], TUE, TUE) == {}


def test_team_totals_is_one_group_by_and_no_query_for_nobody(engine, session, ws, data):
    with Statements(engine) as sql:
        log_queries.team_totals(session, ws.id, REPS, OCTOBER.start, OCTOBER.end)
        assert log_queries.team_totals(session, ws.id, [], OCTOBER.start, OCTOBER.end) == {}
    assert len(sql) == 1
    assert "group by" in sql.statements[0].lower() and " in " in sql.statements[0].lower()


def test_team_daily_totals_are_per_rep_kpi_and_day(session, ws, data):
    daily = log_queries.team_daily_totals(session, ws.id, [SDR3, SDR1], MON, WED)
    assert daily == {
        (SDR3, "calls", MON): 25,
        (SDR3, "calls", WED): 7,
        (SDR1, "calls", TUE): 60,
        (SDR1, "conversations", TUE): 3,
        (SDR1, "meetings_scheduled", TUE): 2,
    }
    assert all(type(day) is date for _, _, day in daily)


def test_team_period_totals_put_each_log_in_its_period(engine, session, ws, data):
    with Statements(engine) as sql:
        last, before = log_queries.team_period_totals(
            session,
            ws.id,
            REPS,
            [(LAST_WEEK.start, LAST_WEEK.end), (WEEK_BEFORE.start, WEEK_BEFORE.end)],
        )
    assert len(sql) == 1
    assert last == log_queries.team_totals(session, ws.id, REPS, LAST_WEEK.start, LAST_WEEK.end)
    assert before == log_queries.team_totals(
        session, ws.id, REPS, WEEK_BEFORE.start, WEEK_BEFORE.end
    )
    assert before[SDR1] == {"calls": 300, "conversations": 60, "meetings_scheduled": 8}
    # ranges with a gap between them: logs in the gap count nowhere
    july, october = log_queries.team_period_totals(
        session,
        ws.id,
        [AE1, AE2],
        [(date(2026, 7, 1), date(2026, 7, 31)), (OCTOBER.start, OCTOBER.end)],
    )
    assert july == {AE1: {"deals": 5}, AE2: {"deals": 3}}
    assert october == {AE1: {"deals": 4}, AE2: {"deals": 2}}  # AE2's August and September: nowhere
    # overlapping ranges: a log counts in each
    week, day, monday = log_queries.team_period_totals(
        session, ws.id, [SDR3], [(MON, WED), (TUE, TUE), (MON, MON)]
    )
    assert (week, day, monday) == ({SDR3: {"calls": 32}}, {}, {SDR3: {"calls": 25}})
    with pytest.raises(ValueError, match="before start"):
        log_queries.team_period_totals(session, ws.id, REPS, [(WED, MON)])
    assert log_queries.team_period_totals(session, ws.id, REPS, []) == []


def test_a_very_long_list_of_reps_is_split_into_several_statements(
    monkeypatch, engine, session, ws, data
):
    whole = log_queries.team_totals(session, ws.id, REPS, MON, WED)
    weeks = log_queries.team_period_totals(
        session, ws.id, REPS, [(LAST_WEEK.start, LAST_WEEK.end), (MON, WED)]
    )
    monkeypatch.setattr(log_queries, "MAX_IN", 4)
    with Statements(engine) as sql:
        assert log_queries.team_totals(session, ws.id, REPS, MON, WED) == whole
        assert (
            log_queries.team_period_totals(
                session, ws.id, REPS, [(LAST_WEEK.start, LAST_WEEK.end), (MON, WED)]
            )
            == weeks
        )
        assert log_queries.reps_with_logs_on(session, ws.id, REPS, TUE) == {SDR1, SDR2, AE1, AE2}
    # 5 reps: 4 + 1 per statement; two periods share the 4: 2 + 2 + 1
    assert len(sql) == 2 + 3 + 2


def test_reps_with_logs_on_a_day_count_only_what_was_not_undone(session, ws, data):
    assert log_queries.reps_with_logs_on(session, ws.id, REPS + [GONE], TUE) == {
        SDR1,
        SDR2,
        AE1,
        AE2,
        GONE,
    }
    assert log_queries.reps_with_logs_on(session, ws.id, REPS, MON) == {SDR3}
    assert log_queries.reps_with_logs_on(session, ws.id, [], MON) == set()
