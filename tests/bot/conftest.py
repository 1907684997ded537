"""The Rig as a fixture for every Slack-side test (tests/bot/support.py has the Rig itself)."""

import pytest

from simulator.slack_standin import SlackStandin
from tests.bot.support import Rig


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        rig = Rig(tmp_path, slack)
        yield rig
        rig.services.background.shutdown(wait=True)  # after-ack work ends before Slack's stand-in
