"""The storage fixtures (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from tests.storage.conftest import database, engine, pg_admin, session, team, ws

__all__ = ["database", "engine", "pg_admin", "session", "team", "ws"]
