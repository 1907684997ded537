import pytest

from simulator.slack_standin import SlackStandin
from tests.e2e.harness import PacerServer, Workspace

# Tuesday 24 Nov 2026, 11:00 in New York: a quarter of the working week has passed.
CLOCK = "2026-11-24T11:00:00-05:00"


@pytest.fixture(scope="session")
def standin():
    with SlackStandin() as server:
        yield server


@pytest.fixture(scope="session")
def server(standin, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    pacer = PacerServer(
        standin, f"sqlite:///{folder / 'pacer.db'}", CLOCK, folder / "serve.log"
    ).start()
    yield pacer
    pacer.stop()


@pytest.fixture
def ws(server) -> Workspace:
    return Workspace(server)
