"""The values of an export file read back exactly (storage/moving_codec.py), and a value that
can't go into its column is told apart before the database sees it."""

import json
import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, LargeBinary, Numeric, Text

from storage.models import ActivityLog
from storage.moving_codec import BadValue, checker, decode, encode, fits

offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=10,
)
values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.datetimes(timezones=offsets)
    | st.datetimes()
    | st.dates()
    | st.times()
    | st.timedeltas()
    | st.decimals(allow_nan=False)
    | st.binary()
)


def through_a_file(value, json_column=False):
    return decode(json.loads(json.dumps(encode(value, json_column), ensure_ascii=False)))


@given(values)
def test_every_value_reads_back_the_same(value):
    back = through_a_file(value)
    assert type(back) is type(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
        return
    assert back == value
    if isinstance(value, datetime):
        assert back.utcoffset() == value.utcoffset()  # the offset is kept, not only the instant
    if isinstance(value, Decimal):
        assert str(back) == str(value)  # 12.50 stays 12.50


@given(json_values)
def test_json_column_values_read_back_even_when_they_look_like_tags(value):
    assert through_a_file(value, json_column=True) == value
    assert through_a_file({"$dt": "not a date"}, json_column=True) == {"$dt": "not a date"}


def test_unknown_tags_and_bad_values_are_named():
    with pytest.raises(BadValue, match="unknown tag '\\$when'"):
        decode({"$when": "x"})
    with pytest.raises(BadValue, match="\\$dt .* doesn't read"):
        decode({"$dt": "yesterday"})
    with pytest.raises(BadValue, match="one tag"):
        decode({"$dt": "2026-01-01", "$date": "2026-01-01"})
    with pytest.raises(BadValue, match="list outside"):
        decode([1, 2])


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        (Column("n", Integer, nullable=False), None, "NOT NULL"),
        (Column("n", Integer), True, "holds a bool"),
        (Column("d", Date), datetime(2026, 1, 1, tzinfo=UTC), "holds a datetime"),
        (Column("t", DateTime(timezone=True)), "2026-01-01", "holds a str"),
        (Column("b", Boolean), 1, "holds a int"),
        (Column("x", LargeBinary), "abc", "holds a str"),
        (Column("s", Text), 5, "holds a int"),
        (ActivityLog.__table__.c.created_at, "2026-01-01", "holds a str"),  # UTCDateTime
        (ActivityLog.__table__.c.kpi, 3, "holds a int"),  # AutoString
    ],
)
def test_a_value_that_does_not_fit_its_column(column, value, why):
    assert why in fits(column, value)
    if value is not None:
        assert why in checker(column)(value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (Column("n", Integer), None),
        (Column("m", Numeric), Decimal("1.50")),
        (Column("j", JSON), {"any": ["thing"]}),
        (Column("d", Date), date(2026, 1, 1)),
        (Column("t", DateTime), datetime(2026, 1, 1)),
        (Column("h", Text), "x"),
        (Column("b", LargeBinary), b"\x00"),
        (Column("c", Integer), 3),
    ],
)
def test_a_value_that_fits(column, value):
    assert fits(column, value) is None
    assert through_a_file(value, isinstance(column.type, JSON)) == value


def test_times_are_written_with_their_offset():
    at = datetime(2026, 11, 24, 11, 0, 0, 250, tzinfo=timezone(timedelta(hours=-5)))
    assert encode(at) == {"$dt": "2026-11-24T11:00:00.000250-05:00"}
    assert encode(time(9, 30)) == {"$time": "09:30:00"}
    assert encode(b"\xff\x00") == {"$b64": "/wA="}
