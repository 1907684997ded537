"""The lag check for 50 teams (issue 4): each team's KPIs against their weekly pace, and the
suggestions stored for the ones that lag, as the "lag-check" ritual does it every working day.

50 teams (10 with --quick; each in its own workspace) × 10 reps (2 SDRs : 1 AE) and a manager, 5 weeks of logs
(4 scorecard KPIs per rep per calendar day, ~1% voided), the default process (New York); half
of the teams log half as much this week, so their KPIs lag. As of Wednesday 25 Nov 2026 11:00
in New York (45% of the week gone)."""

import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, event, func, text
from sqlalchemy.engine import Engine
from sqlmodel import select

from bench import data
from bench.common import Budget, Report, filesystem_of, median, ms
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.ritual_deliveries import DELIVERIES
from bot.services import Services, make_client
from bot.settings import load_settings
from rituals import lag_check
from rituals.process import default_process
from rituals.schedule import occurrence_at
from rituals.teams import managers_of, team_process
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.db import session as open_session
from storage.models import LagSuggestion, Member, RitualRun
from storage.unit_of_work import unit_of_work

TEAMS, QUICK_TEAMS, REPS, DAYS = 50, 10, 10, 35
NOW = datetime(2026, 11, 25, 11, 0, tzinfo=data.NY)
WEEK_START = date(2026, 11, 23)


def load(engine: Engine, n_teams: int) -> tuple[list[tuple[int, int]], int]:
    """(workspace, team) per team, and the number of logs loaded."""
    process = default_process()
    teams, rows = [], 0
    for i in range(n_teams):
        ws, team = data.add_team(engine, slack_team_id=f"TBENCH{i:04d}")
        roles = data.rep_roles(REPS, prefix=f"U{i:03d}R")
        data.add_reps(engine, ws, team, roles)
        with engine.begin() as conn:
            conn.execute(
                Member.__table__.insert().values(
                    workspace_id=ws,
                    team_id=team,
                    user_id=f"U{i:03d}MGR",
                    role=None,
                    is_manager=True,
                    active=True,
                    added_by="UADMIN0001",
                    added_at=NOW,
                )
            )
        logs = data.log_rows(process, ws, team, roles, NOW.date(), DAYS, seed=i)
        if i % 2:  # a team that lags: half as much this week
            logs = (
                r | {"count": r["count"] // 2} if r["occurred_on"] >= WEEK_START else r
                for r in logs
            )
        rows += data.insert_rows(engine, logs)
        teams.append((ws, team))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return teams, rows


def check_team(engine: Engine, ws: int, team: int, run_id: int) -> int:
    """What run_lag_check does before Slack: the team, its process and members, the check, and
    the suggestions stored (committed by the unit of work). Returns how many were stored."""
    with unit_of_work(engine) as session:
        process, _ = team_process(session, team)
        members = people_queries.active_members(session, team)
        check = lag_check.check_lags(session, ws, process, members, NOW)
        if not check.lags:
            return 0
        stored = lag_check.record_suggestions(
            session,
            workspace_id=ws,
            team_id=team,
            lags=check.lags,
            run_id=run_id,
            notify=sorted(managers_of(session, team)),
            now=NOW,
        )
        return len(stored)


def compute_only(engine: Engine, ws: int, team: int) -> int:
    with open_session(engine) as session:
        process, _ = team_process(session, team)
        members = people_queries.active_members(session, team)
        return len(lag_check.check_lags(session, ws, process, members, NOW).lags)


def clear(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(LagSuggestion.__table__))
        conn.execute(delete(RitualRun.__table__))


def statements(engine: Engine, run: Callable[[], object]) -> list[str]:
    found: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        found.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return found


def full_ritual(
    engine: Engine, teams: list[tuple[int, int]], slack: SlackStandin
) -> Callable[[], list[str]]:
    """The ritual itself through bot.delivery.runner.run_ritual: claim, check, store, one private
    message per suggestion and manager to the local Slack stand-in, progress, finish."""
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "SLACK_API_URL": slack.url,
            "DATABASE_URL": "sqlite://",
        }
    )
    services = Services(
        settings, engine, make_client(settings), clock=lambda: NOW, deliveries=DELIVERIES
    )
    occurrence = occurrence_at(default_process(), "lag-check", NOW)
    pacer = ChannelPacer(0)

    def run() -> list[str]:
        """Each team's outcome ("posted", "settled", "failed" ...)."""
        return [
            run_ritual(services, team, occurrence, NOW, pacer=pacer, owner="bench").status
            for _, team in teams
        ]

    return run


def measure(engine: Engine, label: str, report: Report, quick: bool, budget: Budget) -> None:
    n_teams = QUICK_TEAMS if quick else TEAMS
    began = time.perf_counter()
    teams, rows = load(engine, n_teams)
    loaded = time.perf_counter() - began
    reps = 3 if quick else 7
    # warm-up, and the checks: how many teams lag, and one statement per team's numbers
    clear(engine)
    found = [check_team(engine, ws, team, 0) for ws, team in teams]
    ws0, team0 = teams[1]
    with open_session(engine) as session:
        process, _ = team_process(session, team0)
        members = people_queries.active_members(session, team0)
        sql = statements(engine, lambda: lag_check.check_lags(session, ws0, process, members, NOW))
    totals: list[float] = []
    computes: list[float] = []
    differing = 0  # repetitions whose suggestions differ from the warm-up's
    for repetition in range(reps):
        if budget.left() < 5:
            report.note(f"{label}: stopped after {repetition} repetitions (time budget)")
            break
        clear(engine)
        t0 = time.perf_counter()
        stored = [check_team(engine, ws, team, repetition + 1) for ws, team in teams]
        totals.append(time.perf_counter() - t0)
        differing += stored != found
        t0 = time.perf_counter()
        for ws, team in teams:
            compute_only(engine, ws, team)
        computes.append(time.perf_counter() - t0)
    n = len(totals)
    for what, values, per in (
        (f"lag check, {n_teams} teams (check + store)", totals, 1),
        ("  per team", totals, n_teams),
        (f"  the check alone, {n_teams} teams", computes, 1),
    ):
        report.add(
            f"{label}: {what}", n, ms(median(values) / per), ms(max(values) / per), "", "", "info"
        )
    with open_session(engine) as session:
        kinds = session.exec(
            select(LagSuggestion.kpi, func.count()).group_by(LagSuggestion.kpi)
        ).all()
    lagging = sum(1 for s in found if s)
    report.note(
        f"{label}: {rows:,} logs loaded in {loaded:.1f} s; {lagging} of {n_teams} teams lag, "
        f"{sum(found)} suggestions a run ({', '.join(f'{k} {c}' for k, c in sorted(kinds))}); "
        f"the team's numbers take {len(sql)} SQL statement(s)"
    )
    # the whole ritual once more, with Slack (a local stand-in) and the run bookkeeping
    with SlackStandin() as slack:
        run = full_ritual(engine, teams, slack)
        rituals: list[float] = []
        outcomes: Counter[str] = Counter()
        sent = 0
        for _ in range(max(1, reps // 2)):
            if budget.left() < 5:
                break
            clear(engine)
            before = len(slack.calls_to("chat.postMessage"))
            t0 = time.perf_counter()
            outcomes = Counter(run())
            rituals.append(time.perf_counter() - t0)
            sent = len(slack.calls_to("chat.postMessage")) - before
        if rituals:
            report.add(
                f"{label}: the ritual, {n_teams} teams (run_ritual, DMs to a stand-in)",
                len(rituals),
                ms(median(rituals)),
                ms(max(rituals)),
                "",
                "",
                "info",
            )
    report.check(
        f"{label}: the same suggestions every repetition",
        n > 0 and not differing,
        n,
        f"{sum(found)} a run",
        f"{differing} differ" if differing else "",
    )
    if rituals:
        # One manager per team: the ritual messages them once per suggestion.
        report.check(
            f"{label}: the ritual: a DM per suggestion, no run failed",
            sent == sum(found) and set(outcomes) <= {"posted", "settled"},
            len(rituals),
            f"{sum(found)} DMs",
            f"{sent}; " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
        )


def bench_lag_check(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    budget = Budget(60 if postgres else 40)
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-lag-"))
    try:
        with data.sqlite_engine(str(folder / "lag.db")) as engine:
            measure(engine, "SQLite", report, quick, budget)
        report.note(f"SQLite file in {folder} ({filesystem_of(str(folder))})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if postgres:
        with data.pg_schema_engine(postgres, "lag") as (engine, schema):
            measure(engine, "PostgreSQL", report, quick, budget)
        report.note(f"PostgreSQL: {data.describe(postgres)}, schema {schema} (dropped)")
    else:
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")
    report.note(
        f"{QUICK_TEAMS if quick else TEAMS} teams × {REPS} reps + a manager, {DAYS} days of logs, as of Wed 25 Nov 2026 "
        "11:00 New York; times are medians of the repetitions (after one untimed warm-up), "
        "each team in a session of its own as the ritual runs it; suggestions are deleted "
        "between repetitions (untimed)"
    )
