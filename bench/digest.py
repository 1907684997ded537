"""The digests for 300 reps × 90 days of logs (60 × 63 with --quick; DESIGN.md §9, issue 3): each digest's data
(rituals.digests) against one indexed GROUP BY over the same rows, the daily digest fully rendered
(data + bot.delivery.digests.daily_parts: Jinja templates and the attainment chart PNG), and one
chart rendered alone. The old way — 300 × rituals.scorecard.build_scorecard — stays as one line."""

import re
import shutil
import struct
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from unittest import mock

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench import data
from bench.common import Budget, Report, gc_paused, median, ms, percentile
from bot.delivery import digests as digest_messages
from rituals import charts
from rituals.digests import daily_digest, monthly_digest, weekly_digest
from rituals.pacing import Period
from rituals.process import default_process
from rituals.ranking import team_reps, windows
from rituals.scales import line_window
from rituals.scorecard import build_scorecard, period_for
from storage import log_queries, people_queries
from storage.db import session as open_session

REPS, DAYS = 300, 90
QUICK_REPS, QUICK_DAYS = 60, 63  # --quick: the same paths, a fifth of the team, 9 weeks
# Friday 27 Nov 2026, 17:30 in New York (the default process's timezone): the daily digest's
# default time on a working day, with the day's logs in. As of then the weekly digest covers
# Mon 16 – Sun 22 Nov (and the week before, for the movers), the monthly digest October (and a
# trend from May); the logs run from Sat 29 Aug to Fri 27 Nov.
NOW = datetime(2026, 11, 27, 17, 30, tzinfo=data.NY)
TEAM_NAME = "Sales"
GROUP_BY = text(
    "SELECT rep_id, kpi, sum(count) FROM activity_log "
    "WHERE team_id = :team AND occurred_on BETWEEN :start AND :end AND voided_at IS NULL "
    "GROUP BY rep_id, kpi"
)
COUNT_ROWS = text(
    "SELECT count(*) FROM activity_log WHERE team_id = :team "
    "AND occurred_on BETWEEN :start AND :end"
)
TARGET_RATIO = 3.0
TARGET_RENDERED = 0.300
# Rows of a chart, per rep: parts of 80-character names (some escaping grows: "&").
_FIRST = ("Alexandra", "Bartholomew", "Ċaoimhe", "Dorothée", "Esperanza", "François", "Guðrún")
_LAST = ("Konstantinopoulou", "Vanderbilt-Ashworth", "Øresund", "Łukaszewicz", "Ñúñez & Sons")

_first_render_done = False  # the first daily_parts call in the process is timed once, cold


def rep_names(user_ids: list[str]) -> dict[str, str]:
    """An 80-character display name per rep, each different, with accents and an "&"."""
    out = {}
    for i, user in enumerate(user_ids):
        base = f"{_FIRST[i % 7]} {_LAST[i % 5]} {_LAST[(i * 3 + 1) % 5]} #{i:03d} "
        name = (base * 4)[:80]
        out[user] = name if not name.endswith(" ") else name[:79] + "."
    return out


def sizes(quick: bool) -> tuple[int, int]:
    """(reps, days of logs)."""
    return (QUICK_REPS, QUICK_DAYS) if quick else (REPS, DAYS)


def load(engine: Engine, reps: int, days: int) -> tuple[int, int, int, float]:
    process = default_process()
    began = time.perf_counter()
    ws, team = data.add_team(engine)
    roles = data.rep_roles(reps)
    data.add_reps(engine, ws, team, roles)  # active Member rows: the digests take `members`
    n = data.insert_rows(engine, data.log_rows(process, ws, team, roles, NOW.date(), days))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what autovacuum would have done by the time a digest runs
            conn.execute(text("ANALYZE"))
    return ws, team, n, time.perf_counter() - began


def plan(engine: Engine, statement: str, params) -> str:
    """The query plan, in short: SQLite's details, or PostgreSQL's scan and index-condition
    lines; ID lists and dates abbreviated, repeated lines (one per UNION ALL part) counted."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            lines = [str(r[-1]) for r in rows]
        else:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
            lines = [
                r[0].strip().lstrip("-> ").split("  (")[0]
                for r in rows
                if "Scan" in r[0] or "Index Cond" in r[0]
            ]
    short = []
    for line in lines:
        line = re.sub(r"'\{([^}]*)\}'::text\[\]", _ids, line)
        line = re.sub(r"'\d{4}-\d\d-\d\d'::date", "?", line)
        short.append(re.sub(r" (activity_log)_\d+\b", "", line))
    counts = Counter(short)
    return "; ".join(f"{line} (×{n})" if n > 1 else line for line, n in counts.items())


def _ids(match: re.Match) -> str:
    return f"'{{{len(match.group(1).split(','))} IDs}}'"


def captured_sql(engine: Engine, run: Callable[[], object]) -> list[tuple[str, object]]:
    """The SQL statements (with their parameters) that `run` sends to the database."""
    found: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return found


def totals_by(rows) -> dict[tuple[str, str], int]:
    return {(rep, kpi): int(total) for rep, kpi, total in rows}


def agrees(
    results,
    team,
    grouped: Callable[[tuple[date, date]], dict[tuple[str, str], int]],
    view: Period,
) -> bool:
    """Every rep's line (when `results` are given) and every team line equals the GROUP BY's
    totals over the line's own dates (the view's, or a longer goal's week or month to date:
    rituals/scales.py), and no total grouped over the view is missing from the reps' lines."""

    def window(pacing) -> tuple[date, date]:
        return line_window(pacing.period or view, view)

    if results:
        lines = {(r.rep_id, k): p for r in results for k, p in r.lines.items()}
        for (rep, kpi), p in lines.items():
            if grouped(window(p)).get((rep, kpi), 0) != p.actual:
                return False
        if not set(grouped((view.start, view.end))) <= set(lines):
            return False
    for line in team:
        by_kpi: dict[str, int] = defaultdict(int)
        for (_, kpi), total in grouped(window(line.pacing)).items():
            by_kpi[kpi] += total
        if line.pacing.actual != by_kpi.get(line.kpi, 0):
            return False
    return True


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return (0, 0)
    return struct.unpack(">II", png[16:24])


def tail(values: list[float]) -> str:
    return f"{ms(percentile(values, 90))} / {ms(max(values))}" if values else "–"


class Timings(dict):
    """name -> list of seconds, in the order first measured."""

    def add(self, name: str, seconds: float) -> None:
        self.setdefault(name, []).append(seconds)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    out = fn()
    return time.perf_counter() - began, out


def measure(
    engine: Engine,
    label: str,
    report: Report,
    quick: bool,
    budget: Budget,
    reserve: float,
    charts_out: dict,
) -> None:
    global _first_render_done
    reps, days = sizes(quick)
    ws, team, n_rows, load_s = load(engine, reps, days)
    process = default_process()
    with open_session(engine) as s:
        members = people_queries.active_members(s, team)
    names = rep_names([m.user_id for m in members])
    rep_ids = [m.user_id for m in members]

    def digests(s):
        return (
            lambda: daily_digest(s, ws, team, process, members, NOW),
            lambda: weekly_digest(s, ws, team, process, members, NOW),
            lambda: monthly_digest(s, ws, team, process, members, NOW),
        )

    # -- cold: the first rendered daily digest in the process (Jinja compiles the templates,
    # the chart's fonts load) ----------------------------------------------------------------
    with open_session(engine) as s:
        daily = daily_digest(s, ws, team, process, members, NOW)
        if not _first_render_done:
            cold, _ = timed(lambda: digest_messages.daily_parts(daily, process, names, TEAM_NAME))
            _first_render_done = True
        else:
            cold = None
        weekly = weekly_digest(s, ws, team, process, members, NOW)
        monthly = monthly_digest(s, ws, team, process, members, NOW)

    # The same rows as each digest reads: the day (and the week and month so far, where weekly
    # and monthly goals are shown); last week and the week before (and their months so far); the
    # six months of the monthly trend. One GROUP BY over each range is the baseline.
    with_roles = team_reps(process, members)

    def ranges(*views: Period) -> list[tuple[date, date]]:
        found = (w for v in views for w in windows(process, with_roles, v, NOW))
        return list(dict.fromkeys(found))

    spans = {
        "daily": ranges(daily.period),
        "weekly": ranges(weekly.period, weekly.previous),
        "monthly": [(p.period.start, p.period.end) for p in monthly.trend],
    }
    week = period_for(process, "week", NOW)  # this week so far: the old scorecard line's period
    spans["week"] = [(week.start, week.end)]

    def params(span: tuple[date, date]) -> dict:
        return {"team": team, "start": span[0], "end": span[1]}

    def group_each(conn, span_list) -> list:
        return [conn.execute(GROUP_BY, params(span)).all() for span in span_list]

    # -- correctness: every rep's and the team's totals equal the GROUP BY's -------------------
    with open_session(engine) as s:
        conn = s.connection()

        found: dict[tuple[date, date], dict[tuple[str, str], int]] = {}

        def grouped(span: tuple[date, date]) -> dict[tuple[str, str], int]:
            if span not in found:
                found[span] = totals_by(conn.execute(GROUP_BY, params(span)).all())
            return found[span]

        day_totals = grouped((daily.period.start, daily.period.end))
        checks = {
            "daily": agrees(daily.results, daily.team, grouped, daily.period)
            and set(daily.not_logged) == set(rep_ids) - {rep for rep, _ in day_totals},
            "weekly": agrees(weekly.results, weekly.team, grouped, weekly.period)
            and agrees(weekly.previous_results, [], grouped, weekly.previous),
            "monthly": agrees(monthly.results, monthly.team, grouped, monthly.period)
            and all(
                agrees([], list(point.lagging.values()), grouped, point.period)
                for point in monthly.trend
            ),
        }
        rows_in = {
            k: sum(conn.execute(COUNT_ROWS, params(span)).scalar_one() for span in span_list)
            for k, span_list in spans.items()
        }
        cards = [build_scorecard(s, ws, process, m, week, NOW) for m in members]
        cards_same = all(
            grouped(line_window(line.pacing.period or week, week)).get((c.rep_id, line.kpi.key), 0)
            == int(line.pacing.actual)
            for c in cards
            for line in c.lines
        )

    # What the rendered digests post; the charts' exact inputs, for (d).
    with mock.patch.object(charts, "attainment_chart", wraps=charts.attainment_chart) as bars:
        daily_parts = digest_messages.daily_parts(daily, process, names, TEAM_NAME)
    with mock.patch.object(charts, "trend_chart", wraps=charts.trend_chart) as lines:
        monthly_parts = digest_messages.monthly_parts(monthly, process, names, TEAM_NAME)
    if bars.call_args is not None and "attainment" not in charts_out:
        charts_out["attainment"] = bars.call_args
    if lines.call_args is not None and "trend" not in charts_out:
        charts_out["trend"] = lines.call_args
    posted = [p for p in daily_parts if p.chart is None]
    chart = next((p.chart for p in daily_parts if p.chart is not None), None)

    # -- timed, interleaved so drifting load hits every line alike ---------------------------------
    t = Timings()
    repetitions = 3 if quick else 15
    done = 0
    slowest = 0.0
    for i in range(repetitions):
        if budget.left() - reserve < max(slowest * 1.2, 1.0):
            report.note(f"{label}: time budget reached after {done} repetitions")
            break
        began = time.perf_counter()
        with gc_paused(), open_session(engine) as s:
            conn = s.connection()
            build = dict(zip(("daily", "weekly", "monthly"), digests(s), strict=True))
            for kind in ("daily", "weekly", "monthly"):
                # Alternate which of the pair goes first, so neither always runs after the other.
                pair = [
                    (
                        f"a {kind}",
                        lambda k=kind, c=conn: group_each(c, spans[k]),
                    ),
                    (f"b {kind}", build[kind]),
                ]
                for key, fn in pair if i % 2 == 0 else pair[::-1]:
                    t.add(key, timed(fn)[0])
            # The digests' SQL alone (what log_queries.team_period_totals returns, before any Python work).
            for kind in ("daily", "weekly", "monthly"):
                t.add(
                    f"sql {kind}",
                    timed(lambda r=spans[kind]: log_queries.team_period_totals(s, ws, rep_ids, r))[
                        0
                    ],
                )
            # (c) the daily digest rendered: its data, then its Slack parts with the chart.
            data_s, d = timed(build["daily"])
            parts_s, _ = timed(
                lambda d=d: digest_messages.daily_parts(d, process, names, TEAM_NAME)
            )
            t.add("c daily", data_s + parts_s)
            t.add("c daily data", data_s)
            t.add("c daily parts", parts_s)
            data_s, d = timed(build["weekly"])
            parts_s, _ = timed(
                lambda d=d: digest_messages.weekly_parts(d, process, names, TEAM_NAME)
            )
            t.add("c weekly", data_s + parts_s)
            data_s, d = timed(build["monthly"])
            parts_s, _ = timed(
                lambda d=d: digest_messages.monthly_parts(d, process, names, TEAM_NAME)
            )
            t.add("c monthly", data_s + parts_s)
            if i < (1 if quick else 3):  # the old way: one scorecard query per rep (~0.2 s)
                t.add(
                    "a week",
                    timed(lambda c=conn: group_each(c, spans["week"]))[0],
                )
                t.add(
                    "scorecards",
                    timed(lambda: [build_scorecard(s, ws, process, m, week, NOW) for m in members])[
                        0
                    ],
                )
        done += 1
        slowest = max(slowest, time.perf_counter() - began)

    def row(
        what: str, key: str, ratio_to: str | None = None, target: str = "", result: str = "info"
    ):
        values = t.get(key, [])
        ratio = ""
        if ratio_to and t.get(ratio_to):
            ratio = f"{median(values) / median(t[ratio_to]):.1f}×"
        report.add(
            f"{label}: {what}", len(values), ms(median(values)), tail(values), ratio, target, result
        )

    def ratio_verdict(kind: str) -> str:
        return report.timing(median(t[f"b {kind}"]) / median(t[f"a {kind}"]) <= TARGET_RATIO)

    def add_checks() -> None:
        for kind, ok in checks.items():
            report.check(
                f"{label}: {kind}_digest totals = the GROUP BY's", ok, 1, "every rep, team"
            )
        report.check(f"{label}: old scorecards = the GROUP BY's", cards_same, len(cards), "equal")

    if not t:
        report.add(
            f"{label}: no repetition fitted in the time budget", "", "", "", "", "", "skipped"
        )
        add_checks()
        return
    spans_text = {
        "daily": f"the day, week, month so far, {rows_in['daily']:,} rows",
        "weekly": f"the 2 weeks and months so far, {rows_in['weekly']:,} rows",
        "monthly": f"the {len(monthly.trend)} months it reads, {rows_in['monthly']:,} rows",
    }
    for kind in ("daily", "weekly", "monthly"):
        row(f"(a) one GROUP BY a range, {spans_text[kind]}", f"a {kind}", result="baseline")
        row(
            f"(b) {kind}_digest data",
            f"b {kind}",
            f"a {kind}",
            f"≤ {TARGET_RATIO:g}× (a)",
            ratio_verdict(kind),
        )
        row("     of which its SQL (log_queries)", f"sql {kind}", f"a {kind}")
    c = median(t["c daily"])
    row(
        "(c) daily digest rendered: data + daily_parts",
        "c daily",
        target=f"< {TARGET_RENDERED * 1000:.0f} ms",
        result=report.timing(c < TARGET_RENDERED),
    )
    row("     of which daily_digest (data)", "c daily data")
    row("     of which daily_parts (templates + chart PNG)", "c daily parts")
    row("weekly digest rendered: data + weekly_parts", "c weekly")
    row("monthly digest rendered: data + monthly_parts", "c monthly")
    if cold is not None:
        report.add(
            f"{label}: daily_parts, first call in the process (cold)",
            1,
            ms(cold),
            "",
            "",
            "",
            "info",
        )
    if t.get("scorecards"):
        report.add(
            f"{label}: (a) one GROUP BY, this week so far ({rows_in['week']:,} rows)",
            len(t["a week"]),
            ms(median(t["a week"])),
            tail(t["a week"]),
            "",
            "",
            "baseline",
        )
        row(f"old way: {len(members)} × build_scorecard, this week", "scorecards", "a week")
    add_checks()

    report.note(
        f"{label}: loaded {n_rows:,} rows ({reps} reps × {days} days × 4 KPIs, ~1% voided) and "
        f"{len(members)} active members in {load_s:.1f} s; {done} repetitions"
    )
    if chart is not None:
        w, h = png_size(chart.png)
        report.note(
            f"{label}: daily_parts posts {len(daily_parts)} parts: 1 channel message "
            f"({len(posted[0].blocks or [])} block(s)), {len(posted) - 1} thread pages, "
            f"1 chart ({w}×{h} px, {len(chart.png) / 1024:.0f} KB, "
            f"alt text {len(chart.alt_text)} characters); monthly_parts posts {len(monthly_parts)}"
        )
    daily_sql = captured_sql(
        engine,
        lambda: _with_session(engine, lambda s: daily_digest(s, ws, team, process, members, NOW)),
    )
    monthly_sql = captured_sql(
        engine,
        lambda: _with_session(engine, lambda s: monthly_digest(s, ws, team, process, members, NOW)),
    )
    # Each digest reads the logs in one statement, and the reps' days away in one more.
    daily_sql, daily_other = _logs_statements(daily_sql)
    monthly_sql, monthly_other = _logs_statements(monthly_sql)
    report.note(f"{label} plan (a, the day): {plan_text(engine, params(spans['daily'][0]))}")
    if len(daily_sql) == 1 and len(daily_other) == 1:
        report.note(f"{label} plan (b, daily: rep_id IN {reps} IDs): {plan(engine, *daily_sql[0])}")
    else:
        report.note(
            f"{label}: the daily digest sent {len(daily_sql)} statements on the logs and "
            f"{len(daily_other)} more, not 1 and 1"
        )
    if len(monthly_sql) == 1 and len(monthly_other) == 1:
        report.note(
            f"{label} plan (b, monthly: UNION ALL of {len(monthly.trend)}): {plan(engine, *monthly_sql[0])}"
        )
    else:
        report.note(
            f"{label}: the monthly digest sent {len(monthly_sql)} statements on the logs and "
            f"{len(monthly_other)} more, not 1 and 1"
        )


def plan_text(engine: Engine, params: dict) -> str:
    sql = GROUP_BY.text
    if engine.dialect.name == "sqlite":
        sql = sql.replace(":team", "?").replace(":start", "?").replace(":end", "?")
        values = (params["team"], params["start"].isoformat(), params["end"].isoformat())
    else:
        sql = (
            sql.replace(":team", "%(team)s")
            .replace(":start", "%(start)s")
            .replace(":end", "%(end)s")
        )
        values = params
    return plan(engine, sql, values)


def _logs_statements(statements: list) -> tuple[list, list]:
    """(the statements that read activity_log, the others)."""
    logs = [st for st in statements if "activity_log" in str(st[0])]
    return logs, [st for st in statements if "activity_log" not in str(st[0])]


def _with_session(engine: Engine, fn):
    with open_session(engine) as s:
        return fn(s)


def measure_charts(
    report: Report, quick: bool, budget: Budget, reserve: float, found: dict
) -> None:
    """(d) the charts alone, with the inputs the digests gave them: the daily digest's attainment
    chart (every rep, 80-character names) and the monthly digest's trend chart."""
    t = Timings()
    repetitions = 5 if quick else 20
    for _ in range(repetitions):
        if budget.left() - reserve < 1.0:
            report.note(
                f"charts: time budget reached after {len(t.get('attainment', []))} repetitions"
            )
            break
        with gc_paused():
            for key, fn in (("attainment", charts.attainment_chart), ("trend", charts.trend_chart)):
                if key in found:
                    call = found[key]
                    t.add(key, timed(lambda fn=fn, call=call: fn(*call.args, **call.kwargs))[0])
    if "attainment" in found and t.get("attainment"):
        call = found["attainment"]
        bars = call.args[1] if len(call.args) > 1 else call.kwargs["bars"]
        values = t["attainment"]
        report.add(
            f"(d) one chart: attainment_chart, {len(bars)} reps",
            len(values),
            ms(median(values)),
            tail(values),
            "",
            "",
            "info",
        )
    if "trend" in found and t.get("trend"):
        call = found["trend"]
        periods = call.args[1] if len(call.args) > 1 else call.kwargs["periods"]
        series = call.args[2] if len(call.args) > 2 else call.kwargs["series"]
        values = t["trend"]
        report.add(
            f"(d) trend_chart, {len(periods)} months × {len(series)} series",
            len(values),
            ms(median(values)),
            tail(values),
            "",
            "",
            "info",
        )
        png = charts.trend_chart(*call.args, **call.kwargs).png
        w, h = png_size(png)
        report.note(f"charts: the trend chart is {w}×{h} px, {len(png) / 1024:.0f} KB")


def bench_digest(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    report.tail = "p90 / worst"
    budget = Budget(58)
    found: dict = {}
    pg_reserve = 26.0 if postgres else 0.0  # the PostgreSQL part: ~6 s load, ~15 s measuring
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-digest-"))
    try:
        with data.sqlite_engine(str(folder / "digest.db")) as engine:
            measure(engine, "SQLite", report, quick, budget, pg_reserve + 4, found)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    measure_charts(report, quick, budget, pg_reserve, found)
    if postgres:
        with data.pg_schema_engine(postgres, "digest") as (engine, schema):
            measure(engine, "PostgreSQL", report, quick, budget, 0.0, found)
        report.note(f"PostgreSQL: {data.describe(postgres)}, schema {schema} (dropped)")
    else:
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")
    report.note(
        f"(b) judged on medians, each against the GROUP BY over the rows it reads; (c) judged on "
        f"the median. Times are warm (after one untimed run of each); names are given "
        f"({sizes(quick)[0]} × 80 characters), not looked up (bot.people.display_names reads a profile cache)"
    )
    report.note("SQLite without ANALYZE (Pacer never runs it); PostgreSQL after ANALYZE")
