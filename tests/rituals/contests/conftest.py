"""The contest rules run against a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL
is set): the storage tests' fixtures, and the team's reps."""

import pytest

from tests.rituals.contests.support import add_reps
from tests.storage.conftest import database, engine, pg_admin, session, team, ws

__all__ = ["database", "engine", "pg_admin", "session", "team", "ws"]  # the storage fixtures


@pytest.fixture
def reps(session, ws, team):
    add_reps(session, ws, team)
