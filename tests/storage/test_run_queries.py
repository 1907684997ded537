"""Ritual runs' SQL (storage/run_queries.py) on SQLite and PostgreSQL: the unique key, an insert
that loses to a duplicate without ending the transaction, the compare-and-set and fenced
updates, and the reads behind `pacer rituals status`, the clock's tick and the nudge sweep.
What the statuses mean is rituals/runs.py's (tests/rituals/test_runs.py)."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import run_queries
from storage.models import RitualRun
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW


def row(ws, team, kind="daily", key="2026-11-24", **values) -> RitualRun:
    values = {"status": "claimed", "attempts": 1, "claimed_at": NOW, "due_at": NOW} | values
    return RitualRun(
        workspace_id=ws.id, team_id=team.id, kind=kind, period_key=key, parts_done=0, **values
    )


def test_the_unique_key_is_enforced_by_the_database(session, ws, team):
    for _ in range(2):
        session.add(
            RitualRun(
                workspace_id=ws.id,
                team_id=team.id,
                kind="daily",
                period_key="2026-11-24",
                due_at=NOW,
                status="posted",
            )
        )
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_duplicate_insert_changes_nothing_and_the_transaction_goes_on(engine, ws, team):
    with unit_of_work(engine) as session:
        assert run_queries.insert_new(session, row(ws, team, claimed_by="first"))
        assert not run_queries.insert_new(session, row(ws, team, claimed_by="second"))
        assert run_queries.insert_new(session, row(ws, team, key="2026-11-25"))  # still usable
    with unit_of_work(engine) as session:
        assert not run_queries.insert_new(session, row(ws, team, claimed_by="third"))
        stored = run_queries.get_run(session, team.id, "daily", "2026-11-24")
        assert stored.claimed_by == "first"
        assert run_queries.get_run(session, team.id, "daily", "2026-11-25") is not None


def test_compare_and_set_and_the_fence(engine, ws, team):
    with unit_of_work(engine) as session:
        run_queries.insert_new(session, row(ws, team))
        read = run_queries.detached(
            session, run_queries.get_run(session, team.id, "daily", "2026-11-24")
        )
    with unit_of_work(engine) as session:
        assert run_queries.update_if_unchanged(session, read, attempts=2, claimed_by="b")
        assert not run_queries.update_if_unchanged(session, read, attempts=2, claimed_by="c")
        assert not run_queries.update_if(
            session, read.id, while_status="claimed", while_attempts=1, values={"parts_done": 1}
        )
        assert run_queries.update_if(
            session, read.id, while_status="claimed", while_attempts=2, values={"parts_done": 1}
        )
    with unit_of_work(engine) as session:
        stored = run_queries.get_run(session, team.id, "daily", "2026-11-24")
        assert (stored.claimed_by, stored.attempts, stored.parts_done) == ("b", 2, 1)


def test_the_reads_of_status_tick_and_sweep(engine, ws, team):
    day = timedelta(days=1)
    with unit_of_work(engine) as session:
        for kind, key, status, attempts, due in (
            ("daily", "2026-11-23", "posted", 1, NOW - day),
            ("daily", "2026-11-24", "failed", 1, NOW),
            ("weekly", "2026-W47", "failed", 5, NOW),
            ("monthly", "2026-10", "skipped", 0, NOW),
            ("nudge", "2026-11-24T20:00Z", "posted", 1, NOW),
            ("nudge", "2026-11-24:U1", "posted", 1, NOW),
        ):
            run_queries.insert_new(
                session, row(ws, team, kind, key, status=status, attempts=attempts, due_at=due)
            )
    with unit_of_work(engine) as session:
        newest = {r.kind: r.period_key for r in run_queries.newest_of_each_kind(session, team.id)}
        assert newest["daily"] == "2026-11-24" and len(newest) == 4
        keys = run_queries.keys_due_since(
            session,
            team.id,
            NOW - timedelta(hours=1),
            statuses=("posted", "skipped"),
            or_status="failed",
            at_attempts=5,
        )
        assert ("weekly", "2026-W47") in keys and ("daily", "2026-11-24") not in keys
        assert ("daily", "2026-11-23") not in keys  # due before ``since``
        again = run_queries.in_status_or_stale(
            session,
            statuses=("failed",),
            stale_status="claimed",
            stale_before=NOW,
            below_attempts=5,
        )
        assert [r.period_key for r in again] == ["2026-11-24"]
        taken = run_queries.period_keys_taken(
            session, team.id, "nudge", ["2026-11-24:U1", "2026-11-24:U2"]
        )
        assert taken == {"2026-11-24:U1"}
        assert run_queries.period_keys_taken(session, team.id, "nudge", []) == set()
        gone = run_queries.delete_due_before(
            session, kind="nudge", key_suffix="Z", before=NOW + day, statuses=("posted",)
        )
        assert gone == 1


def test_the_newest_post_recorded_in_a_channel_before_a_time(engine, ws, team):
    hour = timedelta(hours=1)
    with unit_of_work(engine) as session:
        for key, ts, channel, finished in [
            ("a", "1700000000.000100", "C1", NOW - 3 * hour),
            ("b", "1700000900.000100", "C1", NOW - hour),  # the newest finished in time
            ("c", "1700009999.000100", "C1", NOW + hour),  # finished after: may be newer
            ("d", "1700009000.000100", "C2", NOW - hour),  # another channel
            ("e", None, "C1", NOW - hour),  # nothing posted
        ]:
            run_queries.insert_new(
                session,
                row(
                    ws,
                    team,
                    key=key,
                    status="posted",
                    channel_id=channel,
                    message_ts=ts,
                    finished_at=finished,
                ),
            )
        me = run_queries.get_run(session, team.id, "daily", "b")
    with unit_of_work(engine) as session:
        newest = run_queries.newest_message_ts
        assert newest(session, team.id, "C1", NOW, other_than=-1) == "1700000900.000100"
        assert newest(session, team.id, "C1", NOW, other_than=me.id) == "1700000000.000100"
        assert newest(session, team.id, "C3", NOW, other_than=-1) is None
