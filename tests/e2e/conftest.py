import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from simulator.slack_standin import SlackStandin
from storage.db import normalize_url
from tests.e2e.harness import PacerServer, Workspace

# Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working week has passed.
CLOCK = "2026-11-24T11:00:00-05:00"

# Every end-to-end test runs against `pacer serve` on SQLite, and on PostgreSQL too whenever
# TEST_DATABASE_URL is set (as CI does): a database of its own, migrated by the server itself.
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _postgres_database():
    """A fresh PostgreSQL database on TEST_DATABASE_URL's server; its URL, then dropped."""
    admin_url = make_url(normalize_url(os.environ["TEST_DATABASE_URL"]))
    name = f"pacer_e2e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def server(request, tmp_path_factory):
    """`pacer serve` on its database, with a Slack stand-in of its own (so what one server
    sent never shows in the other's calls)."""
    folder = tmp_path_factory.mktemp(f"serve-{request.param}")
    if request.param == "sqlite":
        urls = iter([f"sqlite:///{folder / 'pacer.db'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    with SlackStandin() as standin:
        pacer = PacerServer(standin, url, CLOCK, folder / "serve.log").start()
        yield pacer
        pacer.stop()
    next(urls, None)  # drops the PostgreSQL database


@pytest.fixture
def standin(server) -> SlackStandin:
    """The Slack stand-in the test's server talks to."""
    return server.standin


@pytest.fixture
def own_standin():
    """A Slack stand-in of the test's own, for a test that starts its own servers."""
    with SlackStandin() as standin:
        yield standin


@pytest.fixture
def ws(server) -> Workspace:
    return Workspace(server)
