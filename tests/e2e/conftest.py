import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.common import postgres_database
from simulator.slack_standin import SlackStandin
from tests.e2e.harness import PacerServer, Workspace

# Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working week has passed.
CLOCK = "2026-11-24T11:00:00-05:00"

# Every end-to-end test runs against `pacer serve` on SQLite, and on PostgreSQL too whenever
# TEST_DATABASE_URL is set (as CI does): a database of its own, migrated by the server itself.
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A SQLite file in ``folder``, or a fresh PostgreSQL database on TEST_DATABASE_URL's
    server (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'pacer.db'}"
        return
    with postgres_database(os.environ["TEST_DATABASE_URL"], "pacer_e2e") as url:
        yield url


@pytest.fixture(scope="session", params=DATABASES)
def server(request, tmp_path_factory):
    """`pacer serve` on its database, with a Slack stand-in of its own (so what one server
    sent never shows in the other's calls)."""
    folder = tmp_path_factory.mktemp(f"serve-{request.param}")
    with database_url(request.param, folder) as url, SlackStandin() as standin:
        pacer = PacerServer(standin, url, CLOCK, folder / "serve.log").start()
        yield pacer
        pacer.stop()


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
