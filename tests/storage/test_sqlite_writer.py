"""storage/sqlite_writer.py: on SQLite, writers take turns (in order within a process, woken by
the kernel between processes) instead of polling for SQLite's lock, so concurrent writers never
get a "busy" answer.

Most engines here have SQLite's busy timeout at 0: a write that ever found SQLite's lock taken
would fail at once, so "no error" means no writer ever had to ask SQLite to wait."""

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from storage import db, log_queries, sqlite_writer
from storage.errors import DatabaseUnavailable
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work
from tests.storage.support import run_at_once
from tests.storage.writer_support import (
    add_team,
    impatient_engine,
    log_as_a_request_does,
    log_row,
    stored_triggers,
    wait_until,
)


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    """A database of the test's own, with SQLite's busy timeout at 0."""
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


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("SELECT * FROM activity_log", False),
        ("WITH t AS (SELECT 1) SELECT deleted_at, updated FROM t", False),
        ("PRAGMA busy_timeout", False),
        ("RELEASE SAVEPOINT sa_savepoint_1", False),
        ("\n insert into activity_log VALUES (1)", True),
        ("UPDATE member SET active = 0", True),
        ("WITH t AS (SELECT 1) INSERT INTO activity_log SELECT * FROM t", True),
        ("SAVEPOINT sa_savepoint_1", True),
        ("BEGIN IMMEDIATE", True),
        ("CREATE INDEX ix ON member (team_id)", True),
    ],
)
def test_what_takes_the_turn(statement, writes):
    assert sqlite_writer._writes(statement) is writes
