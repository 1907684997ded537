"""The lag check's test team (the Rig's, with a second manager and #sales) and its Monday: shared
by the lag check's tests and `pacer rituals run lag-check`'s (tests/cli/test_rituals.py)."""

from datetime import datetime

import pytest

from simulator.slack_standin import SlackStandin
from tests.bot.support import ADMIN, AE, SDR, Rig, no_waiting

MGR2 = "U0MGR0002"
CHANNEL = "C0SALES01"
MONDAY_10 = datetime.fromisoformat("2026-11-23T10:00:00-05:00")
TUESDAY_11 = datetime.fromisoformat("2026-11-24T11:00:00-05:00")


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def log_monday(rig, calls=10):
    rig.now = MONDAY_10
    # enough of the other KPIs to stay on pace up to Wednesday 11:00 (45% of the week)
    rig.text("/log", f"calls {calls} conversations 40 meetings 5", SDR)
    rig.text("/log", f"<@{SDR}> sao 1", AE)  # an SAO is credited by the AE
    rig.text("/log", "held 8 roi 4 proposals 3 deals 1", AE)
    rig.slack.reset()  # e.g. the SDR's note that the AE credited an SAO
    rig.now = TUESDAY_11
