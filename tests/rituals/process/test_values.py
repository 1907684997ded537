"""Tests for rituals.process.values: weekdays, day ranges, shares and times of day."""

from datetime import time

from rituals.process.values import (
    day_index,
    parse_clock,
    parse_day_range,
    parse_share,
    percent_text,
)


def test_day_index():
    assert [day_index(w) for w in ("mon", "monday", "wedn", "sun")] == [0, 0, 2, 6]
    assert day_index("mo") is None and day_index("funday") is None


def test_parse_day_range():
    assert parse_day_range("mon-fri") == {0, 1, 2, 3, 4}
    assert parse_day_range("sun-thu") == {6, 0, 1, 2, 3}
    assert parse_day_range("Sat") == {5}
    assert parse_day_range("mon-funday") is None and parse_day_range(3) is None


def test_parse_share():
    assert [parse_share(v) for v in ("80%", " 75 % ", "0.8", 1)] == [0.8, 0.75, 0.8, 1.0]
    assert [parse_share(v) for v in (True, "nan", "lots", 10**400)] == [None] * 4


def test_parse_clock():
    assert parse_clock("17:30") == time(17, 30)
    assert parse_clock("9:05") == time(9, 5)
    assert parse_clock("5pm") == time(17)
    assert parse_clock("5:30 PM") == time(17, 30)
    assert parse_clock("12am") == time(0)
    assert parse_clock(time(18, 45, 30)) == time(18, 45)
    assert [parse_clock(v) for v in ("25:00", 17, "13pm")] == [None] * 3


def test_percent_text_writes_a_share_as_a_process_file_would():
    assert percent_text(0.25) == "25%"
    assert percent_text(1.0) == "100%"
    assert percent_text(1 / 3) == "33.3333%"
    assert parse_share(percent_text(0.125)) == 0.125
