"""storage/wal_sync.py: on SQLite a unit of work returns only once an fsync of the WAL that
began after its COMMIT is done, and commits waiting for the disk together share one fsync."""

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from storage import wal_sync
from tests.storage.support import run_at_once
from tests.storage.writer_support import (
    add_team,
    impatient_engine,
    log_as_a_request_does,
    stored_triggers,
    wait_until,
)


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    """A database of the test's own, with SQLite's busy timeout at 0."""
    engine = impatient_engine(tmp_path / "pacer.db")
    yield engine
    engine.dispose()


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
