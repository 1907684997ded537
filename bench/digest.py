"""A digest's data: 300 reps × 90 days of logs, every rep's week scorecard (300 calls of
rituals.scorecard.build_scorecard) against one indexed GROUP BY over the same rows."""

import shutil
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import data
from bench.common import Budget, Report, median, ms, verdict
from rituals.process import default_process
from rituals.scorecard import build_scorecard, period_for
from storage import queries
from storage.db import session as open_session

REPS, DAYS = 300, 90
# Friday 27 Nov 2026, 15:00 in New York: the week (Mon 23 – Sun 29) has five days of logs.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=data.NY)
GROUP_BY = text(
    "SELECT rep_id, kpi, sum(count) FROM activity_log "
    "WHERE team_id = :team AND occurred_on BETWEEN :start AND :end AND voided_at IS NULL "
    "GROUP BY rep_id, kpi"
)


def load(engine: Engine) -> tuple[int, int, int, float]:
    process = default_process()
    began = time.perf_counter()
    ws, team = data.add_team(engine)
    roles = data.rep_roles(REPS)
    data.add_reps(engine, ws, team, roles)
    n = data.insert_rows(engine, data.log_rows(process, ws, team, roles, NOW.date(), DAYS))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what autovacuum would have done by the time a digest runs
            conn.execute(text("ANALYZE"))
    return ws, team, n, time.perf_counter() - began


def explain(engine: Engine, sql: str, params: dict) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), params).all()
            return "; ".join(str(r[-1]) for r in rows)
        rows = conn.execute(text("EXPLAIN " + sql), params).all()
        return " / ".join(r[0].strip() for r in rows if "Scan" in r[0] or "Index" in r[0])


def measure(engine: Engine, label: str, report: Report, quick: bool, budget: Budget) -> None:
    ws, team, n_rows, load_s = load(engine)
    process = default_process()
    week = period_for(process, "week", NOW)
    with open_session(engine) as s:
        members = queries.active_members(s, team)
    params = {"team": team, "start": week.start, "end": week.end}
    whole = {"team": team, "start": NOW.date() - timedelta(days=DAYS - 1), "end": week.end}

    def group_by(p=params) -> tuple[float, list]:
        with engine.connect() as conn:
            began = time.perf_counter()
            rows = conn.execute(GROUP_BY, p).all()
            return time.perf_counter() - began, rows

    def scorecards() -> tuple[float, list]:
        with open_session(engine) as s:
            began = time.perf_counter()
            cards = [build_scorecard(s, ws, process, m, week, NOW) for m in members]
            return time.perf_counter() - began, cards

    kpi_sql = (
        "SELECT kpi, sum(count) FROM activity_log WHERE workspace_id = {p} AND rep_id = {p} "
        "AND occurred_on >= {p} AND occurred_on <= {p} AND voided_at IS NULL GROUP BY kpi"
    )
    sqlite = engine.dialect.name == "sqlite"
    raw_sql = kpi_sql.format(p="?" if sqlite else "%s")
    start, end = (
        (week.start.isoformat(), week.end.isoformat()) if sqlite else (week.start, week.end)
    )

    def totals_only() -> float:
        with open_session(engine) as s:
            began = time.perf_counter()
            for m in members:
                queries.kpi_totals(s, ws, m.user_id, week.start, week.end)
            return time.perf_counter() - began

    def raw_queries() -> float:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            began = time.perf_counter()
            for m in members:
                cur.execute(raw_sql, (ws, m.user_id, start, end))
                cur.fetchall()
            took = time.perf_counter() - began
            cur.close()
            raw.rollback()
            return took
        finally:
            raw.close()

    totals_only(), raw_queries()
    _, rows = group_by()  # warm both paths (caches, statement compilation)
    _, cards = scorecards()
    # Same rows? The per-rep totals must equal the GROUP BY's.
    grouped = defaultdict(int)
    for rep_id, kpi, total in rows:
        grouped[(rep_id, kpi)] = int(total)
    carded = {(c.rep_id, line.kpi.key): int(line.pacing.actual) for c in cards for line in c.lines}
    same = all(grouped.get(k, 0) == v for k, v in carded.items()) and set(grouped) <= set(carded)

    a_times, b_times, whole_times, t_times, r_times = [], [], [], [], []
    reps = 3 if quick else 9
    for _ in range(reps):
        if budget.left() < 5:
            report.note(f"{label}: time budget reached after {len(b_times)} repetitions")
            break
        a_times.append(group_by()[0])
        b_times.append(scorecards()[0])
        whole_times.append(group_by(whole)[0])
        t_times.append(totals_only())
        r_times.append(raw_queries())
    a, b = median(a_times), median(b_times)
    with engine.connect() as conn:
        week_rows = conn.execute(
            text(
                "SELECT count(*) FROM activity_log WHERE team_id = :team "
                "AND occurred_on BETWEEN :start AND :end"
            ),
            params,
        ).scalar_one()
    report.add(
        f"{label}: (a) one GROUP BY, the week ({week_rows:,} rows)",
        len(a_times),
        ms(a),
        ms(max(a_times)) + " (worst)",
        "",
        "",
        "baseline",
    )
    report.add(
        f"{label}: (b) {len(members)} × build_scorecard, the week",
        len(b_times),
        ms(b),
        ms(max(b_times)) + " (worst)",
        f"{b / a:.1f}×",
        "≤ 3× (a)",
        verdict(b / a <= 3) + ("" if same else " (totals differ!)"),
    )
    report.add(
        f"{label}: per scorecard",
        len(b_times) * len(members),
        ms(b / len(members)),
        "",
        "",
        "",
        "info",
    )
    report.add(
        f"{label}:  of which: {len(members)} × queries.kpi_totals alone",
        len(t_times),
        ms(median(t_times)),
        ms(max(t_times)) + " (worst)",
        f"{median(t_times) / a:.1f}×",
        "",
        "info",
    )
    report.add(
        f"{label}:  the same {len(members)} SQL queries, raw DB-API",
        len(r_times),
        ms(median(r_times)),
        ms(max(r_times)) + " (worst)",
        f"{median(r_times) / a:.1f}×",
        "",
        "info",
    )
    report.add(
        f"{label}: GROUP BY over all {DAYS} days ({n_rows:,} rows)",
        len(whole_times),
        ms(median(whole_times)),
        ms(max(whole_times)) + " (worst)",
        "",
        "",
        "info",
    )
    report.note(
        f"{label}: loaded {n_rows:,} rows ({REPS} reps × {DAYS} days × 4 KPIs, ~1% voided) in "
        f"{load_s:.1f} s; (a) and (b) agree on every rep's totals: {'yes' if same else 'NO'}"
    )
    report.note(f"{label} plan (a): {explain(engine, GROUP_BY.text, params)}")
    report.note(
        f"{label} plan (b, per rep, as storage.queries.kpi_totals): "
        + explain(
            engine,
            kpi_sql.format(p="{}").format(":ws", ":rep", ":start", ":end"),
            {"ws": ws, "rep": members[0].user_id, **params},
        )
    )


def bench_digest(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    budget = Budget(58)
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-digest-"))
    try:
        with data.sqlite_engine(str(folder / "digest.db")) as engine:
            measure(engine, "SQLite", report, quick, budget)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if postgres:
        with data.pg_schema_engine(postgres, "digest") as (engine, schema):
            measure(engine, "PostgreSQL", report, quick, budget)
        report.note(f"PostgreSQL: {data.describe(postgres)}, schema {schema} (dropped)")
    else:
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")
    report.note(
        "the digest proper (rituals/digest, rendering, chart) arrives with a later issue: this is "
        "the data part as it stands — one scorecard query per rep; the < 300 ms rendered-digest "
        "target is not measured yet"
    )
    report.note("SQLite without ANALYZE (Pacer never runs it); PostgreSQL after ANALYZE")
