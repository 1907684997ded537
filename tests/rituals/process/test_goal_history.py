"""rituals/process/goal_history.py and Process.goal_timeline: each day takes the goal in force
that day: a change mid-week, a rep's own goal from a date, a reset, a future change; a file
without goal_changes keeps the team's history; old stored versions load; implausible goals."""

import json
from datetime import UTC, date, datetime

import pytest

from rituals.process import (
    Goal,
    ProcessError,
    default_process,
    dump_process,
    load_process_dict,
    load_process_text,
)
from rituals.process.goal_history import (
    effective_range,
    goal_size,
    history,
    keep_goal_history,
    own_goal,
    with_goal_change,
)
from tests.rituals.process.helpers import base

REP = "U0SAM0001"
AT = datetime(2026, 11, 23, 15, 2, tzinfo=UTC)
MON, TUE, WED, THU = (date(2026, 11, d) for d in (23, 24, 25, 26))


def change(process, target, goal, day, kpi="calls"):
    parsed = Goal.parse(goal) if goal else None
    return with_goal_change(process, target, kpi, parsed, day, by="U0DANA001", at=AT)


def test_a_change_mid_week_applies_from_its_day_only():
    p = change(default_process(), "sdr", "80/day", WED)
    line = p.goal_timeline("sdr", "calls")
    assert [str(line.on(d)) for d in (MON, TUE, WED, THU)] == [
        "60/day",
        "60/day",
        "80/day",
        "80/day",
    ]
    assert not line.constant_over(MON, THU) and line.constant_over(WED, THU)
    assert str(p.goal_for("sdr", "calls", on=TUE)) == "60/day"
    assert str(p.goal_for("sdr", "calls")) == "80/day"  # no day: the newest stated
    assert p.goal_for("sdr", "calls", REP, on=TUE) == Goal(60, "day")  # a rep follows the role


def test_a_reps_own_goal_from_a_date_then_reset_falls_back_to_the_roles_goal_that_day():
    p = change(default_process(), REP, "50/day", TUE)
    p = change(p, "sdr", "80/day", WED)
    p = change(p, REP, None, THU)  # reset: back to the role's (80 by then)
    line = p.goal_timeline("sdr", "calls", REP)
    assert [str(line.on(d)) for d in (MON, TUE, WED, THU)] == [
        "60/day",
        "50/day",
        "50/day",
        "80/day",
    ]
    assert (
        own_goal(p, REP, "calls", WED) == Goal(50, "day") and own_goal(p, REP, "calls", THU) is None
    )
    assert REP in p.reps_with_own_goals and REP not in p.overrides  # none before any change


def test_a_future_change_is_not_in_force_until_its_day():
    p = change(default_process(), "sdr", "100/day", date(2027, 1, 4))
    assert p.goal_for("sdr", "calls", on=TUE) == Goal(60, "day")
    assert p.goal_for("sdr", "calls", on=date(2027, 1, 4)) == Goal(100, "day")
    assert p.goal_timeline("sdr", "calls").constant_over(MON, date(2027, 1, 3))


def test_the_same_day_target_and_kpi_replaces_the_earlier_change():
    p = change(change(default_process(), "sdr", "80/day", WED), "sdr", "70/day", WED)
    assert len(p.goal_changes) == 1 and p.goal_for("sdr", "calls", on=WED) == Goal(70, "day")


def test_a_kpi_off_the_scorecard_has_no_goal_whatever_the_changes():
    p = change(default_process(), REP, "5/month", TUE, kpi="deals")
    assert p.goal_timeline("sdr", "deals", REP).on(THU) is None
    assert p.goal_for("ae", "deals", REP, on=THU) == Goal(5, "month")


def test_goal_changes_round_trip_through_the_file_and_stored_versions():
    p = change(change(default_process(), "sdr", "80/day", WED), REP, "50/day", THU)
    p = change(p, REP, None, date(2026, 12, 1))
    text = dump_process(p)
    assert (
        "goal_changes:\n- {from: '2026-11-25', role: sdr, kpi: calls, goal: 80/day, by: U0DANA001"
        in text
    )
    assert "goal: reset" in text
    again = load_process_text(text)
    assert again == p and again.goal_changes == p.goal_changes
    stored = load_process_dict(json.loads(json.dumps(p.to_dict())))
    assert stored.goal_changes == p.goal_changes and stored.goal_changes[0].at == AT


def test_a_version_stored_before_goal_history_still_loads_with_no_changes():
    old = base()  # what a version stored before this change holds: no goal_changes key
    assert "goal_changes" not in old
    p = load_process_dict(json.loads(json.dumps(old)))
    assert p.goal_changes == () and not p.goal_history_stated
    assert p.goal_timeline("sdr", "calls").changes == ()


def test_a_file_without_goal_changes_keeps_history_and_applies_differences_from_today():
    previous = change(default_process(), "sdr", "70/day", date(2026, 11, 2))
    previous = change(previous, "sdr", "90/day", date(2027, 1, 4))  # coming
    edited = base()
    edited["roles"][0]["goals"]["calls"] = "80/day"  # raised in the file
    edited["roles"][0]["goals"]["conversations"] = "12/day"  # unchanged
    edited["overrides"] = {REP: {"calls": "50/day"}}
    merged = keep_goal_history(previous, load_process_dict(edited), TUE, by="cli", at=AT)
    line = merged.goal_timeline("sdr", "calls")
    assert [str(line.on(d)) for d in (date(2026, 11, 1), MON, TUE)] == [
        "60/day",
        "70/day",
        "80/day",
    ]
    assert line.on(date(2027, 1, 4)) == Goal(90, "day")  # the coming change stays
    assert merged.goal_for("sdr", "calls", REP, on=MON) == Goal(70, "day")  # not retroactive
    assert merged.goal_for("sdr", "calls", REP, on=TUE) == Goal(50, "day")
    assert not any(c.kpi == "conversations" for c in merged.goal_changes)
    assert merged.role("sdr").goals["calls"] == Goal(60, "day")  # before any change
    for role in merged.roles:  # what is in force today is exactly what the file says
        for kpi in role.scorecard:
            assert merged.goal_for(role.key, kpi, on=TUE) == load_process_dict(edited).goal_for(
                role.key, kpi
            )


def test_a_file_with_goal_changes_is_taken_as_it_stands():
    previous = change(default_process(), "sdr", "70/day", date(2026, 11, 2))
    data = base()
    data["goal_changes"] = []
    loaded = load_process_dict(data)
    assert loaded.goal_history_stated
    assert keep_goal_history(previous, loaded, TUE, by="cli", at=AT) is loaded


def test_changes_for_a_role_or_kpi_the_file_drops_are_dropped():
    previous = change(default_process(), "sdr", "5/week", TUE, kpi="meetings_scheduled")
    data = base()
    sdr = data["roles"][0]
    sdr["scorecard"].remove("meetings_scheduled")
    sdr["goals"].pop("meetings_scheduled")
    sdr["aliases"] = {}
    data["rituals"].pop("leaderboards", None)
    merged = keep_goal_history(previous, load_process_dict(data), WED, by="cli", at=AT)
    assert not any(c.kpi == "meetings_scheduled" and c.role == "sdr" for c in merged.goal_changes)


def test_dated_back_to_the_start_of_last_month_and_up_to_a_year_ahead():
    assert effective_range(date(2026, 12, 6)) == (date(2026, 11, 1), date(2027, 12, 6))
    assert effective_range(date(2026, 1, 15))[0] == date(2025, 12, 1)


def test_goal_size_compares_per_working_day_and_with_max_count():
    p = default_process()
    assert goal_size(p, "sdr", "calls", Goal(600, "week"), TUE) is None  # 120 a day: 2×
    assert goal_size(p, "sdr", "conversations", Goal(120, "day"), TUE) is None  # 10×: fine
    big = goal_size(p, "sdr", "calls", Goal(501, "day"), TUE)
    assert big is not None and big.reason == "max" and big.limit == p.max_count
    times = goal_size(p, "sdr", "conversations", Goal(130, "day"), TUE)  # 12/day now
    assert times is not None and times.reason == "times" and round(times.factor) == 11
    assert goal_size(p, "sdr", "calls", Goal(1, "day"), TUE) is None  # lowering is fine


def test_history_is_newest_first_with_the_goal_each_change_replaced():
    p = change(default_process(), "sdr", "80/day", date(2026, 12, 1))
    p = change(p, "sdr", "70/day", WED)
    p = change(p, REP, "50/day", WED)
    rows = [(e.change.effective, e.change.target, str(e.before)) for e in history(p)]
    assert rows == [
        (date(2026, 12, 1), "sdr", "70/day"),
        (WED, REP, "None"),
        (WED, "sdr", "60/day"),
    ]


def test_a_bad_change_is_refused_like_a_file_mistake():
    with pytest.raises(ProcessError, match="not on the sdr scorecard"):
        change(default_process(), "sdr", "5/month", TUE, kpi="deals")
