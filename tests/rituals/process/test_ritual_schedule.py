"""Tests for rituals.process.ritual_schedule: a RitualSchedule as plain data, and back."""

from __future__ import annotations

import json

from rituals.process import (
    dump_process,
    load_process_dict,
    load_process_text,
)
from tests.rituals.process.helpers import with_rituals


def test_rituals_round_trip():
    rituals = {
        "daily": "off",
        "weekly": {"day": "fri", "at": "16:30"},
        "monthly": {"enabled": False, "at": "10:00"},
        "leaderboards": [{"at": "10:00", "kpis": ["deals"]}, "14:00 calls conversations"],
        "nudges": "2pm",
        "standings": ["14:30", "10:30"],
        "lag_check": {"at": "10:00", "threshold": 0.75, "auto_launch": True},
        "coaching": "thu 9am",
    }
    p = load_process_dict(with_rituals(**rituals))
    assert load_process_dict(p.to_dict()) == p
    assert load_process_dict(json.loads(json.dumps(p.to_dict(), sort_keys=True))) == p
    assert load_process_text(dump_process(p)) == p
    assert p.to_dict()["rituals"] == {
        "daily": "off",
        "weekly": {"day": "fri", "at": "16:30"},
        "monthly": "off",
        "leaderboards": [
            {"at": "10:00", "kpis": ["deals"]},
            {"at": "14:00", "kpis": ["calls", "conversations"]},
        ],
        "nudges": {"at": "14:00"},
        "standings": {"at": ["10:30", "14:30"]},
        "lag_check": {"at": "10:00", "threshold": "75%", "min_elapsed": "25%", "auto_launch": True},
        "coaching": {"day": "thu", "at": "09:00", "every_days": 14},
    }
    # a weekly digest turned off forgets its day, so equal schedules are equal
    off = load_process_dict(with_rituals(weekly={"day": "fri", "enabled": False}))
    assert off.rituals.weekly_day == 0 and off == load_process_dict(with_rituals(weekly="off"))
