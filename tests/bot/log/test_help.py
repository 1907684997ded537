"""bot/log/help.py: `/log help` speaks the asker's own KPI words, role and timezone."""

import pytest

from tests.bot.support import AE, SDR
from tests.bot.timezone_support import timezone_rig


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


def test_log_help_speaks_the_askers_own_kpi_words(rig):
    ae = rig.text("/log", "help", AE)
    assert "`/log meeting 12`" in ae and "`/log meeting 12 roi 3`" in ae
    assert "Account Executive" in ae and "`deals` Deals Closed" in ae
    assert "your own timezone (America/New_York)" in ae
    sdr = rig.text("/log", "help", SDR)
    assert "`/log calls 12 conversations 3`" in sdr and "your own timezone (Asia/Tokyo)" in sdr
    assert "`/log @rep sao 1`" in sdr and "an Account Executive crediting" in sdr
    assert "/coach" not in sdr  # /log's forms, not every command
