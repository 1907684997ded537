"""The storage tests' database fixtures (tests/storage/conftest.py) for the domain tests that
read a real database: SQLite always, PostgreSQL whenever TEST_DATABASE_URL is set."""

from tests.storage.conftest import database, engine, pg_admin, session, team, ws

__all__ = ["database", "engine", "pg_admin", "session", "team", "ws"]
