"""rituals/activity.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
/log's rules and storage, exactly once per Slack trigger, undo (also when requests race).

The clock is Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working day gone."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from rituals import activity, scorecard
from rituals.activity import LogItem, LogRequest
from rituals.refusals import Refusal
from storage import db, log_queries
from storage.models import ActivityLog
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
from tests.storage.support import NOW, TODAY, add_member, make_batch, run_at_once


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)


def test_a_log_is_stored_on_the_reps_local_date(engine, session, ws, team, people):
    # 03:00 UTC on Wednesday is still Tuesday evening in New York
    late = NOW.replace(hour=3) + timedelta(days=1)
    recorded = log(session, REP, {"calls": 12, "conversations": 2}, trigger="T1", now=late)
    session.commit()  # as the request's unit of work does
    assert not recorded.duplicate and not recorded.credited
    assert recorded.occurred_on == TODAY
    with db.session(engine) as other:
        rows = log_queries.logs_by_trigger(other, ws.id, "T1")
    assert [(r.kpi, r.count, r.rep_id, r.entered_by, r.team_id) for r in rows] == [
        ("calls", 12, REP, REP, team.id),
        ("conversations", 2, REP, REP, team.id),
    ]
    assert {r.occurred_on for r in rows} == {TODAY}
    assert len({r.batch_id for r in rows}) == 1


def test_a_duplicate_trigger_is_counted_once(session, ws, people):
    first = log(session, REP, {"calls": 30}, trigger="T1")
    again = log(session, REP, {"calls": 30}, trigger="T1")
    assert (first.duplicate, again.duplicate) == (False, True)
    assert [r.id for r in again.rows] == [r.id for r in first.rows]
    assert log_queries.count_logs(session, ws.id) == 1
    assert lines(build(session, ws, "day"))["calls"].actual == 30


def test_a_refused_log_stores_nothing(session, ws, people):
    with pytest.raises(Refusal):
        log(session, REP, {"calls": 5, "deals": 1}, trigger="T1")  # deals: not on an SDR card
    with pytest.raises(Refusal):
        log(session, OUTSIDER, {"calls": 5}, trigger="T2", rep=OUTSIDER)
    with pytest.raises(Refusal):
        log(session, REP, {"calls": 5}, trigger="T3", on=TODAY + timedelta(days=1))
    assert log_queries.count_logs(session) == 0


def test_racing_deliveries_of_one_log_record_it_once(engine, ws, people):
    barrier = threading.Barrier(4)
    results, errors = [None] * 4, []

    def deliver(i):
        try:
            with unit_of_work(engine) as s:
                actor = actor_for(s, REP)
                barrier.wait(timeout=10)
                request = LogRequest([LogItem("calls", 7)], rep_id=REP, trigger_id="RETRY")
                results[i] = activity.record_activity(s, actor, request, NOW)
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert len({r.rows[0].batch_id for r in results}) == 1
    with db.session(engine) as s:
        assert log_queries.count_logs(s) == 1
        assert log_queries.kpi_totals(s, ws.id, REP, TODAY, TODAY) == {"calls": 7}


def test_undo_voids_the_last_log_and_keeps_it(engine, session, ws, people):
    log(session, REP, {"calls": 30}, trigger="T1")
    log(
        session, REP, {"conversations": 5, "calls": 4}, trigger="T2", now=NOW + timedelta(minutes=1)
    )
    later = NOW + timedelta(minutes=2)
    undone = activity.undo_last(session, actor_for(session, REP), later)
    assert sorted((r.kpi, r.count) for r in undone) == [("calls", 4), ("conversations", 5)]
    assert lines(build(session, ws, "day"))["calls"].actual == 30
    assert lines(build(session, ws, "day"))["conversations"].actual == 0
    session.commit()  # as the request's unit of work does

    with db.session(engine) as other:
        rows = other.exec(select(ActivityLog).order_by(ActivityLog.id)).all()
        assert [(r.kpi, r.voided_by) for r in rows] == [
            ("calls", None),
            ("conversations", REP),
            ("calls", REP),
        ]
        basis = scorecard.basis(other, ws.id, REP, "conversations", build(other, ws, "day").period)
        assert [(r.count, r.voided_at is not None) for r in basis] == [(5, True)]

    # the next undo takes the log before; then there is nothing left
    assert [r.trigger_id for r in activity.undo_last(session, actor_for(session, REP), later)] == [
        "T1"
    ]
    with pytest.raises(Refusal, match="nothing you logged left"):
        activity.undo_last(session, actor_for(session, REP), later)
    assert log_queries.count_logs(session) == 3


def test_undo_that_loses_a_race_changes_nothing(engine, session, ws, people, monkeypatch):
    """Two /log undo requests read the same last batch; the other one voids it in between."""
    log(session, REP, {"calls": 30}, trigger="T1")
    log(session, REP, {"calls": 4}, trigger="T2", now=NOW + timedelta(minutes=1))
    session.commit()  # as the request's unit of work does
    real_last_batch = log_queries.last_batch

    def last_batch_then_other_request_undoes(s, workspace_id, entered_by):
        rows = real_last_batch(s, workspace_id, entered_by)
        with unit_of_work(engine) as other:
            log_queries.void_batch(other, rows[0].batch_id, entered_by, NOW)
        return rows

    monkeypatch.setattr(log_queries, "last_batch", last_batch_then_other_request_undoes)
    with pytest.raises(Refusal, match="just undone"):
        activity.undo_last(session, actor_for(session, REP), NOW + timedelta(minutes=2))
    monkeypatch.undo()
    assert lines(build(session, ws, "day"))["calls"].actual == 30  # T1 untouched


def test_a_managers_undo_does_not_touch_the_reps_own_logs(session, ws, people):
    log(session, REP, {"calls": 10}, trigger="T1")
    credited = log(session, MANAGER, {"sao": 1}, trigger="T2", now=NOW + timedelta(minutes=1))
    assert credited.credited
    log(session, REP, {"calls": 5}, trigger="T3", now=NOW + timedelta(minutes=2))
    undone = activity.undo_last(session, actor_for(session, MANAGER), NOW + timedelta(minutes=3))
    assert [(r.kpi, r.rep_id, r.entered_by) for r in undone] == [("sao", REP, MANAGER)]
    assert log_queries.kpi_totals(session, ws.id, REP, TODAY, TODAY) == {"calls": 15}


def test_the_same_undo_delivered_at_once_voids_one_batch(engine, session, ws, team):
    """Slack's retry of `/log undo` arriving together with the original: one log is undone."""
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
