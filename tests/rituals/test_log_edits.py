"""rituals/log_edits.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
voiding and correcting one log from the Home tab. Who may; a voided log can't be voided or edited
again; a correction voids the old log and stores the new one in one transaction (or writes
nothing), once per key; an undo after it brings the original back; every refusal changes nothing.

The clock is Tuesday 24 Nov 2026, 11:00 in New York."""

from datetime import timedelta

import pytest
from sqlmodel import select

from rituals import activity, log_edits, teams
from rituals.activity import LogItem, LogRequest
from rituals.refusals import (
    AlreadyVoided,
    CountAboveLimit,
    CountBelowOne,
    KpiDropped,
    LogNotFound,
    NoLongerRep,
    NotYourLog,
    SameCount,
    TooFarBack,
)
from storage import db, log_queries, people_queries
from storage.models import ActivityLog, SalesTeam
from storage.unit_of_work import unit_of_work
from tests.rituals.activity_support import (
    MANAGER,
    REP,
    SLACK_TEAM,
    actor_for,
    add_people,
    log,
)
from tests.storage.support import NOW, TODAY, add_member, make_log

LATER = NOW + timedelta(minutes=5)
OTHER_REP, AE, ADMIN, OTHER_MANAGER = "U_REP2", "U_AE", "U_ADMIN", "U_MGR2"


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    add_member(session, ws, team, OTHER_REP, "sdr")
    add_member(session, ws, team, AE, "ae")
    elsewhere = SalesTeam(workspace_id=ws.id, name="Elsewhere", created_at=NOW)
    session.add(elsewhere)
    session.commit()
    add_member(session, ws, elsewhere, OTHER_MANAGER, None, is_manager=True)


def logged(session, user_id, count, trigger, *, kpi="calls", rep=REP, note="") -> ActivityLog:
    """One log through /log's own path (record_activity), committed."""
    request = LogRequest([LogItem(kpi, count)], rep_id=rep, note=note, trigger_id=trigger)
    [row] = activity.record_activity(session, actor_for(session, user_id), request, NOW).rows
    session.commit()
    return row


def stored(engine) -> list[tuple[int, str, int, bool]]:
    """Every log as another request sees it: (id, rep, count, still counts)."""
    with db.session(engine) as other:
        rows = other.exec(select(ActivityLog).order_by(ActivityLog.id)).all()
        return [(r.id, r.rep_id, r.count, r.voided_at is None) for r in rows]


def admin_actor(session) -> teams.Actor:
    return teams.resolve_actor(session, SLACK_TEAM, None, ADMIN, frozenset({ADMIN}), NOW)


# -- voiding ----------------------------------------------------------------------------------


def test_voiding_a_log_keeps_it_marked_and_it_stops_counting(engine, session, ws, people):
    first = logged(session, REP, 12, "T1")
    second = logged(session, REP, 5, "T2")
    # Any log of the list, not only the last one.
    row = log_edits.void_log(session, actor_for(session, REP), first.id, LATER)
    session.commit()
    assert (row.id, row.count, row.voided_at, row.voided_by) == (first.id, 12, LATER, REP)
    assert stored(engine) == [(first.id, REP, 12, False), (second.id, REP, 5, True)]
    assert log_queries.kpi_totals(session, ws.id, REP, TODAY, TODAY) == {"calls": 5}
    assert [r.id for r in log_edits.recent_logs(session, ws.id, REP)] == [second.id]


def test_a_voided_log_cannot_be_voided_or_edited_again(engine, session, ws, people):
    row = logged(session, REP, 12, "T1")
    log_edits.void_log(session, actor_for(session, REP), row.id, LATER)
    session.commit()
    with pytest.raises(AlreadyVoided) as again:
        log_edits.void_log(session, actor_for(session, REP), row.id, LATER + timedelta(hours=1))
    refusal = again.value
    assert (refusal.count, refusal.kpi_name, refusal.occurred_on) == (12, "Calls / Emails", TODAY)
    assert refusal.voided_at == LATER and refusal.voided_at.utcoffset() == timedelta(hours=-5)
    assert (refusal.voided_by, refusal.by_you, refusal.tried) == (REP, True, "void")
    with pytest.raises(AlreadyVoided) as edited:
        log_edits.correct_log(session, actor_for(session, MANAGER), row.id, 10, LATER, key="V1")
    assert (edited.value.by_you, edited.value.tried) == (False, "edit")
    assert stored(engine) == [(row.id, REP, 12, False)]
    assert log_queries.get_log(session, row.id).voided_at == LATER  # the first void stands


# -- who may ----------------------------------------------------------------------------------


def test_only_who_entered_a_log_a_manager_of_the_reps_team_or_an_admin_may_change_it(
    engine, session, ws, people
):
    rows = [logged(session, REP, n, f"T{n}") for n in (11, 12)]
    for stranger in (OTHER_REP, OTHER_MANAGER):  # another rep; a manager of another team
        with pytest.raises(NotYourLog) as refused:
            log_edits.void_log(session, actor_for(session, stranger), rows[0].id, LATER)
        assert refused.value.verb == "void"
        with pytest.raises(NotYourLog) as refused:
            log_edits.correct_log(
                session, actor_for(session, stranger), rows[0].id, 9, LATER, key="V0"
            )
        assert refused.value.verb == "edit"
    assert all(counts for *_, counts in stored(engine))  # nothing changed
    log_edits.void_log(session, actor_for(session, MANAGER), rows[0].id, LATER)
    fixed = log_edits.correct_log(session, admin_actor(session), rows[1].id, 2, LATER, key="V1")
    session.commit()
    assert log_queries.get_log(session, rows[0].id).voided_by == MANAGER
    assert (fixed.new.entered_by, fixed.new.rep_id, fixed.old.voided_by) == (ADMIN, REP, ADMIN)


def test_a_credit_may_be_changed_by_who_entered_it_only_while_the_rep_is_still_theirs(
    engine, session, ws, team, people
):
    first = logged(session, AE, 1, "C1", kpi="sao")  # the AE records an SDR's SAOs
    second = logged(session, AE, 2, "C2", kpi="sao")
    fixed = log_edits.correct_log(session, actor_for(session, AE), first.id, 3, LATER, key="V1")
    session.commit()
    assert (fixed.new.count, fixed.new.rep_id, fixed.new.entered_by) == (3, REP, AE)
    with pytest.raises(NotYourLog):  # the rep didn't enter it
        log_edits.void_log(session, actor_for(session, REP), second.id, LATER)
    rep = people_queries.get_member(session, ws.id, REP)
    rep.active = False  # the rep leaves the team
    people_queries.save_member(session, rep)
    session.commit()
    with pytest.raises(NoLongerRep) as refused:
        log_edits.void_log(session, actor_for(session, AE), second.id, LATER)
    assert (refused.value.rep_id, refused.value.verb) == (REP, "void")
    assert log_queries.get_log(session, second.id).voided_at is None
    log_edits.void_log(session, actor_for(session, MANAGER), second.id, LATER)  # a manager may
    assert log_queries.get_log(session, second.id).voided_by == MANAGER


def test_a_log_of_another_workspace_or_none_at_all_is_not_found(session, ws, people):
    elsewhere = people_queries.workspace_for(session, "T0OTHER01", None, NOW)
    their_team = people_queries.default_team(session, elsewhere.id, NOW)
    theirs = make_log(elsewhere, their_team, rep_id=REP, count=4)
    session.add(theirs)
    session.commit()
    for log_id in (theirs.id, theirs.id + 1000):
        with pytest.raises(LogNotFound):
            log_edits.void_log(session, actor_for(session, REP), log_id, LATER)
        with pytest.raises(LogNotFound):
            log_edits.correct_log(session, actor_for(session, REP), log_id, 5, LATER, key="V1")
    assert log_queries.get_log(session, theirs.id).voided_at is None


# -- correcting -------------------------------------------------------------------------------


def test_a_correction_voids_the_old_log_and_stores_the_new_one_in_one_transaction(
    engine, session, ws, team, people
):
    old = logged(session, REP, 12, "T1", note="from the road")
    before = stored(engine)
    log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    assert stored(engine) == before  # not committed: another request sees neither change
    session.rollback()
    assert stored(engine) == before  # rolled back: neither happened
    fixed = log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    session.commit()
    new = fixed.new
    assert not fixed.duplicate and fixed.old.id == old.id
    assert stored(engine) == [(old.id, REP, 12, False), (new.id, REP, 10, True)]
    assert (fixed.old.voided_at, fixed.old.voided_by) == (LATER, REP)
    assert (new.rep_id, new.kpi, new.occurred_on, new.note) == (
        REP,
        "calls",
        TODAY,
        "from the road",
    )
    assert (new.entered_by, new.source, new.trigger_id, new.replaces_id) == (
        REP,
        "modal",
        "V1",
        old.id,
    )
    assert (new.team_id, new.created_at) == (team.id, LATER)
    assert new.batch_id != old.batch_id  # its own batch: an undo takes back the correction only
    assert log_queries.kpi_totals(session, ws.id, REP, TODAY, TODAY) == {"calls": 10}


def test_the_same_correction_delivered_twice_corrects_once(engine, session, ws, people):
    old = logged(session, REP, 12, "T1")
    first = log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    session.commit()
    again = log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    assert again.duplicate and again.new.id == first.new.id
    assert len(stored(engine)) == 2


def test_a_key_already_stored_writes_nothing_not_even_the_void(engine, session, ws, people):
    """The same form submitted for another log (a key this very request stored a moment ago):
    the second log is neither voided nor replaced, the two writes go together or not at all."""
    a = logged(session, REP, 12, "T1")
    b = logged(session, REP, 7, "T2")
    first = log_edits.correct_log(session, actor_for(session, REP), a.id, 10, LATER, key="V1")
    session.commit()
    answer = log_edits.correct_log(session, actor_for(session, REP), b.id, 8, LATER, key="V1")
    session.commit()
    assert answer.duplicate and answer.new.id == first.new.id
    assert answer.old.id == b.id and answer.old.voided_at is None
    assert (b.id, REP, 7, True) in stored(engine) and len(stored(engine)) == 3


def test_a_log_voided_meanwhile_is_not_corrected(engine, session, ws, people, monkeypatch):
    """Another request voids the log between this one's checks and its writes."""
    old = logged(session, REP, 12, "T1")
    checked = log_edits.check_date

    def check_then_manager_voids(*args, **kw):
        checked(*args, **kw)
        with unit_of_work(engine) as other:
            row = log_queries.get_log(other, old.id)
            assert log_queries.void_log(other, row, MANAGER, NOW + timedelta(minutes=1))

    monkeypatch.setattr(log_edits, "check_date", check_then_manager_voids)
    with pytest.raises(AlreadyVoided) as refused:
        log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    session.commit()
    assert (refused.value.voided_by, refused.value.by_you, refused.value.tried) == (
        MANAGER,
        False,
        "edit",
    )
    assert stored(engine) == [(old.id, REP, 12, False)]  # no new log


def test_a_correction_is_checked_before_anything_is_written(engine, session, ws, team, people):
    row = logged(session, REP, 12, "T1")
    old = make_log(ws, team, rep_id=REP, count=3, occurred_on=TODAY - timedelta(days=20))
    dropped = make_log(ws, team, rep_id=REP, kpi="dials", count=4)
    session.add_all([old, dropped])
    session.commit()
    before = stored(engine)
    actor = actor_for(session, REP)
    for log_id, count, refusal in [
        (row.id, 12, SameCount),
        (row.id, 0, CountBelowOne),
        (row.id, 501, CountAboveLimit),
        (old.id, 4, TooFarBack),  # outside the 14-day backdating window
        (dropped.id, 5, KpiDropped),  # a KPI the process no longer has
    ]:
        with pytest.raises(refusal):
            log_edits.correct_log(session, actor, log_id, count, LATER, key=f"V{log_id}{count}")
    assert stored(engine) == before
    log_edits.void_log(session, actor, dropped.id, LATER)  # such a log can still be voided
    session.commit()
    assert (dropped.id, REP, 4, False) in stored(engine)


def test_undo_after_a_correction_brings_the_original_back(engine, session, ws, people):
    old = logged(session, REP, 12, "T1")
    fixed = log_edits.correct_log(session, actor_for(session, REP), old.id, 10, LATER, key="V1")
    session.commit()
    undone = activity.undo_last(session, actor_for(session, REP), LATER + timedelta(minutes=1))
    session.commit()
    assert [r.id for r in undone] == [fixed.new.id]
    assert stored(engine) == [(old.id, REP, 12, True), (fixed.new.id, REP, 10, False)]
    assert log_queries.kpi_totals(session, ws.id, REP, TODAY, TODAY) == {"calls": 12}


def test_recent_logs_are_the_newest_still_counting_that_this_person_entered(session, ws, people):
    mine = [
        log(session, REP, {"calls": n}, trigger=f"T{n}", now=NOW + timedelta(minutes=n))
        for n in range(1, 8)
    ]
    credit = log(session, MANAGER, {"sao": 1}, trigger="C1", now=NOW + timedelta(minutes=9))
    session.commit()
    log_edits.void_log(session, actor_for(session, REP), mine[-1].rows[0].id, LATER)
    newest = [r.count for r in log_edits.recent_logs(session, ws.id, REP)]
    assert newest == [6, 5, 4, 3, 2]  # the voided 7 left out, 5 at most
    assert [r.count for r in log_edits.recent_logs(session, ws.id, REP, limit=2)] == [6, 5]
    assert [r.id for r in log_edits.recent_logs(session, ws.id, MANAGER)] == [credit.rows[0].id]
