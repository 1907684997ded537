"""Tests for rituals.process.role_checks: scorecards, role words, goals, per-rep overrides, and
the method's advice (warnings)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rituals.process import (
    METHOD_QUOTE,
    Goal,
    default_process,
    dump_process,
    load_process_dict,
    load_process_text,
)
from tests.rituals.process.helpers import base, paths, problem_at, role_dict


def test_unknown_kpi_in_scorecard_suggests_the_key():
    data = base()
    role_dict(data, "sdr")["scorecard"][2] = "meetngs"
    problem = problem_at(data, "roles.sdr.scorecard[2]")
    assert "unknown KPI 'meetngs'" in problem.message
    assert "did you mean 'meetings_scheduled'?" in problem.fix
    assert "calls, conversations" in problem.fix


def test_role_alias_to_kpi_off_the_scorecard():
    data = base()
    role_dict(data, "sdr")["aliases"]["won"] = "deals"
    problem = problem_at(data, "roles.sdr.aliases.won")
    assert "not on the sdr scorecard" in problem.message


def test_role_alias_clashing_with_a_word_of_another_scorecard_kpi():
    data = base()
    role_dict(data, "sdr")["aliases"]["dials"] = "conversations"
    problem = problem_at(data, "roles.sdr.aliases.dials")
    assert "'calls'" in problem.message


def test_role_alias_to_unknown_kpi():
    data = base()
    role_dict(data, "ae")["aliases"]["meeting"] = "meetngs_held"
    problem = problem_at(data, "roles.ae.aliases.meeting")
    assert "unknown KPI" in problem.message and "meetings_held" in problem.fix


def test_role_alias_may_shadow_a_kpi_off_the_scorecard():
    data = base()
    role_dict(data, "ae")["aliases"]["set"] = "meetings_held"  # 'set' is an SDR word globally
    p = load_process_dict(data)
    assert [k.key for k in p.resolve_word("set", "ae")] == ["meetings_held"]
    assert [k.key for k in p.resolve_word("set", "sdr")] == ["meetings_scheduled"]


def test_same_kpi_twice_in_scorecard():
    data = base()
    role_dict(data, "ae")["scorecard"].append("Deals")
    problem = problem_at(data, "roles.ae.scorecard[4]")
    assert "twice" in problem.message


def test_goal_for_a_kpi_not_on_the_scorecard():
    data = base()
    role_dict(data, "ae")["goals"]["calls"] = "5/day"
    problem = problem_at(data, "roles.ae.goals.calls")
    assert "not on the ae scorecard" in problem.message


def test_goal_for_an_unknown_kpi():
    data = base()
    role_dict(data, "sdr")["goals"]["cals"] = "5/day"
    problem = problem_at(data, "roles.sdr.goals.cals")
    assert "did you mean 'calls'" in problem.fix


@pytest.mark.parametrize(
    "goal", ["0/day", "-5/week", "sixty/day", "60", "5/fortnight", {"amount": 0, "per": "day"}]
)
def test_bad_goal_values(goal):
    data = base()
    role_dict(data, "sdr")["goals"]["calls"] = goal
    problem = problem_at(data, "roles.sdr.goals.calls")
    assert "60/day" in problem.fix


def test_override_for_unknown_kpi():
    data = base()
    data["overrides"] = {"U0123ABCD": {"cals": "5/day"}}
    problem = problem_at(data, "overrides.U0123ABCD.cals")
    assert "did you mean 'calls'" in problem.fix


@pytest.mark.parametrize("user", ["u0123abcd", "bob", "U", "C0123ABCD", "<@U0123ABCD>", 123])
def test_override_for_a_bad_user_id(user):
    data = base()
    data["overrides"] = {user: {"calls": "5/day"}}
    assert f"overrides.{user}" in paths(data)


def test_override_with_a_bad_goal():
    data = base()
    data["overrides"] = {"U0123ABCD": {"calls": "0/day"}}
    assert "overrides.U0123ABCD.calls" in paths(data)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.from_regex(r"[UW][A-Z0-9]{2,8}", fullmatch=True),
        st.dictionaries(
            st.sampled_from([k.key for k in default_process().kpis]),
            st.builds(
                Goal,
                st.integers(min_value=1, max_value=10**6) | st.floats(0.01, 1e6),
                st.sampled_from(["day", "week", "month"]),
            ),
            min_size=1,
            max_size=3,
        ),
        max_size=3,
    )
)
def test_overrides_round_trip(overrides):
    data = base()
    data["overrides"] = {u: {k: str(g) for k, g in goals.items()} for u, goals in overrides.items()}
    p = load_process_dict(data)
    assert load_process_text(dump_process(p)) == p
    assert load_process_dict(json.loads(json.dumps(p.to_dict()))) == p
    for user, goals in overrides.items():
        for kpi, goal in goals.items():
            for role in p.roles:
                if kpi in role.scorecard:
                    assert p.goal_for(role.key, kpi, user) == goal


def test_warning_for_role_without_lagging_kpi():
    data = base()
    role_dict(data, "sdr")["scorecard"] = ["calls", "conversations", "meetings_scheduled"]
    del role_dict(data, "sdr")["goals"]["sao"]
    p = load_process_dict(data)
    (warning,) = [w for w in p.warnings if w.startswith("roles.sdr:")]
    assert "no lagging KPI" in warning and METHOD_QUOTE in warning


def test_warning_for_role_with_five_kpis():
    data = base()
    role_dict(data, "ae")["scorecard"].insert(0, "calls")
    role_dict(data, "ae")["goals"]["calls"] = "20/day"
    p = load_process_dict(data)
    (warning,) = [w for w in p.warnings if w.startswith("roles.ae:")]
    assert "5 KPIs" in warning and METHOD_QUOTE in warning
    assert "Too many metrics creates a lack of focus." in warning


def test_warning_for_missing_goal_and_unused_kpi():
    data = base()
    del role_dict(data, "sdr")["goals"]["conversations"]
    data["kpis"].append({"key": "referrals", "name": "Referrals", "kind": "lagging"})
    p = load_process_dict(data)
    assert any(w.startswith("roles.sdr.goals:") and "conversations" in w for w in p.warnings)
    assert any(w.startswith("kpis.referrals:") for w in p.warnings)
    assert p.goal_for("sdr", "conversations") is None


# -- ramp: a new hire's share of the goal by month of tenure --------------------------------------


def test_a_ramp_loads_into_the_role_as_shares():
    data = base()
    role_dict(data, "sdr")["ramp"] = ["25%", 0.5, "75 %"]
    process = load_process_dict(data)
    assert process.role("sdr").ramp == (0.25, 0.5, 0.75)
    assert process.role("ae").ramp == ()  # left out: no ramp


def test_a_ramp_from_yaml_text():
    text = dump_process(default_process()).replace(
        "  goals: {calls: 60/day", "  ramp: [25%, 50%, 100%]\n  goals: {calls: 60/day", 1
    )
    assert load_process_text(text).role("sdr").ramp == (0.25, 0.5, 1.0)


@pytest.mark.parametrize(
    ("ramp", "path", "message", "fix"),
    [
        ("25%", "roles.sdr.ramp", "must be a list of shares", "[25%, 50%, 75%]"),
        ({"1": "25%"}, "roles.sdr.ramp", "must be a list of shares", "1st, 2nd, 3rd month"),
        (["25%"] * 13, "roles.sdr.ramp", "a ramp of 13 months; at most 12", "one share per"),
        (["25%", "0%"], "roles.sdr.ramp[1]", "'0%' is not a share of the goal above 0%", "25%"),
        (["25%", "120%"], "roles.sdr.ramp[1]", "'120%' is not a share", "month 2's share"),
        ([-0.5], "roles.sdr.ramp[0]", "is not a share of the goal", "25%"),
        (["quarter"], "roles.sdr.ramp[0]", "'quarter' is not a share", "25%"),
        ([25, 50], "roles.sdr.ramp[0]", "25 is not a share", "with a percent sign: 25%"),
        (["50"], "roles.sdr.ramp[0]", "'50' is not a share", "with a percent sign: 50%"),
        ([True], "roles.sdr.ramp[0]", "is not a share", "25%"),
    ],
)
def test_a_ramp_that_is_not_one_is_a_clear_problem(ramp, path, message, fix):
    data = base()
    role_dict(data, "sdr")["ramp"] = ramp
    problem = problem_at(data, path)
    assert message in problem.message
    assert fix in problem.fix


def test_an_empty_ramp_is_no_ramp():
    data = base()
    role_dict(data, "sdr")["ramp"] = []
    assert load_process_dict(data).role("sdr").ramp == ()
