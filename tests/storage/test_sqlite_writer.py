"""storage/sqlite_writer.py and storage/wal_sync.py: on SQLite, writers take turns (in order
within a process, woken by the kernel between processes) instead of polling for SQLite's lock,
so concurrent writers never get a "busy" answer; and a unit of work returns only once an fsync
of the WAL that began after its COMMIT is done, one fsync serving many commits.

Most engines here have SQLite's busy timeout at 0: a write that ever found SQLite's lock taken
would fail at once, so "no error" means no writer ever had to ask SQLite to wait."""

import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import db, log_queries, people_queries, sqlite_writer, wal_sync
from storage.errors import DatabaseUnavailable
from storage.migrate import upgrade
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY, run_at_once


def impatient_engine(path: Path) -> Engine:
    """Pacer's engine on ``path``, migrated, with SQLite's own busy timeout at 0."""
    engine = db.make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def no_waiting(dbapi_connection, _record) -> None:  # after Pacer's own pragmas
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    upgrade(engine)
    return engine


def add_team(engine: Engine) -> tuple[int, int]:
    with unit_of_work(engine) as session:
        ws = people_queries.workspace_for(session, "T0001", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        return ws.id, team.id


def log_row(ws: int, team: int, rep: str, trigger: str) -> ActivityLog:
    return ActivityLog(
        workspace_id=ws,
        team_id=team,
        rep_id=rep,
        entered_by=rep,
        kpi="calls",
        count=1,
        occurred_on=TODAY,
        created_at=NOW,
        source="slash",
        batch_id=trigger,
        trigger_id=trigger,
    )


def log_as_a_request_does(engine: Engine, ws: int, team: int, rep: str, trigger: str) -> None:
    """One /log's unit of work: read, write, read again in the same transaction."""
    with unit_of_work(engine) as session:
        log_queries.kpi_totals(session, ws, rep, TODAY, TODAY)
        assert log_queries.insert_logs(session, [log_row(ws, team, rep, trigger)])
        log_queries.kpi_totals(session, ws, rep, TODAY, TODAY)


def stored_triggers(engine: Engine) -> list[str]:
    with db.session(engine) as session:
        return sorted(session.exec(select(ActivityLog.trigger_id)))


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait for a state another thread reaches (not for time to pass); fail after 10 s."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.001)


@pytest.fixture
def engine(tmp_path) -> Engine:
    engine = impatient_engine(tmp_path / "pacer.db")
    yield engine
    engine.dispose()


def test_fifty_concurrent_writers_are_never_told_busy_and_each_write_is_stored_once(engine):
    ws, team = add_team(engine)

    def rep_logs(i: int) -> list[str]:
        triggers = [f"R{i:02d}-{k}" for k in range(4)]
        for trigger in triggers:
            log_as_a_request_does(engine, ws, team, f"U{i:02d}", trigger)
        return triggers

    acknowledged = [t for triggers in run_at_once(50, rep_logs) for t in triggers]
    assert stored_triggers(engine) == sorted(acknowledged)
    assert len(acknowledged) == 200


def _writer_process(path: str, ws: int, team: int, name: str, gate, results) -> None:
    """A second `pacer serve` worker (forked): 25 threads logging at once."""
    try:
        engine = impatient_engine(Path(path))
        gate.wait(timeout=20)

        def rep_logs(i: int) -> list[str]:
            triggers = [f"{name}{i:02d}-{k}" for k in range(4)]
            for trigger in triggers:
                log_as_a_request_does(engine, ws, team, f"U{name}{i:02d}", trigger)
            return triggers

        done = [t for triggers in run_at_once(25, rep_logs) for t in triggers]
        engine.dispose()
        results.put(("ok", done))
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        results.put(("error", f"{type(error).__name__}: {error}"))


def test_writers_in_two_processes_are_never_told_busy(engine, tmp_path):
    ws, team = add_team(engine)
    engine.dispose()
    ctx = multiprocessing.get_context("fork")
    gate, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_writer_process, args=(str(tmp_path / "pacer.db"), ws, team, n, gate, results)
        )
        for n in "AB"
    ]
    for proc in procs:
        proc.start()
    try:
        outcomes = [results.get(timeout=120) for _ in procs]
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
    assert [o for o in outcomes if o[0] != "ok"] == []
    acknowledged = sorted(t for _, done in outcomes for t in done)
    assert len(acknowledged) == 200
    assert stored_triggers(engine) == acknowledged


def test_a_writer_waits_for_the_turn_and_goes_on_when_the_holder_commits(engine):
    ws, team = add_team(engine)
    turn = sqlite_writer.turn_for(engine.url.database)
    holder_wrote, holder_may_commit = threading.Event(), threading.Event()

    def holder() -> None:
        with unit_of_work(engine) as session:
            log_queries.insert_logs(session, [log_row(ws, team, "U1", "first")])
            holder_wrote.set()
            holder_may_commit.wait(10)

    first = threading.Thread(target=holder)
    first.start()
    assert holder_wrote.wait(10)
    second = threading.Thread(target=log_as_a_request_does, args=(engine, ws, team, "U2", "second"))
    second.start()
    wait_until(lambda: turn.waiting == 1, "the second writer queues for the turn")
    assert stored_triggers(engine) == []  # neither is committed: the second one waits
    holder_may_commit.set()
    first.join(10)
    second.join(10)
    assert stored_triggers(engine) == ["first", "second"]


def test_a_reader_does_not_wait_for_a_writer(engine):
    ws, team = add_team(engine)
    with unit_of_work(engine) as writing:
        log_queries.insert_logs(writing, [log_row(ws, team, "U1", "uncommitted")])
        seen: list = []
        reader = threading.Thread(
            target=lambda: seen.append(stored_triggers(engine)),
        )
        reader.start()
        reader.join(10)
        assert seen == [[]]  # read while the writer holds the turn, without its row


def test_a_writer_that_waits_too_long_stores_nothing(engine, monkeypatch):
    monkeypatch.setattr(sqlite_writer, "WAIT_S", 0.05)
    ws, team = add_team(engine)
    failures: list[BaseException] = []

    def impatient_writer() -> None:
        try:
            log_as_a_request_does(engine, ws, team, "U2", "second")
        except DatabaseUnavailable as error:
            failures.append(error)

    with unit_of_work(engine) as session:
        log_queries.insert_logs(session, [log_row(ws, team, "U1", "first")])
        second = threading.Thread(target=impatient_writer)
        second.start()
        second.join(10)  # the holder commits only once the other gave up
    assert [str(f) for f in failures] == [
        "database is locked (no write turn within 0.05 s: 0 writers queued in this process)"
    ]
    assert stored_triggers(engine) == ["first"]
    log_as_a_request_does(engine, ws, team, "U2", "again")  # the turn is free again
    assert stored_triggers(engine) == ["again", "first"]


def test_a_second_unit_of_work_writing_in_the_same_thread_fails_at_once(engine):
    """It would wait for a turn its own thread holds: an immediate error, not a hang."""
    ws, team = add_team(engine)
    with unit_of_work(engine) as outer:
        log_queries.insert_logs(outer, [log_row(ws, team, "U1", "outer")])
        with pytest.raises(DatabaseUnavailable, match="already holds the write turn"):
            log_as_a_request_does(engine, ws, team, "U1", "inner")
    assert stored_triggers(engine) == ["outer"]


def test_a_refused_unit_of_work_gives_the_turn_back(engine):
    ws, team = add_team(engine)
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        log_queries.insert_logs(session, [log_row(ws, team, "U1", "refused")])
        raise RuntimeError("refused")
    assert sqlite_writer.turn_for(engine.url.database).owner is None
    log_as_a_request_does(engine, ws, team, "U1", "next")
    assert stored_triggers(engine) == ["next"]


def test_after_a_long_wait_for_the_turn_sqlite_is_given_only_what_is_left(tmp_path, monkeypatch):
    """The 2.5 s cover the turn and SQLite's own lock (held by a program that doesn't take
    turns): after 0.8 s in the queue, SQLite's busy timeout is 1.7 s, then 2.5 s again."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'pacer.db'}")
    upgrade(engine)
    ws, team = add_team(engine)
    ticks = iter(range(1000))
    monkeypatch.setattr(sqlite_writer, "clock", lambda: next(ticks) * 0.4)  # 0.4 s a look
    with unit_of_work(engine) as session:
        log_queries.insert_logs(session, [log_row(ws, team, "U1", "late")])
        busy_timeout = session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    assert busy_timeout == 1700
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 2500
    engine.dispose()


# -- durable before the unit of work returns: one fsync for many commits ------------------------


def test_a_unit_of_work_returns_only_after_an_fsync_that_began_after_its_commit(
    engine, tmp_path, monkeypatch
):
    ws, team = add_team(engine)
    path = str(tmp_path / "pacer.db")
    durable: set[str] = set()  # what a finished fsync covered
    real_fsync = wal_sync._fsync

    def recording_fsync(wal: str) -> None:
        with sqlite3.connect(path) as look:  # committed rows, as the fsync begins
            committed = {t for (t,) in look.execute("SELECT trigger_id FROM activity_log")}
        real_fsync(wal)
        durable.update(committed)

    monkeypatch.setattr(wal_sync, "_fsync", recording_fsync)

    def logs(i: int) -> list[str]:
        done = []
        for k in range(3):
            log_as_a_request_does(engine, ws, team, f"U{i}", f"R{i}-{k}")
            assert f"R{i}-{k}" in durable  # acknowledged only once on disk
            done.append(f"R{i}-{k}")
        return done

    assert sum(len(d) for d in run_at_once(16, logs)) == 48


def test_commits_waiting_for_the_disk_share_one_fsync(engine, monkeypatch):
    ws, team = add_team(engine)
    with engine.connect() as conn:
        sync = conn.connection.driver_connection.wal_sync
    first_at_disk, disk_free = threading.Event(), threading.Event()
    real_fsync, calls = wal_sync._fsync, []

    def slow_first_fsync(wal: str) -> None:
        calls.append(wal)
        if len(calls) == 1:
            first_at_disk.set()
            disk_free.wait(10)
        real_fsync(wal)

    monkeypatch.setattr(wal_sync, "_fsync", slow_first_fsync)
    fsyncs_before, requested_before = sync.fsyncs, sync._requested
    first = threading.Thread(target=log_as_a_request_does, args=(engine, ws, team, "U0", "R0"))
    first.start()
    assert first_at_disk.wait(10)
    # While the first commit's fsync is at the disk, ten more commit (the turn is free) ...
    others = [
        threading.Thread(target=log_as_a_request_does, args=(engine, ws, team, f"U{i}", f"R{i}"))
        for i in range(1, 11)
    ]
    for t in others:
        t.start()
    wait_until(lambda: sync._requested - requested_before == 11, "ten more wait for the disk")
    disk_free.set()
    for t in [first, *others]:
        t.join(10)
    # ... and one more fsync makes all ten durable.
    assert (len(calls), sync.fsyncs - fsyncs_before) == (2, 2)
    assert stored_triggers(engine) == sorted(f"R{i}" for i in range(11))


# -- a process that dies holding the turn ------------------------------------------------------


def _write_and_hang(path: str, ws: int, team: int, wrote) -> None:
    engine = impatient_engine(Path(path))
    with unit_of_work(engine) as session:
        log_queries.insert_logs(session, [log_row(ws, team, "U1", "never committed")])
        wrote.set()
        threading.Event().wait(60)  # killed here, the turn and SQLite's lock held


def test_a_worker_killed_while_writing_does_not_block_the_others(engine, tmp_path):
    ws, team = add_team(engine)
    ctx = multiprocessing.get_context("fork")
    wrote = ctx.Event()
    child = ctx.Process(target=_write_and_hang, args=(str(tmp_path / "pacer.db"), ws, team, wrote))
    child.start()
    try:
        assert wrote.wait(20)
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    finally:
        if child.is_alive():
            child.kill()
    log_as_a_request_does(engine, ws, team, "U2", "after")
    assert stored_triggers(engine) == ["after"]
