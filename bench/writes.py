"""Durable log writes through Pacer's storage layer on SQLite: storage.queries.insert_logs, one
batch (one row, as `/log call 12` writes) per call, each in its own session and commit — the
request path's write, without the parsing around it."""

import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event, func, select, text

from bench import data
from bench.common import Budget, Report, filesystem_of, median, ms, percentile, verdict
from storage import queries
from storage.db import make_engine
from storage.db import session as open_session
from storage.migrate import upgrade
from storage.models import ActivityLog

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)


def _normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")  # runs after storage.db's listener (FULL)
    cursor.close()


def engine_for(path: Path, synchronous: str):
    engine = make_engine(f"sqlite:///{path}")
    if synchronous == "NORMAL":
        event.listen(engine, "connect", _normal)
    return engine


def writer(engine, ws: int, team: int, rep: str, deadline: float, out: list, errors: list) -> None:
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
        with open_session(engine) as s:
            ok = queries.insert_logs(s, [row])
        latencies.append(time.perf_counter() - began)
        if not ok:
            errors.append(trigger)
    out.extend(latencies)


def run(engine, ws: int, team: int, threads: int, seconds: float) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    workers = [
        threading.Thread(
            target=writer, args=(engine, ws, team, f"UWRITER{i:03d}", deadline, latencies, errors)
        )
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return latencies, time.perf_counter() - began, len(errors)


def bench_writes(report: Report, quick: bool, **_) -> None:
    budget = Budget(50)
    seconds = 1.5 if quick else 4.0
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-writes-"))
    results = {}
    for synchronous in ("FULL", "NORMAL"):
        path = folder / f"writes-{synchronous.lower()}.db"
        engine = engine_for(path, synchronous)
        try:
            upgrade(engine)
            ws, team = data.add_team(engine)
            with engine.connect() as conn:
                mode = conn.execute(text("PRAGMA synchronous")).scalar_one()
                journal = conn.execute(text("PRAGMA journal_mode")).scalar_one()
            assert mode == {"FULL": 2, "NORMAL": 1}[synchronous], mode
            for threads in (1, 4):
                if budget.left() < seconds + 2:
                    report.note(f"time budget reached: skipped {synchronous} × {threads}")
                    continue
                before = _count(engine)
                latencies, wall, dupes = run(engine, ws, team, threads, seconds)
                stored = _count(engine) - before
                rate = len(latencies) / wall
                results[(synchronous, threads)] = rate
                is_target = synchronous == "FULL"
                report.add(
                    f"insert_logs, synchronous={synchronous} ({journal}), "
                    + ("sequential" if threads == 1 else f"{threads} threads"),
                    len(latencies),
                    ms(median(latencies)),
                    ms(percentile(latencies, 99)),
                    f"{rate:,.0f}/s",
                    "≥ 1,000/s" if is_target else "(comparison)",
                    (verdict(rate >= 1000) if is_target else "info")
                    + ("" if stored == len(latencies) and not dupes else f" (stored {stored})"),
                )
        finally:
            engine.dispose()
    if ("FULL", 1) in results and ("NORMAL", 1) in results:
        report.note(
            "NORMAL vs FULL, sequential: "
            f"{results[('NORMAL', 1)] / results[('FULL', 1)]:.1f}× the writes per second. In WAL mode "
            "NORMAL still never corrupts the database; a commit acknowledged just before a power "
            "loss (not a process crash) can be lost"
        )
    report.note(
        f"each write: new session, one ActivityLog row, commit; {seconds:.1f} s per line; "
        f"ratio column = writes per second; files on {folder} ({filesystem_of(str(folder))})"
    )


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ActivityLog)).scalar_one()
