"""Tests for rituals.process.cascade_checks: the journey, activities, KPIs and their words."""

from __future__ import annotations

import pytest

from rituals.process import (
    default_process,
    load_process_dict,
)
from tests.rituals.process.helpers import base, kpi_dict, paths, problem_at


def test_implicit_aliases_include_key_name_and_plural():
    p = default_process()
    assert {"sao", "saos", "sales accepted opportunities"} <= set(p.kpi("sao").aliases)
    assert {"calls", "call", "calls / emails"} <= set(p.kpi("calls").aliases)
    assert "roi discussion" in p.kpi("roi_discussions").aliases


def test_unknown_stage_in_activity():
    data = base()
    data["activities"][5]["stage"] = "purchse"
    problem = problem_at(data, "activities.close_deal.stage")
    assert "purchse" in problem.message and "did you mean 'purchase'" in problem.fix


def test_unknown_activity_in_kpi():
    data = base()
    kpi_dict(data, "calls")["activity"] = "cal_lead"
    problem = problem_at(data, "kpis.calls.activity")
    assert "did you mean 'call_lead'" in problem.fix


def test_broken_items_are_not_reported_again_as_unknown():
    data = base()
    data["activities"][5]["stage"] = "nope"  # close_deal is broken...
    kpi_dict(data, "sao")["kind"] = "result"  # ...and so is sao
    found = paths(data)
    assert found == ["activities.close_deal.stage", "kpis.sao.kind"]


def test_bad_kind():
    data = base()
    kpi_dict(data, "deals")["kind"] = "laging"
    problem = problem_at(data, "kpis.deals.kind")
    assert "leading" in problem.fix and "did you mean 'lagging'" in problem.fix


def test_kind_is_case_insensitive():
    data = base()
    kpi_dict(data, "deals")["kind"] = "Lagging"
    assert load_process_dict(data).kpi("deals").kind == "lagging"


def test_duplicate_alias_names_both_kpis():
    data = base()
    kpi_dict(data, "deals")["aliases"].append("Dials")
    problem = problem_at(data, "kpis.deals.aliases")
    assert "'calls'" in problem.message and "'deals'" in problem.message


def test_alias_equal_to_another_kpis_key_is_a_clash():
    data = base()
    kpi_dict(data, "deals")["aliases"].append("proposals")
    assert "kpis.deals.aliases" in paths(data)


@pytest.mark.parametrize("alias", ["12", "", "<!channel>", 5])
def test_bad_alias(alias):
    data = base()
    kpi_dict(data, "deals")["aliases"].append(alias)
    assert any(p.startswith("kpis.deals.aliases[") for p in paths(data))


def test_recorded_by_unknown_role():
    data = base()
    kpi_dict(data, "sao")["recorded_by"] = "account_exec"
    problem = problem_at(data, "kpis.sao.recorded_by")
    assert "ae" in problem.fix
