"""The domain layer on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
/log through rituals.activity, undo, and the scorecard's numbers from what was stored.

The clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process's timezone): a quarter
of the working day and a quarter of the working week (Mon 23 - Sun 29) have passed."""

import threading
from datetime import date, timedelta

import pytest
from sqlmodel import select

from rituals import activity, scorecard, teams
from rituals.activity import LogItem, LogRequest
from rituals.pacing import STATUS_BEHIND, STATUS_ON_PACE
from rituals.refusals import Refusal
from storage import db, log_queries
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY, add_member

SLACK_TEAM = "T0001"
REP, MANAGER, OUTSIDER = "U_REP", "U_MGR", "U_OUT"
MONDAY = date(2026, 11, 23)


def actor_for(session, user_id: str) -> teams.Actor:
    return teams.resolve_actor(session, SLACK_TEAM, None, user_id, frozenset(), NOW)


@pytest.fixture
def people(session, ws, team):
    add_member(session, ws, team, REP, "sdr")
    add_member(session, ws, team, MANAGER, None, is_manager=True)


def log(session, user_id, items, *, trigger, rep=REP, on=None, now=NOW):
    request = LogRequest(
        items=[LogItem(k, c) for k, c in items.items()],
        rep_id=rep,
        occurred_on=on,
        trigger_id=trigger,
    )
    return activity.record_activity(session, actor_for(session, user_id), request, now)


def lines(card) -> dict:
    return {line.kpi.key: line.pacing for line in card.lines}


def build(session, ws, kind):
    actor = actor_for(session, REP)
    period = scorecard.period_for(actor.process, kind, NOW)
    return scorecard.build_scorecard(session, ws.id, actor.process, actor.member, period, NOW)


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


def test_the_scorecard_numbers(session, ws, people):
    log(session, REP, {"calls": 30}, trigger="T1")
    log(session, REP, {"calls": 30}, trigger="T1")  # Slack's retry: counted once
    log(session, REP, {"conversations": 5}, trigger="T2", now=NOW + timedelta(seconds=1))
    activity.undo_last(session, actor_for(session, REP), NOW + timedelta(seconds=2))
    log(session, REP, {"meetings_scheduled": 2}, trigger="T3", on=MONDAY)  # backdated
    log(session, MANAGER, {"sao": 1}, trigger="T4")  # a manager credits the rep

    day = lines(build(session, ws, "day"))
    assert list(day) == ["calls", "conversations", "meetings_scheduled", "sao"]
    # calls: 30 of 60/day with a quarter of the day gone: expected 15, pace 200%
    calls = day["calls"]
    assert (calls.actual, calls.goal, calls.elapsed) == (30, 60, 0.25)
    assert calls.expected == pytest.approx(15)
    assert calls.pace == pytest.approx(2.0)
    assert calls.attainment == pytest.approx(0.5)
    assert calls.projection == pytest.approx(120)
    assert calls.status == STATUS_ON_PACE
    # conversations: the undone 5 do not count
    assert (day["conversations"].actual, day["conversations"].status) == (0, STATUS_BEHIND)
    # the backdated meetings count on Monday, not today
    assert day["meetings_scheduled"].actual == 0
    assert day["sao"].actual == 1

    week = lines(build(session, ws, "week"))
    assert (week["calls"].actual, week["calls"].goal) == (30, 300)
    assert week["calls"].pace == pytest.approx(30 / 75)
    assert week["calls"].status == STATUS_BEHIND
    meetings = week["meetings_scheduled"]
    assert (meetings.actual, meetings.goal) == (2, 8)
    assert meetings.pace == pytest.approx(1.0)
    assert meetings.status == STATUS_ON_PACE
    assert week["conversations"].actual == 0

    month = lines(build(session, ws, "month"))
    # November 2026 has 21 working days; 16 and a quarter of them have passed
    assert month["sao"].actual == 1
    assert month["sao"].goal == 6
    assert month["sao"].elapsed == pytest.approx(16.25 / 21)
    assert month["calls"].goal == 60 * 21


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
