"""Activity ingestion through the real server (DESIGN.md §9): `pacer serve` as a subprocess,
POST /api/v1/activities with batches of 1,000 items over one keep-alive connection, against a
plain DBAPI ``executemany`` of the same rows into the same table on the same database in the
same run (each batch committed, as each request is); then the same batches again (a replay),
which must change nothing and be no slower.

Targets: ≥ 10,000 events/s on SQLite, ≥ 20,000 on PostgreSQL, within 3× of the plain insert.
Quick mode: 3 batches of 200, times not judged."""

import http.client
import json
import os
import re
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import Report, median, ms, percentile, postgres_database
from bench.data import add_reps, add_team, rep_roles
from bench.servers import Served, child_env
from rituals.api_access import create_token
from storage.db import make_engine, normalize_url
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

ROOT = Path(__file__).resolve().parents[1]
CLOCK = "2026-11-24T11:00:00-05:00"
NOW = datetime.fromisoformat(CLOCK)
KPIS = ("calls", "conversations", "meetings_scheduled")
REPS = 60  # SDRs (add_reps' every third is an AE: they get none of these KPIs)
TARGETS = {"sqlite": 10_000, "postgresql": 20_000}
WARM, WARM_REQUESTS = 1000, 4  # items per warm-up request (a full batch), and how many
MAX_RATIO = 3.0


def items(n_batches: int, size: int) -> list[list[dict]]:
    reps = [user for user, role in rep_roles(REPS) if role == "sdr"]
    batches = []
    for b in range(n_batches):
        batch = []
        for i in range(size):
            k = b * size + i
            at = NOW - timedelta(days=k % 10, minutes=k % 600)
            batch.append(
                {
                    "source": "crm",
                    "external_id": f"act-{k:08d}",
                    "occurred_at": at.isoformat(),
                    "owner": reps[k % len(reps)],
                    "kpi": KPIS[k % len(KPIS)],
                    "count": 1 + k % 5,
                }
            )
        batches.append(batch)
    return batches


@contextmanager
def database(kind: str, postgres: str | None, folder: Path):
    """A fresh database URL of its own (a new PostgreSQL database, dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'ingest.db'}"
        return
    with postgres_database(postgres, "pacer_bench_ingest") as url:
        yield url


def prepare(url: str) -> tuple[str, int, int, int]:
    """Schema, the API's workspace with its reps and a token, and a second workspace for the
    plain inserts: (token, api workspace id, plain workspace id, plain team id)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        ws, team = add_team(engine, "TBENCHAPI1")
        add_reps(engine, ws, team, rep_roles(REPS))
        plain_ws, plain_team = add_team(engine, "TBENCHRAW1")
        with unit_of_work(engine) as session:
            _, token = create_token(session, ws, "bench", "activities:write", "bench", NOW)
    finally:
        engine.dispose()
    return token, ws, plain_ws, plain_team


def post_all(port: int, token: str, bodies: list[bytes]) -> tuple[float, list[float], list[dict]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies, answers = [], []
    began = time.perf_counter()
    for body in bodies:
        t = time.perf_counter()
        conn.request("POST", "/api/v1/activities", body, headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - t)
        if response.status != 200:
            raise RuntimeError(f"POST answered {response.status}: {payload[:300]!r}")
        answers.append(json.loads(payload))
    total = time.perf_counter() - began
    conn.close()
    return total, latencies, answers


COLUMNS = (
    "workspace_id, team_id, rep_id, entered_by, kpi, count, occurred_on, created_at, source, "
    "batch_id, note, ext_source, external_id"
)


def plain_rows(batches: list[list[dict]], ws: int, team: int, kind: str) -> list[list[tuple]]:
    """The rows ingestion stores, as the plain insert takes them (dates already resolved)."""
    created = NOW.astimezone(UTC)
    out = []
    for batch in batches:
        rows = []
        for item in batch:
            day = datetime.fromisoformat(item["occurred_at"]).date()
            row = (
                ws,
                team,
                item["owner"],
                "api:bench",
                item["kpi"],
                item["count"],
                day.isoformat() if kind == "sqlite" else day,
                created.isoformat(" ") if kind == "sqlite" else created,
                "api",
                uuid.uuid4().hex[:24] + item["external_id"][-12:],
                "",
                item["source"],
                item["external_id"],
            )
            rows.append(row)
        out.append(rows)
    return out


def plain_insert(url: str, kind: str, batches: list[list[tuple]]) -> float:
    """DBAPI executemany, one commit per batch; SQLite with synchronous=FULL (durable)."""
    marks = ", ".join(["?" if kind == "sqlite" else "%s"] * 13)
    sql = f"INSERT INTO activity_log ({COLUMNS}) VALUES ({marks})"  # noqa: S608
    if kind == "sqlite":
        import sqlite3

        conn = sqlite3.connect(make_url(url).database)
        conn.execute("PRAGMA synchronous=FULL")
    else:
        import psycopg

        conn = psycopg.connect(
            make_url(normalize_url(url)).set(drivername="postgresql").render_as_string(False)
        )
    try:
        began = time.perf_counter()
        for rows in batches:
            cursor = conn.cursor()
            cursor.executemany(sql, rows)
            conn.commit()
        return time.perf_counter() - began
    finally:
        conn.close()


def fingerprint(url: str, ws: int) -> tuple:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(
                    text(
                        "SELECT count(*), coalesce(sum(count), 0), max(id), count(voided_at), "
                        "count(DISTINCT rep_id) FROM activity_log WHERE workspace_id = :ws"
                    ),
                    {"ws": ws},
                ).one()
            )
    finally:
        engine.dispose()


def bench_ingest(report: Report, quick: bool = False, postgres: str | None = None, **_) -> None:
    n_batches, size = (3, 200) if quick else (int(os.environ.get("PACER_BENCH_BATCHES", 40)), 1000)
    batches = items(n_batches, size)
    bodies = [json.dumps({"activities": b}).encode() for b in batches]
    events = n_batches * size
    report.note(
        f"{n_batches} batches × {size} items = {events:,} events, one keep-alive client; "
        "plain = DBAPI executemany of the same rows into activity_log, a commit per batch"
    )
    kinds = ["sqlite"] + (["postgresql"] if postgres else [])
    if not postgres:
        report.note("PostgreSQL: skipped (no --postgres / TEST_DATABASE_URL)")
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix="pacer-bench-ingest-") as tmp:
            folder = Path(tmp)
            with database(kind, postgres, folder) as url:
                _one(report, kind, url, folder, batches, bodies, events, quick)


def _one(report, kind, url, folder, batches, bodies, events, quick) -> None:
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    token, ws, plain_ws, plain_team = prepare(url)
    server = Served(
        f"pacer serve ({label})",
        [sys.executable, "-m", "cli.main", "serve", "--port", "{port}", "--host", "127.0.0.1"],
        child_env(
            ROOT,
            dict(
                SLACK_BOT_TOKEN="xoxb-bench",
                SLACK_SIGNING_SECRET="bench-secret",
                SLACK_API_URL="http://127.0.0.1:9/",  # never called: the API needs no Slack
                DATABASE_URL=url,
                PACER_CLOCK=CLOCK,
                PACER_API_RATE="100000",
                PACER_LOG_LEVEL="INFO",  # one line per request, with the app's own time
            ),
        ),
        folder,
        folder / "serve.log",
    ).start()
    try:
        # Warm-up, keys of its own: every worker's first requests pay for imports, caches and
        # connections (gunicorn hands requests to whichever worker is free).
        warm = [
            json.dumps(
                {
                    "activities": [
                        {**item, "external_id": f"warm-{w}-{n}"}
                        for n, item in enumerate(batches[0][:WARM])
                    ]
                }
            ).encode()
            for w in range(WARM_REQUESTS)
        ]
        # Side by side, on connections of their own: a keep-alive connection stays with one
        # worker, so warming up on one connection could leave the other worker cold.
        threads = [
            threading.Thread(target=post_all, args=(server.port, token, [body])) for body in warm
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first, lat_first, answers = post_all(server.port, token, bodies)
        after_first = fingerprint(url, ws)
        replay, lat_replay, replayed = post_all(server.port, token, bodies)
        after_replay = fingerprint(url, ws)
    finally:
        server.stop()
    plain = plain_insert(url, kind, plain_rows(batches, plain_ws, plain_team, kind))
    # The app's own time per request (api/app.py logs it), against what the client saw: the
    # rest is HTTP, gunicorn and moving ~150 KB of JSON each way.
    in_app = [
        float(m.group(1)) / 1000
        for m in re.finditer(
            r"path=/api/v1/activities outcome=http_200 duration_ms=([\d.]+)",
            (folder / "serve.log").read_text(errors="replace"),
        )
    ][WARM_REQUESTS:]

    rate, replay_rate, plain_rate = events / first, events / replay, events / plain
    target = TARGETS[kind]
    ratio = first / plain
    report.add(
        f"{label}: POST /api/v1/activities, new items",
        len(bodies),
        ms(median(lat_first)),
        ms(percentile(lat_first, 99)),
        f"{rate:,.0f}/s · {ratio:.1f}× plain",
        f"≥ {target:,}/s, ≤ {MAX_RATIO:g}×",
        report.timing(rate >= target and ratio <= MAX_RATIO),
    )
    report.add(
        f"{label}: the same batches again (replay)",
        len(bodies),
        ms(median(lat_replay)),
        ms(percentile(lat_replay, 99)),
        f"{replay_rate:,.0f}/s · {replay / first:.2f}× first",
        "no slower than the first",
        report.timing(replay <= first),
    )
    if len(in_app) == 2 * len(bodies):
        first_app, replay_app = in_app[: len(bodies)], in_app[len(bodies) :]
        report.add(
            f"{label}: …of which in the app (its own timing)",
            len(bodies),
            ms(median(first_app)),
            ms(percentile(first_app, 99)),
            f"replay {ms(median(replay_app))}",
            "",
            "info",
        )
    report.add(
        f"{label}: plain executemany of the same rows",
        len(bodies),
        ms(plain / len(bodies)),
        "",
        f"{plain_rate:,.0f}/s",
        "",
        "info",
    )
    statuses = [r["status"] for a in answers for r in a["results"]]
    again = [r["status"] for a in replayed for r in a["results"]]
    report.check(f"{label}: every new item created", statuses == ["created"] * events, events)
    report.check(f"{label}: every replayed item unchanged", again == ["unchanged"] * events, events)
    warmed = WARM_REQUESTS * sum(i["count"] for i in batches[0][:WARM])
    expected_sum = sum(i["count"] for b in batches for i in b) + warmed
    expected_rows = events + WARM_REQUESTS * len(batches[0][:WARM])
    report.check(
        f"{label}: stored once each, totals right",
        after_first[0] == expected_rows and after_first[1] == expected_sum,
        detail=f"{after_first[0]:,} rows, sum {after_first[1]:,}",
    )
    report.check(f"{label}: the replay changed nothing", after_replay == after_first)
