"""Tests for rituals.process.problems: how a Problem and a ProcessError read."""

from __future__ import annotations

from rituals.process import (
    Problem,
    ProcessError,
)


def test_problem_and_error_formatting():
    problem = Problem("roles.sdr.scorecard[2]", "unknown KPI 'meetngs'", "use one of calls")
    assert str(problem) == "roles.sdr.scorecard[2]: unknown KPI 'meetngs'. Fix: use one of calls."
    error = ProcessError([problem, Problem("name", "is missing", "add it")])
    assert str(error).splitlines() == [str(problem), "name: is missing. Fix: add it."]
    assert isinstance(error, ValueError)
