"""Tests for rituals.process.model: Process lookups (KPIs, roles, words, goals, the cascade)
and its validated edits (with_goal, with_settings, with_ritual)."""

from __future__ import annotations

import json
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rituals.process import (
    RITUALS,
    Goal,
    ProcessError,
    RitualSchedule,
    default_process,
    dump_process,
    load_process_dict,
    load_process_text,
)
from tests.rituals.process.helpers import base, ritual_values


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
    early = p.with_ritual("nudges", "11:00")  # 15:00 would be after a day that ends at noon
    assert early.with_settings(working_hours="08:00-12:00").calendar.day_end == time(12)


def test_with_settings_validates():
    p = default_process()
    with pytest.raises(ProcessError) as info:
        p.with_settings(timezone="Nowhere/Land", visibility="secret")
    assert {x.path for x in info.value.problems} == {"timezone", "scorecard_visibility"}
    with pytest.raises(ProcessError):
        p.with_settings(working_hours={"start": "18:00", "end": "09:00"})
    with pytest.raises(ProcessError):
        p.with_settings(colour="blue")


def test_json_round_trip_with_sorted_keys():
    p = default_process().with_goal("W0ENTERPRISE", "deals", "2.5/month")
    data = json.loads(json.dumps(p.to_dict(), sort_keys=True))
    assert load_process_dict(data) == p


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


def test_a_time_alone_keeps_the_lag_checks_threshold():
    p = default_process().with_ritual("lag_check", {"at": "10:00", "threshold": "60%"})
    again = p.with_ritual("lag-check", "10:30")
    assert (again.rituals.lag_check, again.rituals.lag_threshold) == (time(10, 30), 0.6)
