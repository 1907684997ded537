"""A fresh database file for each console session, and a console to draw screens on."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.console.session import Console
from tests.simulator.console.support import PAT, SAM, TUESDAY_11


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "console.db"


@pytest.fixture
def console(tmp_path) -> Iterator[Console]:
    """A console on an empty database with Sam and Pat in its stand-in Slack (and #sales)."""
    session = Console(f"sqlite:///{tmp_path / 'screen.db'}", io.StringIO(), now=TUESDAY_11)
    session.standin.add_user(SAM, "Sam Okafor")
    session.standin.add_user(PAT, "Pat Lee")
    try:
        yield session
    finally:
        session.close()
