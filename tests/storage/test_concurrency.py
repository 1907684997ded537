"""Writers at once, each in its own unit of work as concurrent Slack requests have: nothing lost,
nothing stored twice, on SQLite (WAL + busy timeout) and PostgreSQL."""

from collections import Counter

from sqlmodel import select

from storage import log_queries
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY, make_batch, run_at_once

THREADS, BATCHES = 8, 50


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


def test_the_same_undo_delivered_at_once_voids_one_batch(engine, session, ws, team):
    """Slack's retry of `/log undo` arriving together with the original: one log is undone."""
    from datetime import timedelta

    from rituals import activity
    from tests.storage.support import add_member
    from tests.storage.test_domain import REP, actor_for

    add_member(session, ws, team, REP, "sdr")
    first = make_batch(ws, team, {"calls": 4}, rep_id=REP, entered_by=REP, trigger_id="older")
    second = make_batch(ws, team, {"calls": 6}, rep_id=REP, entered_by=REP, trigger_id="newer")
    second[0].created_at = first[0].created_at + timedelta(minutes=1)
    with unit_of_work(engine) as s:
        assert log_queries.insert_logs(s, first) and log_queries.insert_logs(s, second)

    def undo(_):
        with unit_of_work(engine) as s:
            rows = activity.undo_last(
                s, actor_for(s, REP), second[0].created_at, trigger_id="undo-1"
            )
            return rows[0].batch_id

    assert set(run_at_once(4, undo)) == {second[0].batch_id}
    with unit_of_work(engine) as s:
        assert log_queries.kpi_totals(s, ws.id, REP, TODAY, TODAY) == {"calls": 4}


def test_racing_goal_changes_both_land(engine, ws, team):
    """Two managers change different goals at the same moment: neither change is lost."""
    from rituals import teams
    from rituals.process import Goal

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
