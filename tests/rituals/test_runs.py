"""Exactly-once ritual runs (rituals/runs.py) on SQLite and PostgreSQL: one winner per run
whatever races, failed runs retried up to a limit, stale claims taken over once, progress that
survives a restart, and posted runs never touched again. Each step of a clock is its own unit of
work, as bot/delivery/runner.py opens them; a single test session sees its own steps."""

from datetime import timedelta

import pytest
from sqlmodel import select

from rituals import runs
from rituals.runs import ClaimLost, claim, fail, finish, last_runs, progress, skip
from rituals.schedule import Occurrence
from storage import db
from storage.models import RitualRun, SalesTeam
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, run_at_once

DAILY = Occurrence("daily", NOW, "2026-11-24")
LATER = NOW + timedelta(minutes=11)  # past the default stale_after of 10 minutes


def _claim(session, ws, team, occurrence=DAILY, *, now=NOW, owner="clock-a", **kw):
    return claim(
        session,
        workspace_id=ws.id,
        team_id=team.id,
        occurrence=occurrence,
        now=now,
        owner=owner,
        **kw,
    )


# -- claiming ---------------------------------------------------------------------------------


def test_claim_records_the_run_before_anything_is_posted(session, ws, team):
    run = _claim(session, ws, team)
    assert run is not None and run.id is not None
    stored = runs.get_run(session, team.id, "daily", "2026-11-24")
    assert (stored.status, stored.attempts, stored.claimed_by) == ("claimed", 1, "clock-a")
    assert stored.due_at == NOW and stored.claimed_at == NOW
    assert (stored.parts_done, stored.message_ts, stored.finished_at) == (0, None, None)


def test_the_same_occurrence_claimed_twice_runs_once(engine, ws, team):
    with unit_of_work(engine) as first:
        assert _claim(first, ws, team, owner="clock-a") is not None
    with unit_of_work(engine) as second:
        assert _claim(second, ws, team, owner="clock-b") is None
    with unit_of_work(engine) as first:
        assert _claim(first, ws, team, owner="clock-a") is None  # a restart of the same clock
    with db.session(engine) as s:
        assert s.exec(select(RitualRun)).one().claimed_by == "clock-a"


def test_other_periods_kinds_and_teams_are_separate_runs(session, ws, team):
    other_team = SalesTeam(workspace_id=ws.id, name="Other", created_at=NOW)
    session.add(other_team)
    session.commit()
    assert _claim(session, ws, team) is not None
    assert _claim(session, ws, team, Occurrence("daily", NOW, "2026-11-25")) is not None
    assert _claim(session, ws, team, Occurrence("nudge", NOW, "2026-11-24")) is not None
    assert _claim(session, ws, other_team) is not None


def test_clocks_racing_for_one_run_get_one_winner(engine, ws, team):
    for round_ in range(3):
        occurrence = Occurrence("leaderboard", NOW, f"2026-11-24T1{round_}:00", ("calls",))

        def clock(i, occurrence=occurrence):
            with unit_of_work(engine) as s:
                run = _claim(s, ws, team, occurrence, owner=f"clock-{i}")
                return None if run is None else run.claimed_by

        winners = [w for w in run_at_once(8, clock) if w is not None]
        assert len(winners) == 1
        with db.session(engine) as s:
            assert runs.get_run(s, team.id, "leaderboard", occurrence.period_key).claimed_by in (
                winners
            )


# -- failures and retries ---------------------------------------------------------------------


def test_a_failed_run_is_reclaimed_and_attempts_count_up_to_the_limit(session, ws, team):
    now = NOW
    for attempt in (1, 2, 3):
        run = _claim(session, ws, team, now=now, max_attempts=3, owner=f"clock-{attempt}")
        assert run is not None and run.attempts == attempt and run.status == "claimed"
        assert run.claimed_by == f"clock-{attempt}" and run.claimed_at == now
        assert fail(session, run, f"HTTP 500 on try {attempt}", now)
        stored = runs.get_run(session, team.id, "daily", "2026-11-24")
        assert (stored.status, stored.error, stored.finished_at) == (
            "failed",
            f"HTTP 500 on try {attempt}",
            now,
        )
        now += timedelta(minutes=1)
    assert _claim(session, ws, team, now=now, max_attempts=3) is None  # given up
    assert _claim(session, ws, team, now=now, max_attempts=4).attempts == 4  # a higher limit


def test_the_error_is_truncated(session, ws, team):
    run = _claim(session, ws, team)
    fail(session, run, "x" * 10_000, NOW)
    error = runs.get_run(session, team.id, "daily", "2026-11-24").error
    assert len(error) == runs.MAX_ERROR_LEN and error.endswith("…")


def test_a_running_claim_is_left_alone_until_it_is_stale(session, ws, team):
    assert _claim(session, ws, team, owner="clock-a") is not None
    assert _claim(session, ws, team, now=NOW + timedelta(minutes=9), owner="clock-b") is None
    taken = _claim(session, ws, team, now=LATER, owner="clock-b")
    assert taken is not None and (taken.attempts, taken.claimed_by) == (2, "clock-b")
    assert taken.claimed_at == LATER
    # and the new claim is fresh again
    assert _claim(session, ws, team, now=LATER + timedelta(minutes=1), owner="clock-c") is None
    custom = _claim(
        session, ws, team, now=LATER + timedelta(minutes=2), owner="c", stale_after=timedelta(0)
    )
    assert custom is not None and custom.attempts == 3


def test_a_stale_run_is_reclaimed_once_by_one_of_two_racing_clocks(engine, ws, team):
    with unit_of_work(engine) as s:
        assert _claim(s, ws, team, owner="dead-clock") is not None

    for round_ in range(3):
        now = LATER + timedelta(minutes=11 * round_)

        def clock(i, now=now, round_=round_):
            with unit_of_work(engine) as s:
                run = _claim(s, ws, team, now=now, owner=f"clock-{round_}-{i}")
                return None if run is None else run.claimed_by

        winners = [w for w in run_at_once(2, clock) if w is not None]
        assert len(winners) == 1
        with db.session(engine) as s:
            stored = runs.get_run(s, team.id, "daily", "2026-11-24")
            assert (stored.claimed_by, stored.attempts) == (winners[0], round_ + 2)


def test_reclaiming_is_a_compare_and_set(session, ws, team, monkeypatch):
    """Two clocks read the same stale row; the first re-claims it; the second's UPDATE, still
    guarded by what it read, changes nothing."""
    _claim(session, ws, team, owner="dead-clock")
    snapshot = runs.get_run(session, team.id, "daily", "2026-11-24")
    session.expunge(snapshot)  # what the second clock read, before the first one wrote
    assert _claim(session, ws, team, now=LATER, owner="clock-a").attempts == 2

    monkeypatch.setattr(runs, "get_run", lambda *args: snapshot)
    assert _claim(session, ws, team, now=LATER, owner="clock-b") is None
    monkeypatch.undo()
    stored = runs.get_run(session, team.id, "daily", "2026-11-24")
    assert (stored.claimed_by, stored.attempts) == ("clock-a", 2)


def test_a_stale_run_past_its_attempts_is_not_reclaimed(session, ws, team):
    _claim(session, ws, team, owner="dead-clock", max_attempts=1)
    assert _claim(session, ws, team, now=LATER, max_attempts=1) is None


# -- progress, resuming and the fence ---------------------------------------------------------


def test_progress_survives_a_restart(database, engine, ws, team):
    first_engine = database.make_engine()
    with unit_of_work(first_engine) as s:
        run = _claim(s, ws, team, owner="clock-a")
    with unit_of_work(first_engine) as s:
        progress(s, run, parts_done=1, channel_id="C123", message_ts="1700000000.000100")
    with unit_of_work(first_engine) as s:
        progress(s, run, parts_done=2)  # a thread reply: channel and ts stay
    assert (run.parts_done, run.message_ts) == (2, "1700000000.000100")
    first_engine.dispose()  # the clock dies here, before finishing

    restarted = database.make_engine()
    with unit_of_work(restarted) as s:
        assert _claim(s, ws, team, now=NOW + timedelta(minutes=5), owner="clock-b") is None
    with unit_of_work(restarted) as s:
        resumed = _claim(s, ws, team, now=LATER, owner="clock-b")
    assert resumed is not None
    assert (resumed.parts_done, resumed.channel_id, resumed.message_ts) == (
        2,
        "C123",
        "1700000000.000100",
    )
    assert resumed.attempts == 2
    with unit_of_work(restarted) as s:
        progress(s, resumed, parts_done=3)
    with unit_of_work(restarted) as s:
        finish(s, resumed, LATER)
    with db.session(database.make_engine()) as s:
        done = runs.get_run(s, team.id, "daily", "2026-11-24")
        assert (done.status, done.parts_done, done.finished_at) == ("posted", 3, LATER)


def test_a_failed_run_resumes_where_it_stopped(session, ws, team):
    run = _claim(session, ws, team)
    progress(session, run, parts_done=1, channel_id="C1", message_ts="1.1")
    fail(session, run, "chart upload failed", NOW)
    again = _claim(session, ws, team, now=NOW + timedelta(minutes=1))
    assert (again.parts_done, again.message_ts, again.attempts) == (1, "1.1", 2)
    assert again.error == "chart upload failed"  # the last failure, for the status report


def test_a_clock_presumed_dead_cannot_keep_posting(engine, ws, team):
    with unit_of_work(engine) as slow:
        mine = _claim(slow, ws, team, owner="slow-clock")
    with unit_of_work(engine) as other:
        theirs = _claim(other, ws, team, now=LATER, owner="other-clock")
    assert theirs is not None
    with pytest.raises(ClaimLost), unit_of_work(engine) as slow:
        progress(slow, mine, parts_done=1)
    with pytest.raises(ClaimLost), unit_of_work(engine) as slow:
        finish(slow, mine, LATER)
    with unit_of_work(engine) as slow:
        assert fail(slow, mine, "late error", LATER) is False
    with unit_of_work(engine) as other:
        progress(other, theirs, parts_done=1, message_ts="2.2")
    with unit_of_work(engine) as other:
        finish(other, theirs, LATER)
    with pytest.raises(ClaimLost), unit_of_work(engine) as other:  # a posted run is nobody's
        progress(other, theirs, parts_done=2)
    with db.session(engine) as s:
        stored = runs.get_run(s, team.id, "daily", "2026-11-24")
        assert (stored.status, stored.parts_done, stored.error) == ("posted", 1, None)


def test_a_posted_run_is_never_claimed_again(session, ws, team):
    run = _claim(session, ws, team)
    finish(session, run, NOW)
    for later in (NOW, LATER, NOW + timedelta(days=30)):
        assert _claim(session, ws, team, now=later, stale_after=timedelta(0)) is None
    assert not skip(
        session,
        workspace_id=ws.id,
        team_id=team.id,
        occurrence=DAILY,
        reason="too late",
        now=LATER,
    )
    assert runs.get_run(session, team.id, "daily", "2026-11-24").status == "posted"


# -- skipping ---------------------------------------------------------------------------------


def _skip(session, ws, team, occurrence=DAILY, now=LATER, reason="missed by 5 h (grace 4 h)"):
    return skip(
        session,
        workspace_id=ws.id,
        team_id=team.id,
        occurrence=occurrence,
        reason=reason,
        now=now,
    )


def test_a_skipped_run_is_recorded_and_never_claimed(session, ws, team):
    assert _skip(session, ws, team)
    stored = runs.get_run(session, team.id, "daily", "2026-11-24")
    assert (stored.status, stored.error, stored.attempts) == (
        "skipped",
        "missed by 5 h (grace 4 h)",
        0,
    )
    assert _claim(session, ws, team, now=LATER) is None
    assert not _skip(session, ws, team)  # once


def test_skip_gives_up_a_failed_or_dead_run_but_not_a_running_one(session, ws, team):
    run = _claim(session, ws, team)
    assert not _skip(session, ws, team, now=NOW + timedelta(minutes=1))  # it is running
    fail(session, run, "HTTP 500", NOW)
    assert _skip(session, ws, team, reason="out of grace")
    stored = runs.get_run(session, team.id, "daily", "2026-11-24")
    assert (stored.status, stored.error) == ("skipped", "out of grace (last error: HTTP 500)")

    nudge = Occurrence("nudge", NOW, "2026-11-24")
    _claim(session, ws, team, nudge, owner="dead-clock")
    assert _skip(session, ws, team, nudge, now=LATER)
    assert runs.get_run(session, team.id, "nudge", "2026-11-24").status == "skipped"


# -- status -----------------------------------------------------------------------------------


def test_last_runs_lists_the_newest_run_of_each_ritual(session, ws, team):
    elsewhere = SalesTeam(workspace_id=ws.id, name="Elsewhere", created_at=NOW)
    session.add(elsewhere)
    session.commit()
    day = timedelta(days=1)
    # inserted out of order: the newest is the one due last, not the one written last
    for key, offset in (("2026-11-22", -2), ("2026-11-24", 0), ("2026-11-23", -1)):
        run = _claim(session, ws, team, Occurrence("daily", NOW + offset * day, key))
        finish(session, run, NOW)
    _claim(session, ws, team, Occurrence("leaderboard", NOW, "2026-11-24T12:00", ("calls",)))
    _claim(session, ws, team, Occurrence("leaderboard", NOW, "2026-11-24T16:00", ("calls",)))
    run = _claim(session, ws, team, Occurrence("weekly", NOW, "2026-W47"))
    fail(session, run, "boom", NOW)
    _skip(session, ws, team, Occurrence("nudge", NOW - day, "2026-11-23"))
    _claim(session, ws, elsewhere, Occurrence("monthly", NOW + 5 * day, "2026-11"))

    newest = last_runs(session, team.id)
    assert [(r.kind, r.period_key, r.status) for r in newest] == [
        ("daily", "2026-11-24", "posted"),
        ("weekly", "2026-W47", "failed"),
        ("leaderboard", "2026-11-24T16:00", "claimed"),  # same due time: the later row
        ("nudge", "2026-11-23", "skipped"),
    ]
    assert [r.kind for r in last_runs(session, elsewhere.id)] == ["monthly"]
    assert last_runs(session, 424242) == []


def test_retryable_lists_failed_and_stale_runs(session, ws, team):
    failed = _claim(session, ws, team, Occurrence("weekly", NOW, "2026-W47"))
    fail(session, failed, "boom", NOW)
    _claim(session, ws, team)  # running; stale from LATER on
    done = _claim(session, ws, team, Occurrence("nudge", NOW, "2026-11-24"))
    finish(session, done, NOW)
    twice = _claim(session, ws, team, Occurrence("monthly", NOW, "2026-10"))
    fail(session, twice, "boom", NOW)
    twice = _claim(session, ws, team, Occurrence("monthly", NOW, "2026-10"))
    fail(session, twice, "boom again", NOW)

    def keys(now, **kw):
        return [r.period_key for r in runs.retryable(session, now, **kw)]

    assert keys(NOW) == ["2026-W47", "2026-10"]
    assert keys(LATER) == ["2026-W47", "2026-11-24", "2026-10"]
    assert keys(LATER, max_attempts=2) == ["2026-W47", "2026-11-24"]
    assert keys(LATER, max_attempts=1) == []
    assert keys(LATER, team_id=team.id) == keys(LATER)
    assert keys(LATER, team_id=424242) == []


def test_process_identity_names_host_and_pid():
    identity = runs.process_identity()
    assert identity and ":" in identity and len(identity) <= 200


def test_works_with_a_session_that_expires_on_commit(engine, ws, team):
    """The fence survives sessions configured either way (and rollbacks after a lost claim);
    each step is committed, as the units of work of bot/delivery/runner.py do."""
    from sqlmodel import Session

    with Session(engine) as slow, Session(engine) as other:
        mine = _claim(slow, ws, team, owner="slow")
        slow.commit()
        progress(slow, mine, parts_done=1, message_ts="1.1")
        slow.commit()
        theirs = _claim(other, ws, team, now=LATER, owner="other")
        other.commit()
        assert (theirs.parts_done, theirs.message_ts) == (1, "1.1")
        for _ in range(2):  # a rollback after the first refusal must not hand the fence back
            with pytest.raises(ClaimLost):
                progress(slow, mine, parts_done=2)
            slow.rollback()  # what the unit of work does when ClaimLost leaves it
        finish(other, theirs, LATER)
        other.commit()
        assert theirs.status == "posted"


def test_old_nudge_sweeps_are_pruned_and_the_reminders_kept(session, ws, team):
    def nudge_run(key, days_ago):
        row = _claim(session, ws, team, Occurrence("nudge", NOW - timedelta(days=days_ago), key))
        finish(session, row, NOW)

    nudge_run("2026-11-10T20:00Z", 14)  # an old sweep: pruned
    nudge_run("2026-11-10:U0SDR0001", 14)  # the reminder it sent: kept
    nudge_run("2026-11-23T20:00Z", 1)  # a recent sweep: kept
    _claim(session, ws, team, DAILY)  # not a nudge: kept
    assert runs.prune_sweeps(session, NOW - timedelta(days=5)) == 1
    keys = sorted(session.exec(select(RitualRun.period_key)).all())
    assert "2026-11-10T20:00Z" not in keys
    assert {"2026-11-10:U0SDR0001", "2026-11-23T20:00Z"} <= set(keys) and len(keys) == 3


# -- notes said once ---------------------------------------------------------------------------


def test_a_note_is_recorded_once_per_key_and_never_claimed_as_a_ritual(engine, ws, team):
    def note(key):
        with unit_of_work(engine) as session:
            return runs.note_once(
                session,
                workspace_id=ws.id,
                team_id=team.id,
                kind=runs.INVITE_NOTE,
                key=key,
                now=NOW,
            )

    assert note("G0DEALS1") is True
    assert note("G0DEALS1") is False  # said already: not again
    assert note("G0OTHER1") is True  # another channel is another note
    with unit_of_work(engine) as session:
        row = runs.get_run(session, team.id, runs.INVITE_NOTE, "G0DEALS1")
        assert row.status == runs.POSTED
        assert runs.retryable(session, LATER) == []


def test_what_a_run_may_have_posted_is_newer_than_the_last_post_before_it_was_due(
    session, ws, team
):
    earlier = Occurrence("leaderboard", NOW - timedelta(hours=5), "2026-11-24T12:00")
    first = _claim(session, ws, team, earlier, now=earlier.due_at)
    progress(session, first, parts_done=1, channel_id="C1", message_ts="1700000000.000100")
    finish(session, first, earlier.due_at + timedelta(seconds=5))
    run = _claim(session, ws, team)
    assert runs.posted_before(session, run, "C1") == "1700000000.000100"
    assert runs.posted_before(session, run, "C2") is None
