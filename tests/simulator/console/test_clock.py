"""`:time`'s argument: a moment, a day or a time of day, in team time unless it has an offset."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from simulator.console.clock import parse_moment


def test_time_takes_a_moment_a_day_or_a_time():
    ny = ZoneInfo("America/New_York")
    now = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
    assert parse_moment("2026-11-25T09:30", now, ny) == datetime.fromisoformat(
        "2026-11-25T09:30:00-05:00"
    )
    assert parse_moment("17:30", now, ny) == datetime.fromisoformat("2026-11-24T17:30:00-05:00")
    assert parse_moment("2026-11-26", now, ny) == datetime.fromisoformat("2026-11-26T11:00-05:00")
    assert parse_moment("2026-11-24T11:00Z", now, ny).hour == 11  # an offset is kept
    with pytest.raises(ValueError):
        parse_moment("tuesday", now, ny)
