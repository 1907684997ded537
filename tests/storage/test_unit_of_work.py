"""storage/unit_of_work.py on SQLite and PostgreSQL: what a unit of work writes is committed when
its block ends and is visible to others only then; any exception rolls all of it back and goes
on up as it was; a database that doesn't answer in time (an SQLite write lock held past the busy
timeout, a PostgreSQL lock past the lock timeout) or can't be opened is DatabaseUnavailable, and
nothing of the unit of work is stored."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import db, people_queries
from storage.errors import DatabaseUnavailable
from storage.models import SalesTeam, Workspace
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, Database, fresh


def workspaces(engine: Engine) -> list[str]:
    """The workspaces stored, as another connection sees them."""
    with fresh(engine) as other:
        return [w.slack_team_id for w in other.exec(select(Workspace).order_by(Workspace.id))]


def test_what_the_block_writes_is_committed_when_it_ends(engine):
    with unit_of_work(engine) as session:
        workspace = people_queries.workspace_for(session, "T0001", None, NOW)
        people_queries.default_team(session, workspace.id, NOW)
        assert workspaces(engine) == []  # flushed, not committed: others don't see it yet
    assert workspaces(engine) == ["T0001"]
    assert workspace.slack_team_id == "T0001"  # still readable: nothing expires on commit
    with fresh(engine) as other:
        assert [t.workspace_id for t in other.exec(select(SalesTeam))] == [workspace.id]


@pytest.mark.parametrize("error", [RuntimeError("a bug"), KeyboardInterrupt()])
def test_any_exception_rolls_everything_back_and_goes_on_up(engine, error):
    with pytest.raises(type(error)), unit_of_work(engine) as session:
        workspace = people_queries.workspace_for(session, "T0001", None, NOW)
        people_queries.default_team(session, workspace.id, NOW)
        raise error
    assert workspaces(engine) == []
    with fresh(engine) as other:
        assert list(other.exec(select(SalesTeam))) == []


def test_a_broken_constraint_is_rolled_back_and_not_mistaken_for_a_busy_database(engine):
    with unit_of_work(engine) as session:
        people_queries.workspace_for(session, "T0001", None, NOW)
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        people_queries.workspace_for(session, "T0002", None, NOW)
        session.add(Workspace(slack_team_id="T0001", created_at=NOW))  # taken: fails at commit
    assert workspaces(engine) == ["T0001"]


def test_a_unit_of_work_after_a_failed_one_starts_clean(engine):
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        people_queries.workspace_for(session, "T0001", None, NOW)
        raise RuntimeError("refused")
    with unit_of_work(engine) as session:
        people_queries.workspace_for(session, "T0002", None, NOW)
    assert workspaces(engine) == ["T0002"]


# -- a database that doesn't answer in time ---------------------------------------------------


@contextmanager
def lock_held_elsewhere(database: Database) -> Iterator[None]:
    """Another connection holds the lock a write needs: SQLite's database write lock, or an
    exclusive lock on PostgreSQL's workspace table."""
    if database.kind == "sqlite":
        holder = sqlite3.connect(database.url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    with database.make_engine().connect() as holder:
        holder.execute(text("LOCK TABLE workspace IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            holder.rollback()


def impatient_engine(database: Database) -> Engine:
    """An engine on the database whose wait for a lock ends at once (SQLite's busy timeout 0,
    PostgreSQL's lock_timeout 1 ms): the test doesn't wait out Pacer's 2.5 s."""
    if database.kind == "sqlite":
        engine = database.make_engine()

        @event.listens_for(engine, "connect")
        def no_waiting(dbapi_connection, _record) -> None:  # after Pacer's own pragmas
            dbapi_connection.execute("PRAGMA busy_timeout=0")

        return engine
    options = f"{database.connect_args['options']} -clock_timeout=1"
    engine = db.make_engine(database.url, connect_args={"options": options})
    database.engines.append(engine)
    return engine


def test_a_lock_held_past_the_timeout_is_database_unavailable_and_stores_nothing(database, engine):
    impatient = impatient_engine(database)
    with lock_held_elsewhere(database):
        with pytest.raises(DatabaseUnavailable) as busy, unit_of_work(impatient) as session:
            people_queries.workspace_for(session, "T0001", None, NOW)
        assert not isinstance(busy.value.__cause__, IntegrityError)
        assert ("locked" if database.kind == "sqlite" else "lock timeout") in str(busy.value)
    assert workspaces(engine) == []
    with unit_of_work(impatient) as session:  # the lock gone, the same write goes through
        people_queries.workspace_for(session, "T0001", None, NOW)
    assert workspaces(engine) == ["T0001"]


def test_a_database_that_cant_be_opened_is_database_unavailable(tmp_path):
    missing = db.make_engine(f"sqlite:///{tmp_path / 'no such folder' / 'pacer.db'}")
    unopened = pytest.raises(DatabaseUnavailable, match="unable to open database file")
    with unopened, unit_of_work(missing) as session:
        people_queries.workspace_for(session, "T0001", None, NOW)
    missing.dispose()
