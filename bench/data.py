"""Test data for the storage benchmarks: a migrated database (an SQLite file, or a fresh
PostgreSQL schema that is dropped afterwards), one workspace and team, reps, and logs."""

import os
import random
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine, make_url

from rituals.process import Process
from storage.db import make_engine, normalize_url
from storage.migrate import upgrade
from storage.models import ActivityLog, Member, SalesTeam, Workspace

NY = ZoneInfo("America/New_York")
LOG_COLUMNS = (
    "workspace_id",
    "team_id",
    "rep_id",
    "entered_by",
    "kpi",
    "count",
    "occurred_on",
    "created_at",
    "source",
    "batch_id",
    "trigger_id",
    "note",
    "process_version_id",
    "voided_at",
    "voided_by",
)
# Plausible daily counts per KPI of the default process.
COUNTS = {
    "calls": (30, 80),
    "conversations": (4, 16),
    "meetings_scheduled": (1, 3),
    "sao": (1, 2),
    "meetings_held": (1, 4),
    "roi_discussions": (1, 3),
    "proposals": (1, 2),
    "deals": (1, 1),
}


def describe(url: str) -> str:
    u = make_url(normalize_url(url))
    return f"{u.get_backend_name()}://{u.host or ''}{':' + str(u.port) if u.port else ''}/{u.database or ''}"


@contextmanager
def sqlite_engine(path: str, migrate: bool = True) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        if migrate:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@contextmanager
def pg_schema_engine(url: str, label: str) -> Iterator[tuple[Engine, str]]:
    """An engine whose connections see only a new, empty, migrated schema; dropped on exit."""
    admin = make_engine(url)
    schema = f"bench_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine, schema
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def add_team(
    engine: Engine, slack_team_id: str = "TBENCH0001", name: str = "Sales"
) -> tuple[int, int]:
    """(workspace_id, team_id) of a new workspace with one team."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        ws = conn.execute(
            insert(Workspace.__table__)
            .values(slack_team_id=slack_team_id, enterprise_id="", created_at=now)
            .returning(Workspace.__table__.c.id)
        ).scalar_one()
        team = conn.execute(
            insert(SalesTeam.__table__)
            .values(workspace_id=ws, name=name, created_at=now)
            .returning(SalesTeam.__table__.c.id)
        ).scalar_one()
    return ws, team


def add_reps(engine: Engine, ws: int, team: int, roles: list[tuple[str, str]]) -> None:
    """roles: (user_id, role key) pairs."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Member.__table__),
            [
                dict(
                    workspace_id=ws,
                    team_id=team,
                    user_id=user,
                    role=role,
                    is_manager=False,
                    active=True,
                    added_by="UADMIN0001",
                    added_at=now,
                )
                for user, role in roles
            ],
        )


def rep_roles(n: int, prefix: str = "UREP") -> list[tuple[str, str]]:
    """Two SDRs for every AE."""
    return [(f"{prefix}{i:06d}", "ae" if i % 3 == 2 else "sdr") for i in range(n)]


def log_rows(
    process: Process,
    ws: int,
    team: int,
    roles: list[tuple[str, str]],
    last_day: date,
    days: int,
    seed: int = 7,
    void_share: float = 0.01,
) -> Iterator[dict]:
    """One row per scorecard KPI per rep per calendar day (4 a day), about 1% of them voided."""
    rng = random.Random(seed)
    scorecards = {r.key: r.scorecard for r in process.roles}
    for user, role in roles:
        for back in range(days):
            day = last_day - timedelta(days=back)
            created = datetime.combine(day, time(17, 30), NY).astimezone(UTC)
            for kpi in scorecards[role]:
                low, high = COUNTS.get(kpi, (1, 5))
                voided = rng.random() < void_share
                yield dict(
                    workspace_id=ws,
                    team_id=team,
                    rep_id=user,
                    entered_by=user,
                    kpi=kpi,
                    count=rng.randint(low, high),
                    occurred_on=day,
                    created_at=created,
                    source="import",
                    batch_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    trigger_id=None,
                    note="",
                    process_version_id=None,
                    voided_at=created + timedelta(minutes=5) if voided else None,
                    voided_by=user if voided else None,
                )


def insert_rows(engine: Engine, rows: Iterator[dict], chunk: int = 5000) -> int:
    table = ActivityLog.__table__
    total, batch = 0, []
    with engine.begin() as conn:
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                conn.execute(insert(table), batch)
                total += len(batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)
            total += len(batch)
    return total
