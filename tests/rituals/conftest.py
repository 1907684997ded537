"""The storage tests' database fixtures (tests/storage/conftest.py), for the domain modules that
keep their promises in the database: rituals/runs.py's exactly-once runs are tested on SQLite
and on PostgreSQL whenever TEST_DATABASE_URL is set."""

from tests.storage.conftest import (  # noqa: F401  (fixtures)
    database,
    engine,
    pg_admin,
    session,
    team,
    ws,
)
