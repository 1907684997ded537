"""The coaching tests' Rig: the team of tests/bot/support.py with four SDRs (Maria, Sam, Jenna,
Dev) and an AE, all on it since 1 Oct, and the clock at Tuesday 24 Nov 2026 11:00."""

import pytest

from simulator.slack_standin import SlackStandin
from tests.bot.coaching.support import JOINED, NAMES, SDR2, SDR3, SDR4
from tests.bot.support import ADMIN, AE, TUESDAY_11, Rig, no_waiting


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        for user_id, name in NAMES.items():
            slack.add_user(user_id, name)
        slack.add_user(AE, "Alex Chen")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.now = JOINED
        rig.team()
        for rep in (SDR2, SDR3, SDR4):
            rig.text("/pacer", f"team add <@{rep}> sdr", ADMIN)
        rig.now = TUESDAY_11
        yield rig
        rig.services.background.shutdown(wait=True)
