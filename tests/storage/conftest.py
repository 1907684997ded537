"""Fixtures for storage tests: every test gets a freshly migrated database, on SQLite always and
on PostgreSQL whenever TEST_DATABASE_URL is set (each test in a schema of its own, dropped with
CASCADE afterwards).

Schemas are made by ``storage.migrate.upgrade``, so the tests exercise the real Alembic migration
on both databases rather than ``SQLModel.metadata.create_all``."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import db, queries
from storage.migrate import upgrade
from storage.models import SalesTeam, Workspace
from tests.storage.support import NOW, Database

DATABASES = ["sqlite", "postgresql"]


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


@pytest.fixture(params=DATABASES)
def database(request, tmp_path, pg_admin) -> Iterator[Database]:
    """An empty database, not migrated yet."""
    if request.param == "sqlite":
        database = Database("sqlite", f"sqlite:///{tmp_path / 'pacer.db'}")
        yield database
        database.dispose_all()
        return
    if pg_admin is None:
        pytest.skip(
            "PostgreSQL storage tests run only when TEST_DATABASE_URL is set "
            "(e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test)"
        )
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


@pytest.fixture
def engine(database: Database) -> Engine:
    """The test database, migrated to head."""
    engine = database.make_engine()
    upgrade(engine)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with db.session(engine) as s:
        yield s


@pytest.fixture
def ws(session: Session) -> Workspace:
    return queries.workspace_for(session, "T0001", None, NOW)


@pytest.fixture
def team(session: Session, ws: Workspace) -> SalesTeam:
    return queries.default_team(session, ws.id, NOW)
