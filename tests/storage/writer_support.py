"""Writers for the tests of storage/sqlite_writer.py and storage/wal_sync.py: an engine whose
SQLite busy timeout is 0, and a unit of work shaped like /log's."""

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import db, log_queries, people_queries
from storage.migrate import upgrade
from storage.models import ActivityLog
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY


def impatient_engine(path: Path) -> Engine:
    """Pacer's engine on ``path``, migrated, with SQLite's own busy timeout at 0."""
    engine = db.make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def no_waiting(dbapi_connection, _record) -> None:  # after Pacer's own pragmas
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    upgrade(engine)
    return engine


def add_team(engine: Engine) -> tuple[int, int]:
    with unit_of_work(engine) as session:
        ws = people_queries.workspace_for(session, "T0001", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        return ws.id, team.id


def log_row(ws: int, team: int, rep: str, trigger: str) -> ActivityLog:
    return ActivityLog(
        workspace_id=ws,
        team_id=team,
        rep_id=rep,
        entered_by=rep,
        kpi="calls",
        count=1,
        occurred_on=TODAY,
        created_at=NOW,
        source="slash",
        batch_id=trigger,
        trigger_id=trigger,
    )


def log_as_a_request_does(engine: Engine, ws: int, team: int, rep: str, trigger: str) -> None:
    """One /log's unit of work: read, write, read again in the same transaction."""
    with unit_of_work(engine) as session:
        log_queries.kpi_totals(session, ws, rep, TODAY, TODAY)
        assert log_queries.insert_logs(session, [log_row(ws, team, rep, trigger)])
        log_queries.kpi_totals(session, ws, rep, TODAY, TODAY)


def stored_triggers(engine: Engine) -> list[str]:
    with db.session(engine) as session:
        return sorted(session.exec(select(ActivityLog.trigger_id)))


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait for a state another thread reaches (not for time to pass); fail after 10 s."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.001)
