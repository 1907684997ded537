"""Tests for rituals.process.base_checks: the readers every part of the file uses (keys,
names, keyed lists, unknown fields)."""

from __future__ import annotations

import copy

import pytest

from rituals.process import (
    ProcessError,
    default_process,
    load_process_dict,
)
from tests.rituals.process.helpers import base, kpi_dict, problem_at


@pytest.mark.parametrize("section", ["journey", "activities", "kpis", "roles"])
def test_duplicate_keys(section):
    data = base()
    data[section].append(copy.deepcopy(data[section][0]))
    index = len(data[section]) - 1
    problem = problem_at(data, f"{section}[{index}].key")
    assert "duplicate" in problem.message and f"{section}[0]" in problem.message


@pytest.mark.parametrize(
    ("section", "bad_key"), [("journey", "Has Conversation"), ("kpis", "1calls"), ("roles", "SDR")]
)
def test_bad_keys(section, bad_key):
    data = base()
    data[section][1]["key"] = bad_key
    problem = problem_at(data, f"{section}[1].key")
    assert "lowercase" in problem.fix


def test_unknown_field_in_an_item():
    data = base()
    kpi_dict(data, "calls")["kinds"] = "leading"
    problem = problem_at(data, "kpis.calls.kinds")
    assert "did you mean 'kind'" in problem.fix


def test_names_cannot_carry_slack_markup():
    data = default_process().to_dict()
    data["kpis"][0]["name"] = "Calls <!channel>"
    with pytest.raises(ProcessError, match="angle brackets"):
        load_process_dict(data)
