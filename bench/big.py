"""One scorecard with 10 M logs on PostgreSQL (DESIGN.md §9: < 20 ms). Off by default (`--big`):
loading 10 M rows with COPY takes minutes. With --quick (and no --big) the same steps run on
10,000 rows. The schema is fresh and dropped afterwards."""

import io
import random
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import text

from bench import data
from bench.common import Report, median, ms, percentile
from rituals.process import default_process
from rituals.scales import line_window
from rituals.scorecard import build_scorecard, period_for
from storage import people_queries
from storage.db import session as open_session

WORKSPACES, REPS_EACH, DAYS = 50, 100, 500  # 5,000 reps × 500 days × 4 KPIs = 10 M rows
QUICK = (5, 20, 25)  # 100 reps × 25 days × 4 KPIs = 10,000 rows
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=data.NY)
REP_WEEK = text(
    "SELECT kpi, sum(count) FROM activity_log WHERE workspace_id = :ws AND rep_id = :rep "
    "AND occurred_on >= :start AND occurred_on <= :end AND voided_at IS NULL GROUP BY kpi"
)
COPY_COLUMNS = (
    "workspace_id, team_id, rep_id, entered_by, kpi, count, occurred_on, created_at, source, "
    "batch_id, note"
)


def copy_text(
    process, rng: random.Random, rep_ids, last_day, start_n: int, n_days: int
) -> tuple[bytes, int]:
    """COPY text-format lines for some reps: 4 scorecard KPIs a day for `n_days` days."""
    scorecards = {r.key: r.scorecard for r in process.roles}
    days = []
    for back in range(n_days):
        day = last_day - timedelta(days=back)
        created = datetime.combine(day, clock_time(17, 30), data.NY).astimezone(UTC)
        days.append((day.isoformat(), created.isoformat(sep=" ")))
    out = io.StringIO()
    n = start_n
    for (ws, team), user, role in rep_ids:
        kpis = [(k, *data.COUNTS.get(k, (1, 5))) for k in scorecards[role]]
        for day, created in days:
            for kpi, low, high in kpis:
                n += 1
                out.write(
                    f"{ws}\t{team}\t{user}\t{user}\t{kpi}\t{rng.randint(low, high)}\t{day}\t"
                    f"{created}\timport\t00000000-0000-4000-8000-{n:012x}\t\n"
                )
    return out.getvalue().encode(), n


def bench_big(
    report: Report, quick: bool, postgres: str | None = None, big: bool = False, **_
) -> None:
    if not (big or quick):
        report.add(
            "one build_scorecard, 10 M logs, PostgreSQL", "", "", "", "", "< 20 ms", "skipped"
        )
        report.note(
            "off by default: pass --big (loads 10 M rows with COPY; takes minutes), "
            "or --quick (10,000 rows)"
        )
        return
    if not postgres:
        report.add("one build_scorecard, PostgreSQL", "", "", "", "", "< 20 ms", "skipped")
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")
        return
    workspaces, reps_each, days = (WORKSPACES, REPS_EACH, DAYS) if big else QUICK
    process = default_process()
    with data.pg_schema_engine(postgres, "big") as (engine, schema):
        began = time.perf_counter()
        teams = [data.add_team(engine, f"TBIG{i:05d}") for i in range(workspaces)]
        rep_ids = []
        for i, (ws, team) in enumerate(teams):
            roles = data.rep_roles(reps_each, prefix=f"UB{i:03d}")
            data.add_reps(engine, ws, team, roles)
            rep_ids += [((ws, team), user, role) for user, role in roles]
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            # Bulk-load practice: drop the secondary indexes, COPY, build them again; skip the
            # per-row foreign-key triggers (the referenced rows exist).
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s "
                "AND tablename = 'activity_log' AND indexname NOT LIKE '%%pkey'",
                (schema,),
            )
            indexes = cur.fetchall()
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'activity_log'::regclass AND contype = 'u'"
            )
            uniques = cur.fetchall()
            for name, _ in uniques:
                cur.execute(f'ALTER TABLE activity_log DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                if name not in {u for u, _ in uniques}:
                    cur.execute(f'DROP INDEX "{name}"')
            cur.execute("SET session_replication_role = replica")
            raw.commit()
            rng, n = random.Random(11), 0
            with cur.copy(f"COPY activity_log ({COPY_COLUMNS}) FROM STDIN") as copy:
                for start in range(0, len(rep_ids), 100):
                    chunk, n = copy_text(
                        process, rng, rep_ids[start : start + 100], NOW.date(), n, days
                    )
                    copy.write(chunk)
            raw.commit()
            loaded = time.perf_counter() - began
            cur.execute("SET session_replication_role = origin")
            cur.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in uniques:
                cur.execute(f'ALTER TABLE activity_log ADD CONSTRAINT "{name}" {definition}')
            for name, definition in indexes:
                if name not in {u for u, _ in uniques}:
                    cur.execute(definition)
            raw.commit()
            cur.execute("ANALYZE activity_log")
            raw.commit()
            cur.execute("SELECT count(*) FROM activity_log")
            total = cur.fetchone()[0]
            cur.close()
        finally:
            raw.close()
        ready = time.perf_counter() - began

        week = period_for(process, "week", NOW)
        rng = random.Random(5)
        with open_session(engine) as s:
            members = {}
            for ws, team in teams:
                for m in people_queries.active_members(s, team):
                    members[m.user_id] = (ws, m)
            picks = rng.sample(sorted(members), min(60, len(members)))
            times, first = [], None
            for user in picks:
                ws, member = members[user]
                t0 = time.perf_counter()
                card = build_scorecard(s, ws, process, member, week, NOW)
                took = time.perf_counter() - t0
                if first is None:
                    first = took
                else:
                    times.append(took)
            # The last scorecard against the same sums straight from SQL, each line over its own
            # dates (the week, or a monthly goal's month so far: rituals/scales.py).
            ws_last, last = members[picks[-1]]
            week_params = {"start": week.start, "end": week.end}
            sums_in: dict = {}
            for line in card.lines:
                since, until = line_window(line.pacing.period or week, week)
                if (since, until) not in sums_in:
                    params = {"ws": ws_last, "rep": last.user_id, "start": since, "end": until}
                    sums_in[(since, until)] = dict(s.connection().execute(REP_WEEK, params).all())
            sums = sums_in.get((week.start, week.end), {})
            card_same = bool(card.lines) and all(
                int(line.pacing.actual)
                == sums_in[line_window(line.pacing.period or week, week)].get(line.kpi.key, 0)
                for line in card.lines
            )
            ws0, m0 = members[picks[0]]
            plan = (
                s.connection()
                .execute(
                    text("EXPLAIN ANALYZE " + REP_WEEK.text),
                    {"ws": ws0, "rep": m0.user_id} | week_params,
                )
                .all()
            )
        report.add(
            f"one build_scorecard, {total:,} logs, PostgreSQL",
            len(times),
            ms(median(times)),
            ms(percentile(times, 99)),
            "",
            "< 20 ms",
            report.timing(percentile(times, 99) < 0.020),
        )
        report.add("  the first call (fresh session)", 1, ms(first), "", "", "", "info")
        report.check(
            "a scorecard's actuals = the SQL sums", card_same and sum(sums.values()) > 0, 1, "equal"
        )
        report.note(
            f"loaded {total:,} rows ({workspaces * reps_each:,} reps × {days} days × 4 KPIs) with COPY "
            f"in {loaded:.0f} s; indexes rebuilt and ANALYZE done at {ready:.0f} s; schema {schema} dropped"
        )
        report.note(
            "plan: "
            + " / ".join(r[0].strip() for r in plan if "Index" in r[0] or "Execution" in r[0])
        )
