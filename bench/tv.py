"""The sales-floor TV's data endpoint (DESIGN.md §9): 200 TVs polling every 5 s, PostgreSQL.

The TV app (tv/app.py) is called in-process as `pacer serve` calls it (WSGI), by one thread per
TV, each sending If-None-Match with the ETag it holds. Measured: the latency of a poll (p50,
p99), the queries one poll costs when nothing changed (1: the link's lookup on its unique index,
asked on every request so that a revoked link is refused at once by every worker and replica;
the team's marker is read once per second per process, whatever the number of TVs), the queries
one refresh after a change costs (the board built once), and how long after a log every TV had
the new board.
Quick mode: 20 TVs polling every 0.25 s for 2 s."""

from __future__ import annotations

import random
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, insert

from bench import data
from bench.common import Report, median, ms, percentile
from rituals import tv
from rituals.process import default_process
from storage import people_queries
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work
from tv.app import TvApp

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # a Tuesday, 11:00 in New York
REPS, DAYS = 12, 35


class Queries:
    """Counts the statements an engine runs (every thread's)."""

    def __init__(self, engine, app: TvApp):
        self.n, self._lock, self.mine = 0, threading.Lock(), threading.local()
        event.listen(engine, "before_cursor_execute", self._count)
        if app.reader.pool is not engine.pool:  # PostgreSQL: the link lookup's own engine
            event.listen(app.reader, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.mine.n = getattr(self.mine, "n", 0) + 1  # this thread's: did a poll ask?
        with self._lock:
            self.n += 1

    def of_this_thread(self) -> int:
        return getattr(self.mine, "n", 0)


def poll(app: TvApp, token: str, etag: str | None) -> tuple[str, str | None]:
    result: dict = {}

    def start_response(status, headers, exc_info=None):
        result["status"], result["headers"] = status, dict(headers)

    environ = {"PATH_INFO": f"/tv/{token}/data", "REQUEST_METHOD": "GET"}
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    b"".join(app(environ, start_response))
    return result["status"], result["headers"].get("ETag")


def seed(engine) -> tuple[int, int, str]:
    process = default_process()
    ws, team = data.add_team(engine)
    roles = data.rep_roles(REPS)
    data.add_reps(engine, ws, team, roles)
    data.insert_rows(engine, data.log_rows(process, ws, team, roles, NOW.date(), DAYS))
    with unit_of_work(engine) as session:
        token = tv.new_link(session, people_queries.get_team(session, team), "UADMIN0001", NOW)
    return ws, team, token


def add_log(engine, ws: int, team: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(ActivityLog.__table__).values(
                workspace_id=ws, team_id=team, rep_id="UREP000000", entered_by="UREP000000",
                kpi="calls", count=7, occurred_on=NOW.date(), created_at=NOW, source="slash",
                batch_id=str(uuid.uuid4()), trigger_id=None, note="",
            )
        )  # fmt: skip


def measure(report: Report, label: str, engine, quick: bool) -> None:
    tvs, seconds, every = (20, 2.0, 0.25) if quick else (200, 30.0, 5.0)
    ws, team, token = seed(engine)
    app = TvApp(engine, clock=lambda: NOW)
    queries = Queries(engine, app)

    before = queries.n
    status, etag = poll(app, token, None)
    build = queries.n - before
    report.check(f"{label}: the first poll gets the board", status.startswith("200"))
    before = queries.n
    status, _ = poll(app, token, etag)
    report.check(
        f"{label}: an unchanged poll: 304 and 1 query (its link)",
        status.startswith("304") and queries.n == before + 1,
        detail=f"{queries.n - before} queries",
    )

    latencies: list[float] = []
    asking: list[float] = []  # the polls that also read the marker, or built the board
    cached: list[float] = []  # the others: the link looked up, the board from memory
    statuses: dict[str, int] = {}
    seen_at: list[float] = []
    lock = threading.Lock()
    changed = threading.Event()
    changed_at = [0.0]
    start = time.monotonic() + 0.2
    stop = start + seconds

    def tv_screen(n: int) -> None:
        held, noticed = etag, False
        rng = random.Random(n)
        due = start + rng.random() * every  # TVs switched on at different moments
        # Past the end, a TV that has yet to see the log's board keeps polling, up to 6 s.
        while due < stop or (not noticed and due < changed_at[0] + 6.0):
            time.sleep(max(0.0, due - time.monotonic()))
            asked = queries.of_this_thread()
            began = time.perf_counter()
            status, new = poll(app, token, held)
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                (asking if queries.of_this_thread() > asked + 1 else cached).append(took)
                statuses[status.split()[0]] = statuses.get(status.split()[0], 0) + 1
                if changed.is_set() and new != held and not noticed:
                    seen_at.append(time.monotonic() - changed_at[0])
                    noticed = True
            held = new
            due += every

    threads = [threading.Thread(target=tv_screen, args=(n,), daemon=True) for n in range(tvs)]
    polls_before = queries.n
    for t in threads:
        t.start()
    time.sleep(max(0.0, start + seconds / 2 - time.monotonic()))
    changed_at[0] = time.monotonic()
    add_log(engine, ws, team)  # a /log, halfway
    changed.set()
    for t in threads:
        t.join()
    during = queries.n - polls_before - 1  # less the log's insert
    n = len(latencies)
    ok = set(statuses) <= {"200", "304"}
    report.add(
        f"{label}: a poll, {tvs} TVs every {every:g} s",
        n,
        ms(median(latencies)),
        ms(percentile(latencies, 99)),
        "",
        "p99 < 50 ms",
        report.timing(percentile(latencies, 99) < 0.050),
    )
    for what, values in (
        ("that only looked up their link", cached),
        ("that also read the marker or built", asking),
    ):
        report.add(
            f"{label}: … the polls {what}",
            len(values),
            ms(median(values)),
            ms(percentile(values, 99)),
            "",
            "",
            "info",
        )
    report.add(
        f"{label}: queries per poll (a log halfway)", n, f"{during / max(n, 1):.3f}", "", "",
        "≈ 1 (the link)", "info",
    )  # fmt: skip
    report.add(
        f"{label}: queries for one refresh after a change", 1, str(build), "", "", "", "info"
    )
    report.check(f"{label}: every poll answered 200 or 304", ok, n, detail=str(statuses))
    worst = max(seen_at) if seen_at else None
    bound = every + app.ttl + 0.5  # its next poll after the marker was read again, and slack
    report.check(
        f"{label}: every TV had the log's board by its next poll after the ttl",
        len(seen_at) == tvs and worst is not None and worst < bound,
        tvs,
        detail=f"{len(seen_at)} of {tvs}, worst {ms(worst)}, bound {bound:g} s",
    )
    report.note(f"{label}: {app.builds} board builds for {n + 2} polls")
    app.close()


@contextmanager
def _sqlite():
    with tempfile.TemporaryDirectory() as folder, data.sqlite_engine(f"{folder}/tv.db") as e:
        yield e


def bench_tv(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    with _sqlite() as engine:
        measure(report, "SQLite", engine, quick)
    if not postgres:
        report.note("PostgreSQL: skipped (no --postgres / TEST_DATABASE_URL)")
        return
    with data.pg_schema_engine(postgres, "tv") as (engine, _schema):
        measure(report, "PostgreSQL", engine, quick)
