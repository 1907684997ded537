"""The delivery tests' ``rig``: the Rig with a channel and two named reps (support.py)."""

import pytest

from tests.bot.delivery.support import channel_rig


@pytest.fixture
def rig(tmp_path):
    with channel_rig(tmp_path) as rig:
        yield rig
