"""Tests for rituals.process.contest_rules: the `contests:` section (how long a contest's result
waits for the last day's late logs), the durations it reads, and every mistake with its path and
its fix."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rituals.process import default_process, dump_process, load_process_dict, load_process_text
from rituals.process.contest_rules import (
    DEFAULT_SETTLE,
    ContestRules,
    format_duration,
    parse_duration,
)
from tests.rituals.process.helpers import base, load_never_crashes, nested, problem_at


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("90m", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("2 hours", 120),
        ("45 minutes", 45),
        ("1 hour", 60),
        (" 3H ", 180),
        ("0", 0),
        (0, 0),
        ("0m", 0),
    ],
)
def test_durations_as_people_write_them(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["", "2", 2, 1.5, True, "1.5h", "-1h", "2 days", "h", "soon", None]
)
def test_what_is_not_a_duration(text):
    assert parse_duration(text) is None


@given(st.integers(min_value=0, max_value=24 * 60))
def test_a_written_duration_reads_back(minutes):
    value = timedelta(minutes=minutes)
    assert parse_duration(format_duration(value)) == value


def test_durations_are_written_short():
    written = [format_duration(timedelta(minutes=m)) for m in (0, 45, 60, 90, 120)]
    assert written == ["0", "45m", "1h", "1h30m", "2h"]


def test_the_default_process_settles_two_hours_after_the_working_day():
    assert default_process().contests == ContestRules(timedelta(hours=2))
    assert "contests: {settle: 2h}" in dump_process(default_process())


def test_a_process_without_the_section_gets_the_default():
    data = base()
    del data["contests"]
    assert load_process_dict(data).contests.settle == DEFAULT_SETTLE
    data["contests"] = {}
    assert load_process_dict(data).contests.settle == DEFAULT_SETTLE


@pytest.mark.parametrize(("value", "minutes"), [("90m", 90), ("0", 0), (0, 0), ("24h", 1440)])
def test_settle_in_the_file(value, minutes):
    data = base()
    data["contests"] = {"settle": value}
    process = load_process_dict(data)
    assert process.contests.settle == timedelta(minutes=minutes)
    assert load_process_text(dump_process(process)) == process


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"settle": "2 days"}, "contests.settle", "'2 days' is not a duration"),
        ({"settle": 2}, "contests.settle", "2 has no unit"),
        ({"settle": "25h"}, "contests.settle", "'25h' is longer than a day"),
        ({"settle": "-1h"}, "contests.settle", "'-1h' is not a duration"),
        ({"setle": "2h"}, "contests.setle", "unknown field 'setle'"),
        ("2h", "contests", "contests must be a mapping, got text"),
    ],
)
def test_mistakes_name_their_place_and_the_fix(value, path, message):
    data = base()
    data["contests"] = value
    problem = problem_at(data, path)
    assert problem.message == message
    if path == "contests.settle":
        assert "write a duration like 2h, 90m or 1h30m" in problem.fix
        assert "at most 24h" in problem.fix
    elif path == "contests.setle":
        assert "did you mean 'settle'" in problem.fix
    else:
        assert "{settle: 2h}" in problem.fix


def test_a_settle_line_at_the_top_level_is_pointed_to_its_section():
    data = base()
    data["settle"] = "2h"
    assert "did you mean 'contests'" in problem_at(data, "settle").fix


def test_settings_edits_check_the_settle_time():
    process = default_process().with_settings(settle="30m")
    assert process.contests.settle == timedelta(minutes=30)
    with pytest.raises(ValueError, match="contests.settle"):
        default_process().with_settings(settle="forever")


@given(nested)
def test_any_contests_section_loads_or_says_why(value):
    data = base()
    data["contests"] = value
    load_never_crashes(load_process_dict, data)
