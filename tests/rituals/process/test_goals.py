"""Tests for rituals.process.goals: Goal and the forms parse_goal reads."""

from __future__ import annotations

import pytest

from rituals.process import (
    Goal,
    parse_goal,
)


@pytest.mark.parametrize(
    ("text", "amount", "per"),
    [
        ("60/day", 60, "day"),
        ("60 / day", 60, "day"),
        ("60 per day", 60, "day"),
        ("60 a day", 60, "day"),
        ("8/week", 8, "week"),
        ("6/month", 6, "month"),
        ("2.5/week", 2.5, "week"),
        ("1,000 per month", 1000, "month"),
        ("12 / Weekly", 12, "week"),
        ({"amount": 60, "per": "day"}, 60, "day"),
        ({"amount": "7", "per": "Week"}, 7, "week"),
    ],
)
def test_goal_forms(text, amount, per):
    assert parse_goal(text) == Goal(amount, per)


@pytest.mark.parametrize(
    "bad",
    [
        "60",
        60,
        "0/day",
        "-3/day",
        "60/fortnight",
        "sixty/day",
        "",
        None,
        True,
        [60, "day"],
        {"amount": 0, "per": "day"},
        {"amount": 5},
        {"amount": 5, "per": "day", "extra": 1},
        {"amount": float("nan"), "per": "day"},
        {"amount": float("inf"), "per": "day"},
        {"amount": 10**400, "per": "day"},
    ],
)
def test_bad_goals(bad):
    with pytest.raises(ValueError):
        parse_goal(bad)


def test_goal_str_and_validation():
    assert str(Goal(60, "day")) == "60/day"
    assert str(Goal(60.0, "day")) == "60/day"
    assert str(Goal(2.5, "week")) == "2.5/week"
    assert Goal(60, "day") == Goal(60.0, "day")
    with pytest.raises(ValueError):
        Goal(0, "day")
    with pytest.raises(ValueError):
        Goal(5, "year")
