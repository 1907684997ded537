"""Tests for rituals.process.ritual_checks: the `rituals:` section, its forms and its problems."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rituals.process import (
    RITUALS,
    LeaderboardSlot,
    ProcessError,
    RitualSchedule,
    default_process,
    dump_process,
    load_edited_process,
    load_process_dict,
    load_process_text,
)
from tests.rituals.process.helpers import (
    base,
    load_never_crashes,
    nested,
    paths,
    problem_at,
    ritual_values,
    role_dict,
    with_rituals,
)

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


def test_a_nudge_time_after_the_working_day_is_warned_in_a_file_and_refused_in_an_edit():
    """Nudges go out only in working hours: at or after the day's end none would ever be sent.
    A file (or a stored version) with one still loads, with a warning; an edit is refused."""
    late = load_process_dict(with_rituals(nudges={"at": "17:00"}))
    assert late.rituals.nudges == time(17)
    assert [w for w in late.warnings if w.startswith("rituals.nudges:")] == [
        "rituals.nudges: 17:00 is at or after the end of the working day (17:00) and nudges are "
        "only sent in working hours, so no nudge would ever be sent. Fix: pick a time from 09:00 "
        "to before 17:00, or turn nudges off."
    ]
    assert load_process_dict(with_rituals(nudges={"at": "16:59"})).warnings == ()
    with pytest.raises(ProcessError, match=r"rituals\.nudges: 18:00 is at or after"):
        default_process().with_ritual("nudges", "18:00")
    assert default_process().with_ritual("nudges", "08:00").rituals.nudges == time(8)
    # shortening the working day under the nudge time is the same mistake
    with pytest.raises(ProcessError, match="no nudge would ever be sent"):
        default_process().with_settings(working_hours={"start": "09:00", "end": "15:00"})
    with pytest.raises(ProcessError):
        load_edited_process(with_rituals(nudges={"at": "18:00"}))
    assert load_edited_process(with_rituals(nudges="off")).rituals.nudges is None


def test_a_kpi_removed_under_a_leaderboard_is_reported_at_the_leaderboard():
    data = base()
    data["kpis"] = [k for k in data["kpis"] if k["key"] != "conversations"]
    role_dict(data, "sdr")["scorecard"].remove("conversations")
    del role_dict(data, "sdr")["goals"]["conversations"]
    problem = problem_at(data, "rituals.leaderboards[0].kpis[1]")
    assert "unknown KPI 'conversations'" in str(problem)


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
    load_never_crashes(load_process_dict, data)


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
