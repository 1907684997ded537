"""Tests for rituals.process.loader: the entry points, YAML reading, the top level, the default
process, and that any input gives a Process or a ProcessError."""

from __future__ import annotations

import copy
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rituals.pacing import Thresholds
from rituals.process import (
    DEFAULT_PROCESS_PATH,
    Process,
    ProcessError,
    default_process,
    dump_process,
    load_process_dict,
    load_process_file,
    load_process_text,
)
from tests.rituals.process.helpers import (
    base,
    kpi_dict,
    load_never_crashes,
    nested,
    paths,
    problem_at,
    problems_of,
    role_dict,
)


def test_default_loads_without_warnings():
    p = default_process()
    assert isinstance(p, Process)
    assert p.warnings == ()
    assert default_process() is p  # cached


def test_default_journey_matches_the_method():
    p = default_process()
    assert [s.name for s in p.stages] == [
        "Receives Call/Email",
        "Has Conversation",
        "Attends Discovery Meeting",
        "Evaluates ROI",
        "Receives Proposal",
        "Purchase",
    ]
    assert [(a.name, a.stage) for a in p.activities] == [
        ("Call Lead", "receives_call"),
        ("Ask for Conversation", "has_conversation"),
        ("Schedule Discovery Meeting", "attends_discovery"),
        ("Have ROI Discussion", "evaluates_roi"),
        ("Send Proposal", "receives_proposal"),
        ("Close Deal", "purchase"),
    ]


def test_default_scorecards_match_the_method():
    p = default_process()
    sdr, ae = p.role("sdr"), p.role("ae")
    assert [p.kpi(k).name for k in sdr.scorecard] == [
        "Calls / Emails",
        "Conversations",
        "Discovery Meetings Scheduled",
        "Sales Accepted Opportunities",
    ]
    assert [p.kpi(k).name for k in ae.scorecard] == [
        "Discovery Meetings Held",
        "ROI Discussions",
        "Proposals Sent",
        "Deals Closed",
    ]
    for role in (sdr, ae):
        kinds = [p.kpi(k).kind for k in role.scorecard]
        assert kinds == ["leading", "leading", "leading", "lagging"]
    assert p.kpi("sao").recorded_by == "ae"
    assert str(p.goal_for("sdr", "calls")) == "60/day"
    assert str(p.goal_for("ae", "deals")) == "4/month"


def test_default_settings():
    p = default_process()
    assert p.timezone == "America/New_York"
    assert p.calendar.tz == ZoneInfo("America/New_York")
    assert p.calendar.working_days == frozenset({0, 1, 2, 3, 4})
    assert (p.calendar.day_start, p.calendar.day_end) == (time(9), time(17))
    assert p.visibility == "public"
    assert p.thresholds == Thresholds(1.0, 0.8)
    assert (p.max_count, p.backdate_days) == (500, 14)
    assert dict(p.overrides) == {}


def test_default_file_is_the_shipped_yaml():
    assert DEFAULT_PROCESS_PATH.name == "default_process.yml"
    assert load_process_file(DEFAULT_PROCESS_PATH) == default_process()


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "# just a comment\n", "- a\n- b\n", "42", "just text", "[1, 2]"],
)
def test_not_a_mapping(text):
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].path in ("(file)", "(top level)")


def test_yaml_syntax_error_names_the_line():
    text = "name: x\njourney:\n  - {key: a, name: [unclosed\nkpis: []\n"
    (problem,) = problems_of(text)
    assert problem.path.startswith("line ")
    assert "YAML syntax error" in problem.message


def test_duplicate_yaml_keys_are_reported():
    text = DEFAULT_PROCESS_PATH.read_text().replace("sao: 6/month}", "sao: 6/month, calls: 70/day}")
    problems = problems_of(text)
    assert any("'calls' appears twice" in p.message for p in problems)


def test_missing_required_sections():
    found = paths({"name": "x"})
    assert {"journey", "activities", "kpis", "roles"} <= set(found)
    assert "name" in paths({"journey": []})


def test_unknown_section_suggests():
    data = base()
    data["visibility"] = "public"
    problem = problem_at(data, "visibility")
    assert "scorecard_visibility" in problem.fix


def test_unquoted_hours_in_yaml_are_times():
    # YAML 1.1 would read 17:30 as the number 1050; Pacer reads it as a time.
    text = DEFAULT_PROCESS_PATH.read_text().replace(
        'working_hours: {start: "09:00", end: "17:00"}', "working_hours: {start: 08:30, end: 17:30}"
    )
    p = load_process_text(text)
    assert (p.calendar.day_start, p.calendar.day_end) == (time(8, 30), time(17, 30))


def test_many_problems_are_all_reported():
    data = base()
    data["timezone"] = "Mars/Olympus"
    data["scorecard_visibility"] = "secret"
    data["activities"][0]["stage"] = "nowhere"
    kpi_dict(data, "deals")["kind"] = "sometimes"
    role_dict(data, "sdr")["scorecard"][2] = "meetngs"
    role_dict(data, "ae")["goals"]["deals"] = "0/month"
    data["overrides"] = {"bob": {"calls": "1/day"}}
    found = paths(data)
    assert set(found) >= {
        "timezone",
        "scorecard_visibility",
        "activities.call_lead.stage",
        "kpis.deals.kind",
        "roles.sdr.scorecard[2]",
        "roles.ae.goals.deals",
        "overrides.bob",
    }
    with pytest.raises(ProcessError) as info:
        load_process_dict(data)
    assert len(str(info.value).splitlines()) == len(found)


def test_load_process_file_names_the_file(tmp_path):
    missing = tmp_path / "nope.yml"
    with pytest.raises(ProcessError) as info:
        load_process_file(missing)
    assert str(missing) in str(info.value)
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\n")
    with pytest.raises(ProcessError) as info:
        load_process_file(bad)
    assert all(line.startswith(str(bad)) for line in str(info.value).splitlines())
    with pytest.raises(ProcessError):
        load_process_file(tmp_path)  # a directory
    binary = tmp_path / "bin.yml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProcessError):
        load_process_file(binary)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_loads_or_fails_cleanly(text):
    load_never_crashes(load_process_text, text)


yaml_ish_text = st.lists(
    st.sampled_from(
        [
            "name: x\n",
            "journey:\n",
            "  - {key: a, name: A}\n",
            "kpis:\n",
            "  - key: calls\n",
            "    kind: leading\n",
            "roles: [",
            "]\n",
            "goals: {calls: 60/day}\n",
            "&a [*a]\n",
            "!!python/object:os.system\n",
            "? [a, b]\n: c\n",
            "<<: *x\n",
            "x: !!timestamp 2020-13-45\n",
            "\t",
            "'",
            '"',
            "#",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            ": ",
            "- ",
            "{",
            "}",
            "17:00",
            "\x00",
            "\ufeff",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_ish_text)
def test_yaml_fragments_load_or_fail_cleanly(text):
    load_never_crashes(load_process_text, text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(nested)
def test_any_data_loads_or_fails_cleanly(data):
    load_never_crashes(load_process_dict, data)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(base())), nested, max_size=6))
def test_sections_with_any_values_load_or_fail_cleanly(changes):
    data = base()
    data.update(changes)
    load_never_crashes(load_process_dict, data)


def _paths_in(value, prefix=()):
    """Every (container path) -> key/index in nested dicts and lists."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            found.append((*prefix, k))
            found.extend(_paths_in(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.append((*prefix, i))
            found.extend(_paths_in(v, (*prefix, i)))
    return found


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_default_loads_or_fails_cleanly(data):
    doc = base()
    all_paths = _paths_in(doc)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        all_paths = _paths_in(doc)
        if not all_paths:
            break
        path = data.draw(st.sampled_from(all_paths))
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            parent[last]  # noqa: B018 - the path may have gone stale after a deletion
        except (KeyError, IndexError, TypeError):
            continue
        action = data.draw(st.sampled_from(["delete", "replace", "duplicate"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = data.draw(nested)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[data.draw(st.text(max_size=8))] = copy.deepcopy(parent[last])
    load_never_crashes(load_process_dict, doc)


def test_unquoted_ritual_times_in_yaml_are_times():
    text = dump_process(default_process()).replace("'17:30'", "17:30").replace("'off'", "off")
    assert "at: 17:30}" in text
    assert load_process_text(text) == default_process()
    text = text.replace("nudges: {at: '15:00'}", "nudges: off")
    assert load_process_text(text).rituals.nudges is None


def test_a_misplaced_ritual_section_is_pointed_to_rituals():
    data = base()
    data["leaderboards"] = [{"at": "12:00", "kpis": ["calls"]}]
    assert "did you mean 'rituals'" in problem_at(data, "leaderboards").fix
