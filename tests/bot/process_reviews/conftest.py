import pytest

from tests.bot.process_reviews.support import review_rig


@pytest.fixture
def rig(tmp_path):
    yield from review_rig(tmp_path)
