"""The contest tests' rig: the Rig's team with two more SDRs, named people in the Slack stand-in,
#sales, and only the contests' rituals on (the others have tests of their own, and are slow)."""

import pytest

from simulator.slack_standin import SlackStandin
from tests.bot.contests.support import CHANNEL, SDR2, SDR3
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, no_waiting


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(SDR3, "Kim Lee")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
        rig.text("/pacer", f"team add <@{SDR3}> sdr", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        # Only the contests' posts: the other rituals have tests of their own (and are slow).
        for kind in (
            "daily",
            "weekly",
            "monthly",
            "leaderboards",
            "nudges",
            "lag_check",
            "coaching",
        ):
            assert "Rituals now" in rig.text("/pacer", f"ritual {kind} off", ADMIN), kind
        yield rig
        rig.services.background.shutdown(wait=True)
