"""Shared values and builders for the storage tests (fixtures live in conftest.py)."""

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import db, people_queries
from storage.models import ActivityLog, Member, ProcessVersion, SalesTeam, Workspace

# Tuesday 24 Nov 2026, 16:00 UTC = 11:00 in New York (the default process's timezone).
NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@dataclass
class Database:
    """One test database: how to reach it, and every engine opened on it (disposed at the end)."""

    kind: str
    url: str
    connect_args: dict | None = None
    engines: list[Engine] = field(default_factory=list)
    engine: Engine | None = None  # the migrated module database's main engine

    def make_engine(self) -> Engine:
        kwargs = {"connect_args": self.connect_args} if self.connect_args else {}
        engine = db.make_engine(self.url, **kwargs)
        self.engines.append(engine)
        return engine

    def dispose_all(self) -> None:
        for engine in self.engines:
            engine.dispose()


def make_log(
    ws: Workspace,
    team: SalesTeam,
    *,
    kpi: str = "calls",
    count: int = 1,
    rep_id: str = "U_REP",
    entered_by: str | None = None,
    occurred_on: date = TODAY,
    created_at: datetime = NOW,
    batch_id: str | None = None,
    trigger_id: str | None = None,
    source: str = "slash",
) -> ActivityLog:
    return ActivityLog(
        workspace_id=ws.id,
        team_id=team.id,
        rep_id=rep_id,
        entered_by=entered_by or rep_id,
        kpi=kpi,
        count=count,
        occurred_on=occurred_on,
        created_at=created_at,
        source=source,
        batch_id=batch_id or str(uuid.uuid4()),
        trigger_id=trigger_id,
    )


def make_batch(ws: Workspace, team: SalesTeam, items: dict[str, int], **kw) -> list[ActivityLog]:
    """One /log with several KPIs: one row per KPI, all sharing a batch id."""
    batch_id = kw.pop("batch_id", None) or str(uuid.uuid4())
    return [
        make_log(ws, team, kpi=kpi, count=count, batch_id=batch_id, **kw)
        for kpi, count in items.items()
    ]


def make_version(workspace_id: int | None, team_id: int | None, name: str) -> ProcessVersion:
    """A process version row to store (add_process_version numbers it)."""
    return ProcessVersion(
        workspace_id=workspace_id,
        team_id=team_id,
        version=0,
        name=name,
        definition="{}",
        source_text="name: x",
        loaded_by="cli",
        loaded_at=NOW,
    )


def fresh(engine: Engine) -> Session:
    """A second session, so reads come from the database and not the first session's objects."""
    return db.session(engine)


def add_member(
    session: Session, ws: Workspace, team: SalesTeam, user_id: str, role: str | None, **kw
) -> Member:
    kw.setdefault("added_at", NOW)
    member = Member(
        workspace_id=ws.id, team_id=team.id, user_id=user_id, role=role, added_by="U_ADMIN", **kw
    )
    people_queries.save_member(session, member)
    session.commit()  # storage only flushes: committed here, as the request's unit of work would
    return member


def run_at_once(n: int, work) -> list:
    """Run work(i) in n threads released together; return results in thread order, and fail
    with the first error if any thread raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


class Statements:
    """Counts the SQL statements an engine runs inside a `with` block."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _record(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def __len__(self):
        return len(self.statements)
