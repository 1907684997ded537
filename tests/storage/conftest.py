"""Fixtures for storage tests, on SQLite always and on PostgreSQL whenever TEST_DATABASE_URL is set.

Each test module gets its own database (a temporary SQLite file, or a fresh PostgreSQL schema
``pacer_test_<random>`` reached through ``search_path`` and dropped with CASCADE afterwards),
migrated with ``storage.migrate.upgrade`` so the real Alembic migration is exercised on both;
every test starts with its tables emptied. Tests that need a database nobody has migrated yet
use ``fresh_database``."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from storage import config_cache, db, people_queries
from storage.migrate import upgrade
from storage.models import SalesTeam, Workspace
from tests.storage.support import NOW, Database

DATABASES = ["sqlite", "postgresql"]
NO_POSTGRES = (
    "PostgreSQL storage tests run only when TEST_DATABASE_URL is set "
    "(e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test)"
)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine | None]:
    """An engine on TEST_DATABASE_URL's default schema, for creating and dropping test schemas."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield None
        return
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


@contextmanager
def _empty_database(kind: str, folder: Path, pg_admin: Engine | None) -> Iterator[Database]:
    if kind == "sqlite":
        database = Database("sqlite", f"sqlite:///{folder / 'pacer.db'}")
        try:
            yield database
        finally:
            database.dispose_all()
        return
    if pg_admin is None:
        pytest.skip(NO_POSTGRES)
    schema = f"pacer_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(
        "postgresql",
        os.environ["TEST_DATABASE_URL"],
        connect_args={"options": f"-csearch_path={schema}"},
    )
    try:
        yield database
    finally:
        database.dispose_all()
        with pg_admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=DATABASES)
def fresh_database(request, tmp_path, pg_admin) -> Iterator[Database]:
    """A database of its own for one test, not migrated yet."""
    with _empty_database(request.param, tmp_path, pg_admin) as database:
        yield database


@pytest.fixture(scope="module", params=DATABASES)
def database(request, tmp_path_factory, pg_admin) -> Iterator[Database]:
    """The module's database, migrated to head; ``database.engine`` is connected to it."""
    folder = tmp_path_factory.mktemp("storage")
    with _empty_database(request.param, folder, pg_admin) as database:
        database.engine = database.make_engine()
        upgrade(database.engine)
        yield database


def _delete_all_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # a connection a test left inside a transaction fails the next test, not hangs it
            conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    # The config stamp's row went too: nothing is cached for this database (and the statement
    # counts of the tests stay the queries themselves). tests/storage/test_config_cache.py puts
    # the row back.
    config_cache.clear()
    config_cache.unstamped(engine)


@pytest.fixture
def engine(database: Database) -> Engine:
    """The module's migrated database, with every table empty."""
    _delete_all_rows(database.engine)
    return database.engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with db.session(engine) as s:
        yield s


@pytest.fixture
def ws(session: Session) -> Workspace:
    workspace = people_queries.workspace_for(session, "T0001", None, NOW)
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    return workspace


@pytest.fixture
def team(session: Session, ws: Workspace) -> SalesTeam:
    sales = people_queries.default_team(session, ws.id, NOW)
    session.commit()
    return sales
