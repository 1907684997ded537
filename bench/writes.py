"""Durable log writes through Pacer's storage layer on SQLite: storage.log_queries.insert_logs, one
batch (one row, as `/log call 12` writes) per call, each in its own unit of work — the
request path's write, without the parsing around it.

Modes: "Pacer" is storage.db.make_engine as it is (writers take turns, storage/sqlite_writer.py;
durable by a group fsync after the turn, storage/wal_sync.py). For comparison, plain pysqlite
connections without turns, left to SQLite's busy handler: synchronous=FULL (durable, the fsync
inside the lock) and synchronous=NORMAL (no fsync at commit: not durable on power loss)."""

import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from contextlib import nullcontext
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event, text

from bench import data
from bench.common import Budget, Report, filesystem_of, median, ms, percentile
from storage import log_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)


def _normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")  # runs after storage.db's listener (FULL)
    cursor.close()


MODES = ("Pacer", "FULL", "NORMAL")
THREAD_COUNTS = (1, 4, 16)
SYNCHRONOUS = {"Pacer": 1, "FULL": 2, "NORMAL": 1}  # PRAGMA synchronous each mode must show


def engine_for(path: Path, mode: str):
    if mode == "Pacer":
        return make_engine(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}", connect_args={"factory": sqlite3.Connection})
    if mode == "NORMAL":
        event.listen(engine, "connect", _normal)
    return engine


def writer(engine, ws, team, rep, deadline, out: list, errors: list, lock=None) -> None:
    latencies = []
    while time.perf_counter() < deadline:
        trigger = uuid.uuid4().hex
        row = ActivityLog(
            workspace_id=ws,
            team_id=team,
            rep_id=rep,
            entered_by=rep,
            kpi="calls",
            count=1,
            occurred_on=DAY,
            created_at=NOW,
            source="slash",
            batch_id=str(uuid.uuid4()),
            trigger_id=trigger,
            note="",
        )
        began = time.perf_counter()
        try:
            with lock or nullcontext(), unit_of_work(engine) as s:
                ok = log_queries.insert_logs(s, [row])
        except Exception as error:  # e.g. "database is locked": counted, the writer goes on
            errors.append(f"{type(error).__name__}: {error}"[:200])
            continue
        latencies.append(time.perf_counter() - began)
        if not ok:
            errors.append(f"duplicate {trigger}")
    out.extend(latencies)


def run(
    engine, ws, team, threads: int, seconds: float, lock=None
) -> tuple[list[float], float, list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    workers = [
        threading.Thread(
            target=writer,
            args=(engine, ws, team, f"UWRITER{i:03d}", deadline, latencies, errors, lock),
        )
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return latencies, time.perf_counter() - began, errors


def bench_writes(report: Report, quick: bool, **_) -> None:
    budget = Budget(50)
    slices, slice_s = (2, 0.25) if quick else (4, 1.0)  # per mode and thread count
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-writes-"))
    engines, setup, journal = {}, {}, ""
    try:
        for mode in MODES:
            engine = engine_for(folder / f"writes-{mode.lower()}.db", mode)
            engines[mode] = engine
            upgrade(engine)
            setup[mode] = data.add_team(engine)
            with engine.connect() as conn:
                synchronous = conn.execute(text("PRAGMA synchronous")).scalar_one()
                journal = conn.execute(text("PRAGMA journal_mode")).scalar_one()
            assert synchronous == SYNCHRONOUS[mode], (mode, synchronous)
        results = {}
        written, lost = 0, 0  # writes acknowledged; lines where stored rows != acknowledged
        first_error = ""
        for threads in THREAD_COUNTS:
            modes = MODES
            lat = {m: [] for m in modes}
            wall = dict.fromkeys(modes, 0.0)
            stored = dict.fromkeys(modes, 0)
            failed = dict.fromkeys(modes, 0)  # writes refused (busy) or taken for duplicates
            # Short slices, modes in rotating order, so drifting noise hits all of them alike.
            for i in range(slices):
                for mode in modes[i % len(modes) :] + modes[: i % len(modes)]:
                    if budget.left() < slice_s + 1:
                        break
                    engine = engines[mode]
                    before = _count(engine)
                    got, took, bad = run(engine, *setup[mode], threads, slice_s)
                    lat[mode] += got
                    wall[mode] += took
                    failed[mode] += len(bad)
                    first_error = first_error or (bad[0] if bad else "")
                    stored[mode] += _count(engine) - before
            for synchronous in modes:
                if not lat[synchronous]:
                    report.note(f"time budget reached: no {synchronous} × {threads} sample")
                    continue
                rate = len(lat[synchronous]) / wall[synchronous]
                results[(synchronous, threads)] = rate
                is_target = synchronous == "Pacer"
                label = {
                    "Pacer": "Pacer: turns, group fsync",
                    "FULL": "no turns, synchronous=FULL",
                    "NORMAL": "no turns, synchronous=NORMAL (no fsync)",
                }[synchronous]
                complete = stored[synchronous] == len(lat[synchronous]) and not failed[synchronous]
                report.add(
                    f"{journal}, {label}, "
                    + ("sequential" if threads == 1 else f"{threads} threads"),
                    len(lat[synchronous]),
                    ms(median(lat[synchronous])),
                    ms(percentile(lat[synchronous], 99)),
                    f"{rate:,.0f}/s",
                    "≥ 1,000/s" if is_target else "(comparison)",
                    report.timing(rate >= 1000) if is_target else "info",
                )
                written += len(lat[synchronous])
                lost += not complete
    finally:
        for engine in engines.values():
            engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    report.check(
        "every write stored once, none refused",
        written > 0 and not lost,
        written,
        "rows = writes",
        f"{lost} line(s) differ: {first_error}" if lost else "",
    )
    for threads in THREAD_COUNTS:
        for other in ("FULL", "NORMAL"):
            if ("Pacer", threads) in results and (other, threads) in results:
                report.note(
                    f"Pacer / {other}, {'sequential' if threads == 1 else f'{threads} threads'}: "
                    f"{results[('Pacer', threads)] / results[(other, threads)]:.1f}× the writes "
                    "per second"
                )
    report.note(
        "Pacer and FULL: a write is on disk before its unit of work returns; NORMAL without "
        "turns never corrupts the database and survives a process crash, but a commit "
        "acknowledged just before a power loss or kernel crash can be lost"
    )
    report.note(
        f"each write: one unit of work, one ActivityLog row, insert_logs, commit; {slices} × "
        f"{slice_s:.2f} s slices per line, the modes taking turns; ratio column = writes "
        f"per second; files on {folder} ({filesystem_of(str(folder))})"
    )


def _count(engine) -> int:
    with unit_of_work(engine) as session:
        return log_queries.count_logs(session)
