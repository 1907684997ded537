"""Tests for rituals.process: the process file, its validation, lookups, edits and round trips."""

from __future__ import annotations

import copy
import json
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rituals.pacing import Thresholds
from rituals.process import (
    DEFAULT_PROCESS_PATH,
    METHOD_QUOTE,
    RITUALS,
    Goal,
    LeaderboardSlot,
    Problem,
    Process,
    ProcessError,
    RitualSchedule,
    default_process,
    dump_process,
    load_process_dict,
    load_process_file,
    load_process_text,
    parse_goal,
    render_cascade,
)


def base() -> dict:
    """A fresh, mutable copy of the default process as plain data."""
    return copy.deepcopy(default_process().to_dict())


def problems_of(data) -> list[Problem]:
    with pytest.raises(ProcessError) as info:
        if isinstance(data, str):
            load_process_text(data)
        else:
            load_process_dict(data)
    assert info.value.problems, "a ProcessError always lists its problems"
    return info.value.problems


def paths(data) -> list[str]:
    return [p.path for p in problems_of(data)]


def problem_at(data, path: str) -> Problem:
    found = [p for p in problems_of(data) if p.path == path]
    assert found, f"no problem at {path}: {[str(p) for p in problems_of(data)]}"
    return found[0]


def role_dict(data: dict, key: str) -> dict:
    return next(r for r in data["roles"] if r["key"] == key)


def kpi_dict(data: dict, key: str) -> dict:
    return next(k for k in data["kpis"] if k["key"] == key)


# --------------------------------------------------------------------------------------------
# The default process is the method's example


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


def test_cascade_follows_the_journey():
    p = default_process()
    cascade = p.cascade()
    assert [stage.key for stage, _, _ in cascade] == [s.key for s in p.stages]
    first_stage, first_act, first_kpis = cascade[0]
    assert first_act.key == "call_lead" and [k.key for k in first_kpis] == ["calls"]
    discovery = dict((s.key, kpis) for s, _, kpis in cascade)["attends_discovery"]
    assert {k.key for k in discovery} == {"meetings_scheduled", "sao", "meetings_held"}


def test_cascade_shows_a_stage_without_activity():
    data = base()
    data["journey"].append({"key": "renews", "name": "Renews"})
    p = load_process_dict(data)
    assert p.cascade()[-1][0].key == "renews" and p.cascade()[-1][1] is None
    assert any("journey.renews" in w for w in p.warnings)


def test_render_cascade():
    text = render_cascade(default_process())
    assert "Sales Development Rep (sdr): 3 leading + 1 lagging" in text
    assert "Receives Call/Email → Call Lead → Calls / Emails [calls, leading] · goal 60/day" in text
    assert "Purchase → Close Deal → Deals Closed [deals, lagging] · goal 4/month" in text
    assert "recorded by Account Executive" in text
    with_override = default_process().with_goal("U0123ABCD", "calls", Goal(50, "day"))
    assert "U0123ABCD: calls 50/day" in render_cascade(with_override)


# --------------------------------------------------------------------------------------------
# Goals


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


def test_goal_per_rep_override():
    data = base()
    data["overrides"] = {"U0123ABCD": {"calls": "50/day"}, "W0ENTERPRISE": {"Deals": "2/month"}}
    p = load_process_dict(data)
    assert p.goal_for("sdr", "calls", "U0123ABCD") == Goal(50, "day")
    assert p.goal_for("sdr", "conversations", "U0123ABCD") == Goal(12, "day")  # role's goal
    assert p.goal_for("sdr", "calls", "U0OTHER") == Goal(60, "day")
    assert p.goal_for("sdr", "calls") == Goal(60, "day")
    assert p.goal_for("ae", "deals", "W0ENTERPRISE") == Goal(2, "month")
    # a KPI that is not on the role's scorecard has no goal, override or not
    assert p.goal_for("ae", "calls", "U0123ABCD") is None
    assert p.goal_for("SDR", "Calls") == Goal(60, "day")  # keys are case-insensitive
    with pytest.raises(KeyError):
        p.goal_for("cfo", "calls")


# --------------------------------------------------------------------------------------------
# Words


def test_resolve_word_role_aliases():
    p = default_process()
    assert [k.key for k in p.resolve_word("meeting", "sdr")] == ["meetings_scheduled"]
    assert [k.key for k in p.resolve_word("meetings", "ae")] == ["meetings_held"]
    # without a role the word is ambiguous: both meanings, for the caller to ask
    assert {k.key for k in p.resolve_word("meeting")} == {"meetings_scheduled", "meetings_held"}
    # a role's own words don't leak into another role's lookups... global words still work
    assert [k.key for k in p.resolve_word("held", "sdr")] == ["meetings_held"]


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("call", "calls"),
        ("CALLS", "calls"),
        ("Dials", "calls"),
        ("  email ", "calls"),
        ("deal", "deals"),
        ("Deals Closed", "deals"),
        ("roi discussion", "roi_discussions"),
        ("ROI  discussions", "roi_discussions"),
        ("roi_discussions", "roi_discussions"),
        ("roi-discussion", "roi_discussions"),
        ("sao", "sao"),
        ("saos", "sao"),
        ("sales accepted opportunities", "sao"),
        ("meetings_scheduled", "meetings_scheduled"),
        ("meetings scheduled", "meetings_scheduled"),
        ("meeting held", "meetings_held"),
        ("proposal", "proposals"),
    ],
)
def test_resolve_word_forms(word, key):
    assert [k.key for k in default_process().resolve_word(word, "sdr")] == [key]


def test_resolve_unknown_word():
    p = default_process()
    assert p.resolve_word("lunch") == []
    assert p.resolve_word("", "sdr") == []
    assert p.resolve_word("12", "sdr") == []
    assert p.resolve_word("call", "no_such_role") == [p.kpi("calls")]


def test_implicit_aliases_include_key_name_and_plural():
    p = default_process()
    assert {"sao", "saos", "sales accepted opportunities"} <= set(p.kpi("sao").aliases)
    assert {"calls", "call", "calls / emails"} <= set(p.kpi("calls").aliases)
    assert "roi discussion" in p.kpi("roi_discussions").aliases


def test_all_words_and_suggest():
    p = default_process()
    words = p.all_words("sdr")
    assert words[:2] == ["meeting", "meetings"]  # the role's own words first
    assert "dials" in words
    assert "meetings_held" not in words  # a rep is offered their own scorecard's words only
    assert "meetings_held" in p.all_words()
    assert "meeting" in p.all_words()
    assert p.suggest("cals", "sdr")[0] == "calls"
    assert p.suggest("convos", "sdr")[0] == "convos"
    assert p.suggest("meetngs", "sdr")[0] == "meetings"
    assert p.suggest("propsal", "ae") == ["proposal"]
    assert p.suggest("xyzzy") == []
    assert len(p.suggest("cals", n=1)) == 1
    # at most one suggestion per KPI
    suggested = [p.resolve_word(w, "sdr")[0].key for w in p.suggest("call", "sdr", n=5)]
    assert len(suggested) == len(set(suggested))
    assert p.suggest("cals", "sdr", cutoff=0.99) == []


def test_kpi_and_role_lookup():
    p = default_process()
    assert p.kpi("Calls").key == "calls"
    assert p.has_role("AE") and not p.has_role("cfo") and not p.has_role(None)
    with pytest.raises(KeyError):
        p.kpi("nope")
    with pytest.raises(KeyError):
        p.role("nope")


# --------------------------------------------------------------------------------------------
# Errors: every one names its place and its fix


def test_problem_and_error_formatting():
    problem = Problem("roles.sdr.scorecard[2]", "unknown KPI 'meetngs'", "use one of calls")
    assert str(problem) == "roles.sdr.scorecard[2]: unknown KPI 'meetngs'. Fix: use one of calls."
    error = ProcessError([problem, Problem("name", "is missing", "add it")])
    assert str(error).splitlines() == [str(problem), "name: is missing. Fix: add it."]
    assert isinstance(error, ValueError)


def test_unknown_kpi_in_scorecard_suggests_the_key():
    data = base()
    role_dict(data, "sdr")["scorecard"][2] = "meetngs"
    problem = problem_at(data, "roles.sdr.scorecard[2]")
    assert "unknown KPI 'meetngs'" in problem.message
    assert "did you mean 'meetings_scheduled'?" in problem.fix
    assert "calls, conversations" in problem.fix


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


@pytest.mark.parametrize("section", ["journey", "activities", "kpis", "roles"])
def test_duplicate_keys(section):
    data = base()
    data[section].append(copy.deepcopy(data[section][0]))
    index = len(data[section]) - 1
    problem = problem_at(data, f"{section}[{index}].key")
    assert "duplicate" in problem.message and f"{section}[0]" in problem.message


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


def test_recorded_by_unknown_role():
    data = base()
    kpi_dict(data, "sao")["recorded_by"] = "account_exec"
    problem = problem_at(data, "kpis.sao.recorded_by")
    assert "ae" in problem.fix


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


def test_unquoted_hours_in_yaml_are_times():
    # YAML 1.1 would read 17:30 as the number 1050; Pacer reads it as a time.
    text = DEFAULT_PROCESS_PATH.read_text().replace(
        'working_hours: {start: "09:00", end: "17:00"}', "working_hours: {start: 08:30, end: 17:30}"
    )
    p = load_process_text(text)
    assert (p.calendar.day_start, p.calendar.day_end) == (time(8, 30), time(17, 30))


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


# --------------------------------------------------------------------------------------------
# Warnings


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


# --------------------------------------------------------------------------------------------
# Edits and round trips


def test_with_goal_for_a_role():
    p = default_process()
    q = p.with_goal("sdr", "calls", Goal(70, "day"))
    assert q.goal_for("sdr", "calls") == Goal(70, "day")
    assert p.goal_for("sdr", "calls") == Goal(60, "day")  # the original is untouched
    # any word naming the KPI works, and goals may be given as text
    assert p.with_goal("sdr", "dials", "65/day").goal_for("sdr", "calls") == Goal(65, "day")
    removed = p.with_goal("sdr", "calls", None)
    assert removed.goal_for("sdr", "calls") is None
    assert any("roles.sdr.goals" in w for w in removed.warnings)


def test_with_goal_override_for_a_user():
    p = default_process()
    q = p.with_goal("U0123ABCD", "calls", Goal(50, "day"))
    assert q.goal_for("sdr", "calls", "U0123ABCD") == Goal(50, "day")
    assert dict(q.overrides["U0123ABCD"]) == {"calls": Goal(50, "day")}
    r = q.with_goal("<@U0123ABCD|ann>", "calls", None)
    assert "U0123ABCD" not in r.overrides
    assert r == p


def test_with_goal_validates():
    p = default_process()
    with pytest.raises(ProcessError) as info:
        p.with_goal("ae", "calls", Goal(5, "day"))
    assert info.value.problems[0].path == "roles.ae.goals.calls"
    with pytest.raises(ProcessError):
        p.with_goal("cfo", "calls", Goal(5, "day"))
    with pytest.raises(ProcessError):
        p.with_goal("sdr", "calls", "0/day")
    with pytest.raises(ProcessError):
        p.with_goal("U0123ABCD", "nonsense", Goal(5, "day"))


def test_with_settings():
    p = default_process()
    q = p.with_settings(
        timezone="Europe/London",
        working_days=["mon", "tue", "wed", "thu"],
        working_hours={"start": "08:00", "end": "16:30"},
        visibility="managers",
    )
    assert q.timezone == "Europe/London" and q.calendar.tz == ZoneInfo("Europe/London")
    assert q.calendar.working_days == frozenset({0, 1, 2, 3})
    assert (q.calendar.day_start, q.calendar.day_end) == (time(8), time(16, 30))
    assert q.visibility == "managers"
    assert q.kpis == p.kpis and q.roles == p.roles
    assert load_process_text(dump_process(q)) == q
    assert p.with_settings(max_count=50).max_count == 50
    assert p.with_settings(working_hours="08:00-12:00").calendar.day_end == time(12)


def test_with_settings_validates():
    p = default_process()
    with pytest.raises(ProcessError) as info:
        p.with_settings(timezone="Nowhere/Land", visibility="secret")
    assert {x.path for x in info.value.problems} == {"timezone", "scorecard_visibility"}
    with pytest.raises(ProcessError):
        p.with_settings(working_hours={"start": "18:00", "end": "09:00"})
    with pytest.raises(ProcessError):
        p.with_settings(colour="blue")


def test_dump_round_trip():
    p = default_process()
    text = dump_process(p)
    assert text.index("name:") < text.index("journey:") < text.index("kpis:") < text.index("roles:")
    assert load_process_text(text) == p
    assert load_process_dict(p.to_dict()) == p


def test_json_round_trip_with_sorted_keys():
    p = default_process().with_goal("W0ENTERPRISE", "deals", "2.5/month")
    data = json.loads(json.dumps(p.to_dict(), sort_keys=True))
    assert load_process_dict(data) == p


def test_dump_quotes_what_needs_quoting():
    data = base()
    data["name"] = "yes: no # maybe"
    data["journey"][0]["name"] = "17:00"
    kpi_dict(data, "calls")["aliases"].append("on")
    kpi_dict(data, "calls")["description"] = "- starts with a dash, has 'quotes' and \"more\""
    p = load_process_dict(data)
    assert load_process_text(dump_process(p)) == p


# --------------------------------------------------------------------------------------------
# Property tests: whatever the input, a Process or a ProcessError, never anything else


def _load_never_crashes(load, value) -> None:
    try:
        result = load(value)
    except ProcessError as exc:
        assert exc.problems
        assert all(isinstance(p, Problem) and p.path is not None for p in exc.problems)
        assert not any("internal error" in p.message for p in exc.problems), str(exc)
        str(exc)
    else:
        assert isinstance(result, Process)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_loads_or_fails_cleanly(text):
    _load_never_crashes(load_process_text, text)


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
    _load_never_crashes(load_process_text, text)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["calls", "sdr", "60/day", "09:00", "leading", "U0123ABCD", "mon-fri"])
)
nested = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12) | st.integers() | st.none(), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(nested)
def test_any_data_loads_or_fails_cleanly(data):
    _load_never_crashes(load_process_dict, data)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(base())), nested, max_size=6))
def test_sections_with_any_values_load_or_fail_cleanly(changes):
    data = base()
    data.update(changes)
    _load_never_crashes(load_process_dict, data)


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
    _load_never_crashes(load_process_dict, doc)


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


def test_names_cannot_carry_slack_markup():
    data = default_process().to_dict()
    data["kpis"][0]["name"] = "Calls <!channel>"
    with pytest.raises(ProcessError, match="angle brackets"):
        load_process_dict(data)


# --------------------------------------------------------------------------------------------
# Rituals: the `rituals:` section


def with_rituals(**rituals) -> dict:
    data = base()
    data["rituals"] = rituals
    return data


DEFAULT_RITUALS = {
    "daily": {"at": "17:30"},
    "weekly": {"day": "mon", "at": "09:00"},
    "monthly": {"at": "09:00"},
    "leaderboards": [
        {"at": "12:00", "kpis": ["calls", "conversations", "meetings_held", "roi_discussions"]},
        {"at": "16:00", "kpis": ["calls", "meetings_held"]},
    ],
    "nudges": {"at": "15:00"},
    "standings": {"at": ["11:30", "15:30"]},
    "lag_check": {"at": "11:00", "threshold": "80%", "min_elapsed": "25%", "auto_launch": False},
    "coaching": {"day": "mon", "at": "09:30", "every_days": 14},
}


def test_default_rituals():
    r = default_process().rituals
    assert isinstance(r, RitualSchedule)
    assert (r.daily, r.weekly, r.weekly_day, r.monthly, r.nudges) == (
        time(17, 30),
        time(9),
        0,
        time(9),
        time(15),
    )
    assert r.leaderboards == (
        LeaderboardSlot(time(12), ("calls", "conversations", "meetings_held", "roi_discussions")),
        LeaderboardSlot(time(16), ("calls", "meetings_held")),
    )
    assert default_process().to_dict()["rituals"] == DEFAULT_RITUALS


def test_rituals_default_without_the_section():
    data = base()
    del data["rituals"]  # e.g. a version stored before the section existed
    assert load_process_dict(data) == default_process()
    data["rituals"] = None
    assert load_process_dict(data).rituals == default_process().rituals
    data["rituals"] = {"daily": {"at": "18:00"}}  # the others keep their defaults
    r = load_process_dict(data).rituals
    assert r.daily == time(18) and r.nudges == time(15) and len(r.leaderboards) == 2


def test_default_leaderboards_put_every_role_on_a_board():
    data = base()
    del data["rituals"]
    data["roles"].reverse()  # the AE first: meetings held, ROI discussions, proposals, deals
    r = load_process_dict(data).rituals
    assert r.leaderboards == (
        LeaderboardSlot(time(12), ("meetings_held", "roi_discussions", "calls", "conversations")),
        LeaderboardSlot(time(16), ("meetings_held", "calls")),
    )


def test_a_process_without_calls_gets_valid_default_leaderboards():
    text = """
name: Tiny
journey: [{key: buys, name: Buys}]
activities: [{key: sell, name: Sell, stage: buys}]
kpis:
  - {key: demos, kind: leading, activity: sell}
  - {key: wins, kind: lagging, activity: sell}
roles: [{key: rep, scorecard: [demos, wins], goals: {demos: 2/day, wins: 1/week}}]
"""
    p = load_process_text(text)
    assert [s.kpis for s in p.rituals.leaderboards] == [("demos",), ("demos",)]
    assert load_process_text(dump_process(p)) == p


@pytest.mark.parametrize("off", ["off", "OFF", False, "no", "none", {"enabled": False}])
def test_each_ritual_can_be_turned_off(off):
    data = with_rituals(
        daily=off,
        weekly=off,
        monthly=off,
        nudges=off,
        leaderboards=off,
        standings=off,
        lag_check=off,
        coaching=off,
    )
    r = load_process_dict(data).rituals
    assert r == RitualSchedule.off()
    assert (r.daily, r.weekly, r.monthly, r.nudges, r.leaderboards) == (None,) * 4 + ((),)


def test_the_whole_section_can_be_off_and_on():
    data = base()
    data["rituals"] = "off"
    assert load_process_dict(data).rituals == RitualSchedule.off()
    data["rituals"] = "on"
    assert load_process_dict(data).rituals == default_process().rituals
    assert load_process_dict(with_rituals(daily=True, leaderboards="on")).rituals == (
        default_process().rituals
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17:00", time(17)),
        ("9:05", time(9, 5)),
        ("5pm", time(17)),
        ("5:30 PM", time(17, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        (time(18, 45, 30), time(18, 45)),
        ({"at": "08:15"}, time(8, 15)),
        ({"at": "08:15", "enabled": True}, time(8, 15)),
        ({"enabled": True}, time(17, 30)),
        ({}, time(17, 30)),
        (None, time(17, 30)),
    ],
)
def test_ritual_time_forms(value, expected):
    assert load_process_dict(with_rituals(daily=value)).rituals.daily == expected


@pytest.mark.parametrize(
    ("value", "day", "at"),
    [
        ("fri 16:00", 4, time(16)),
        ("Friday at 4pm", 4, time(16)),
        ("sun", 6, time(9)),
        ("10:30", 0, time(10, 30)),
        ({"day": "tue"}, 1, time(9)),
        ({"day": "Wednesday", "at": "08:00"}, 2, time(8)),
    ],
)
def test_weekly_forms(value, day, at):
    r = load_process_dict(with_rituals(weekly=value)).rituals
    assert (r.weekly_day, r.weekly) == (day, at)


def test_unquoted_ritual_times_in_yaml_are_times():
    text = dump_process(default_process()).replace("'17:30'", "17:30").replace("'off'", "off")
    assert "at: 17:30}" in text
    assert load_process_text(text) == default_process()
    text = text.replace("nudges: {at: '15:00'}", "nudges: off")
    assert load_process_text(text).rituals.nudges is None


@pytest.mark.parametrize(
    ("rituals", "path", "fragment"),
    [
        ({"daily": "25:00"}, "rituals.daily", "is not a time"),
        ({"daily": 17}, "rituals.daily", '"17:00"'),
        ({"daily": "half past five"}, "rituals.daily", "off"),
        ({"daily": ["17:00"]}, "rituals.daily", "a time or a mapping"),
        ({"daily": {"at": "7.30"}}, "rituals.daily.at", "HH:MM"),
        ({"daily": {"at": "9"}}, "rituals.daily.at", '"09:00"'),
        ({"daily": {"time": "17:00"}}, "rituals.daily.time", "at, enabled"),
        ({"daily": {"at": "17:00", "enabled": "maybe"}}, "rituals.daily.enabled", "true or false"),
        ({"weekly": {"day": "funday"}}, "rituals.weekly.day", "mon, tue"),
        ({"weekly": {"day": "mnday"}}, "rituals.weekly.day", "did you mean 'monday'"),
        ({"weekly": {"day": "tues day"}}, "rituals.weekly.day", "did you mean 'tuesday'"),
        ({"leaderboards": {"enabled": "soon"}}, "rituals.leaderboards.enabled", "true or false"),
        ({"weekly": "someday 9:00"}, "rituals.weekly", "day: mon"),
        ({"monthly": {"day": "mon"}}, "rituals.monthly.day", "at, enabled"),
        ({"nudge": {"at": "15:00"}}, "rituals.nudge", "did you mean 'nudges'"),
        ({"leaderboard": []}, "rituals.leaderboard", "did you mean 'leaderboards'"),
        ({"daily_digest": "17:00"}, "rituals.daily_digest", "did you mean 'daily'"),
        ({"leaderboards": {"at": "12:00", "kpis": ["calls"]}}, "rituals.leaderboards", "a list"),
        ({"leaderboards": "noon"}, "rituals.leaderboards", "a list"),
        ({"leaderboards": [{"kpis": ["calls"]}]}, "rituals.leaderboards[0].at", "missing"),
        ({"leaderboards": [{"at": "12:00"}]}, "rituals.leaderboards[0].kpis", "names no KPI"),
        ({"leaderboards": [{"at": "12:00", "kpis": []}]}, "rituals.leaderboards[0].kpis", "no KPI"),
        (
            {"leaderboards": [{"at": "12:00", "kpis": ["dials"]}]},
            "rituals.leaderboards[0].kpis[0]",
            "did you mean 'calls'",
        ),
        (
            {"leaderboards": [{"at": "12:00", "kpis": ["cals"]}]},
            "rituals.leaderboards[0].kpis[0]",
            "did you mean 'calls'",
        ),
        (
            {"leaderboards": [{"at": "12:00", "kpis": ["calls", "calls"]}]},
            "rituals.leaderboards[0].kpis[1]",
            "twice",
        ),
        (
            {"leaderboards": [{"at": "12:00", "kpis": [{"key": "calls"}]}]},
            "rituals.leaderboards[0].kpis[0]",
            "expected a KPI key",
        ),
        (
            {"leaderboards": [{"at": "12:00", "kpis": "calls"}, {"at": "12:00", "kpis": "deals"}]},
            "rituals.leaderboards[1].at",
            "kpis: [calls, deals]",
        ),
        ({"leaderboards": ["noon calls"]}, "rituals.leaderboards[0]", "12:00 calls"),
        ({"leaderboards": [42]}, "rituals.leaderboards[0]", "a mapping"),
        (
            {"leaderboards": [{"at": "12:00", "kpis": ["calls"], "channel": "C1"}]},
            "rituals.leaderboards[0].channel",
            "at, kpis, enabled",
        ),
        (
            {"leaderboards": [{"at": f"{h:02d}:00", "kpis": ["calls"]} for h in range(13)]},
            "rituals.leaderboards",
            "keep it to 12",
        ),
    ],
)
def test_ritual_problems_name_their_path_and_fix(rituals, path, fragment):
    problem = problem_at(with_rituals(**rituals), path)
    assert problem.fix, str(problem)
    assert fragment in str(problem), str(problem)


def test_rituals_must_be_a_mapping():
    data = base()
    data["rituals"] = ["daily"]
    assert "leave it out for the defaults" in str(problem_at(data, "rituals"))


def test_a_misplaced_ritual_section_is_pointed_to_rituals():
    data = base()
    data["leaderboards"] = [{"at": "12:00", "kpis": ["calls"]}]
    assert "did you mean 'rituals'" in problem_at(data, "leaderboards").fix


def test_all_ritual_problems_are_reported_together():
    data = with_rituals(
        daily="25:00", weekly={"day": "x"}, leaderboards=[{"at": "12:00", "kpis": ["nope"]}]
    )
    assert set(paths(data)) == {
        "rituals.daily",
        "rituals.weekly.day",
        "rituals.leaderboards[0].kpis[0]",
    }


def test_leaderboard_forms():
    boards = [
        "16:00 calls",
        {"at": "5pm", "kpis": "calls, conversations"},
        {"at": "09:00", "kpis": ["deals"], "enabled": False},
        {"at": "11:00", "kpis": ["Calls", "SAO"]},
    ]
    r = load_process_dict(with_rituals(leaderboards=boards)).rituals
    assert r.leaderboards == (  # in time order; the disabled one left out
        LeaderboardSlot(time(11), ("calls", "sao")),
        LeaderboardSlot(time(16), ("calls",)),
        LeaderboardSlot(time(17), ("calls", "conversations")),
    )
    assert load_process_dict(with_rituals(leaderboards=[])).rituals.leaderboards == ()


def test_weekly_on_a_day_off_is_a_warning_not_an_error():
    p = load_process_dict(with_rituals(weekly={"day": "sat", "at": "10:00"}))
    assert p.rituals.weekly_day == 5
    assert any(w.startswith("rituals.weekly:") and "Saturday" in w for w in p.warnings)
    assert not any("rituals" in w for w in default_process().warnings)


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


def test_dump_writes_the_rituals_section_last_on_one_line_each():
    text = dump_process(default_process())
    assert text.index("overrides:") < text.index("rituals:")
    assert "  weekly: {day: mon, at: '09:00'}\n" in text
    assert (
        "  - {at: '12:00', kpis: [calls, conversations, meetings_held, roi_discussions]}\n" in text
    )
    off = dump_process(default_process().with_ritual("nudges", "off"))
    assert "  nudges: 'off'\n" in off and load_process_text(off).rituals.nudges is None


def test_with_ritual():
    p = default_process()
    q = p.with_ritual("daily", "17:00")
    assert q.rituals.daily == time(17) and q.rituals.nudges == p.rituals.nudges
    assert q.kpis == p.kpis and q.roles == p.roles
    assert p.with_ritual("nudges", "off").rituals.nudges is None
    assert p.with_ritual("nudge", False).rituals.nudges is None
    assert p.with_ritual("Daily Digest", time(18)).rituals.daily == time(18)
    assert p.with_ritual("daily", "off").with_ritual("daily", "on").rituals.daily == time(17, 30)
    assert p.with_ritual("monthly", {"at": "10:00"}).rituals.monthly == time(10)
    weekly = p.with_ritual("weekly", "fri 16:00")
    assert (weekly.rituals.weekly_day, weekly.rituals.weekly) == (4, time(16))
    moved = weekly.with_ritual("weekly", "10:00")  # a time alone keeps the day
    assert (moved.rituals.weekly_day, moved.rituals.weekly) == (4, time(10))
    assert weekly.with_ritual("weekly", "tue").rituals.weekly_day == 1
    boards = p.with_ritual("leaderboard", ["11:00 deals", {"at": "15:00", "kpis": ["calls"]}])
    assert [(s.at, s.kpis) for s in boards.rituals.leaderboards] == [
        (time(11), ("deals",)),
        (time(15), ("calls",)),
    ]
    assert p.with_ritual("leaderboards", "off").rituals.leaderboards == ()
    assert load_process_text(dump_process(boards)) == boards


def test_with_ritual_validates():
    p = default_process()
    with pytest.raises(ProcessError) as info:
        p.with_ritual("daily", "25:00")
    assert [x.path for x in info.value.problems] == ["rituals.daily"]
    with pytest.raises(ProcessError) as info:
        p.with_ritual("leaderboards", ["12:00 dials"])
    assert "did you mean 'calls'" in str(info.value)
    with pytest.raises(ProcessError) as info:
        p.with_ritual("nudgez", "off")
    assert info.value.problems[0].path == "ritual"
    assert "did you mean 'nudges'" in str(info.value)
    with pytest.raises(ProcessError):
        p.with_ritual(None, "off")  # type: ignore[arg-type]


def test_with_settings_rituals():
    p = default_process()
    q = p.with_settings(rituals={"daily": "18:00", "nudges": "off"})
    assert q.rituals.daily == time(18) and q.rituals.nudges is None
    assert q.rituals.leaderboards == p.rituals.leaderboards  # left out: the defaults
    assert p.with_settings(rituals="off").rituals == RitualSchedule.off()
    with pytest.raises(ProcessError) as info:
        p.with_settings(rituals={"daily": "never ever"})
    assert info.value.problems[0].path == "rituals.daily"


def test_a_kpi_removed_under_a_leaderboard_is_reported_at_the_leaderboard():
    data = base()
    data["kpis"] = [k for k in data["kpis"] if k["key"] != "conversations"]
    role_dict(data, "sdr")["scorecard"].remove("conversations")
    del role_dict(data, "sdr")["goals"]["conversations"]
    problem = problem_at(data, "rituals.leaderboards[0].kpis[1]")
    assert "unknown KPI 'conversations'" in str(problem)


def test_render_cascade_shows_the_rituals():
    text = render_cascade(default_process())
    assert (
        "Rituals (America/New_York): daily 17:30 · weekly Mon 09:00 · monthly 09:00 "
        "(first working day) · leaderboards 12:00 (calls, conversations, meetings_held, "
        "roi_discussions), 16:00 (calls, meetings_held) · "
        "nudges 15:00"
    ) in text
    quiet = render_cascade(default_process().with_settings(rituals="off"))
    assert "daily off · weekly off · monthly off · leaderboards off · nudges off" in quiet


ritual_values = (
    nested
    | st.sampled_from(["off", "on", "17:30", "5pm", "fri 16:00", "25:00", True, False])
    | st.fixed_dictionaries(
        {},
        optional={
            "at": nested | st.sampled_from(["09:00", "9", "noon"]),
            "day": nested | st.sampled_from(["mon", "funday"]),
            "enabled": nested | st.booleans(),
            "kpis": nested | st.sampled_from([["calls"], "calls, deals", ["dials"]]),
        },
    )
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        nested,
        st.dictionaries(
            st.sampled_from([*RITUALS, "leaderboard", "nudge"]) | st.text(max_size=8),
            ritual_values | st.lists(ritual_values, max_size=4),
            max_size=6,
        ),
    )
)
def test_any_rituals_section_loads_or_fails_cleanly(rituals):
    data = base()
    data["rituals"] = rituals
    _load_never_crashes(load_process_dict, data)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([*RITUALS, "leaderboard", "nudge", "contest", ""]),
    st.one_of(ritual_values, st.lists(ritual_values, max_size=3), st.times()),
)
def test_with_ritual_returns_a_process_or_a_process_error(kind, value):
    try:
        p = default_process().with_ritual(kind, value)
    except ProcessError as error:
        assert error.problems
    else:
        assert load_process_text(dump_process(p)) == p


def test_contest_and_coaching_rituals_read_and_refuse():
    data = base()
    data["rituals"] = {
        "standings": "10:00, 14:00",
        "lag_check": {"at": "10:15", "threshold": "70%", "min_elapsed": 0.5, "auto_launch": True},
        "coaching": {"day": "fri", "at": "16:00", "every_days": 21},
    }
    r = load_process_dict(data).rituals
    assert r.standings == (time(10), time(14))
    assert (r.lag_check, r.lag_threshold, r.lag_min_elapsed, r.auto_launch) == (
        time(10, 15),
        0.7,
        0.5,
        True,
    )
    assert (r.coaching, r.coaching_day, r.coaching_every_days) == (time(16), 4, 21)
    data["rituals"] = {"lag_check": {"threshold": "180%"}, "coaching": {"every_days": 0}}
    with pytest.raises(ProcessError) as caught:
        load_process_dict(data)
    paths = {p.path for p in caught.value.problems}
    assert paths == {"rituals.lag_check.threshold", "rituals.coaching.every_days"}
    data["rituals"] = {"standings": "off", "lag_check": "off", "coaching": "off"}
    r = load_process_dict(data).rituals
    assert (r.standings, r.lag_check, r.coaching) == ((), None, None)


def test_a_time_alone_keeps_the_lag_checks_threshold():
    p = default_process().with_ritual("lag_check", {"at": "10:00", "threshold": "60%"})
    again = p.with_ritual("lag-check", "10:30")
    assert (again.rituals.lag_check, again.rituals.lag_threshold) == (time(10, 30), 0.6)
