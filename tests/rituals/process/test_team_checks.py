"""Tests for rituals.process.team_checks: timezone, working days and hours, visibility, pace
thresholds and limits."""

from __future__ import annotations

import pytest

from rituals.pacing import Thresholds
from rituals.process import (
    load_process_dict,
)
from tests.rituals.process.helpers import base, paths, problem_at


def test_unknown_timezone_suggests_close_names():
    data = base()
    data["timezone"] = "America/New_Yrok"
    problem = problem_at(data, "timezone")
    assert "America/New_York" in problem.fix


def test_timezone_case_is_forgiven():
    data = base()
    data["timezone"] = "europe/london"
    assert load_process_dict(data).timezone == "Europe/London"


@pytest.mark.parametrize(
    ("value", "days"),
    [
        (["mon", "tue", "wed", "thu", "fri"], {0, 1, 2, 3, 4}),
        (["Monday", "TUE", "wed"], {0, 1, 2}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        (["sun-thu"], {6, 0, 1, 2, 3}),
        (["mon", "mon", "sat"], {0, 5}),
    ],
)
def test_working_days_forms(value, days):
    data = base()
    data["working_days"] = value
    assert load_process_dict(data).calendar.working_days == frozenset(days)


@pytest.mark.parametrize("value", [[], ["funday"], [1, 2], "nope", None, {"mon": True}])
def test_bad_working_days(value):
    data = base()
    data["working_days"] = value
    assert any(p.startswith("working_days") for p in paths(data))


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"start": "17:00", "end": "09:00"}, "working_hours.end"),
        ({"start": "09:00", "end": "09:00"}, "working_hours.end"),
        ({"start": "9am", "end": "17:00"}, "working_hours.start"),
        ({"start": "09:00"}, "working_hours.end"),
        ({"start": "25:00", "end": "26:00"}, "working_hours.start"),
        ("all day", "working_hours"),
    ],
)
def test_bad_working_hours(value, path):
    data = base()
    data["working_hours"] = value
    assert path in paths(data)


def test_bad_visibility():
    data = base()
    data["scorecard_visibility"] = "secret"
    problem = problem_at(data, "scorecard_visibility")
    assert "public" in problem.fix and "managers" in problem.fix


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"on_pace": 0, "at_risk": 0.8}, "pace_thresholds.on_pace"),
        ({"on_pace": 1.0, "at_risk": "lots"}, "pace_thresholds.at_risk"),
        ({"on_pace": 0.7, "at_risk": 0.8}, "pace_thresholds.at_risk"),
        ({"on_pace": float("nan"), "at_risk": 0.8}, "pace_thresholds.on_pace"),
        ([1, 0.8], "pace_thresholds"),
    ],
)
def test_bad_thresholds(value, path):
    data = base()
    data["pace_thresholds"] = value
    assert path in paths(data)


def test_thresholds_as_percentages():
    data = base()
    data["pace_thresholds"] = {"on_pace": "100%", "at_risk": "75%"}
    assert load_process_dict(data).thresholds == Thresholds(1.0, 0.75)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"max_count": 0, "backdate_days": 14}, "limits.max_count"),
        ({"max_count": 2.5, "backdate_days": 14}, "limits.max_count"),
        ({"max_count": "500", "backdate_days": 14}, "limits.max_count"),
        ({"max_count": 500, "backdate_days": -1}, "limits.backdate_days"),
        ({"max_count": True, "backdate_days": 14}, "limits.max_count"),
        ("500", "limits"),
    ],
)
def test_bad_limits(value, path):
    data = base()
    data["limits"] = value
    assert path in paths(data)
