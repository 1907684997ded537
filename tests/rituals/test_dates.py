"""rituals/dates.py: dates and times as people read them, with the day number written without a
leading zero on every platform (checked against the day number itself, never against
strftime's glibc-only ``%-d``)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from rituals import dates

MON_7_DEC = date(2026, 12, 7)
AT_14_05 = datetime(2026, 12, 7, 14, 5)


@pytest.mark.parametrize(
    ("format_", "value", "expected"),
    [
        (dates.weekday_day, MON_7_DEC, "Mon 7"),
        (dates.short, MON_7_DEC, "Mon 7 Dec"),
        (dates.long, MON_7_DEC, "Mon 7 Dec 2026"),
        (dates.day_month, MON_7_DEC, "7 Dec"),
        (dates.short_time, AT_14_05, "Mon 7 Dec 14:05"),
        (dates.long_time, AT_14_05, "Mon 7 Dec 2026 14:05"),
        (dates.short, date(2026, 12, 30), "Wed 30 Dec"),
        (dates.long_time, datetime(2027, 1, 1, 9, 0), "Fri 1 Jan 2027 09:00"),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_each_format(format_, value, expected):
    assert format_(value) == expected


@pytest.mark.parametrize(
    "format_",
    [dates.weekday_day, dates.short, dates.long, dates.day_month],
    ids=lambda f: f.__name__,
)
def test_no_leading_zero_on_any_day_of_the_year(format_):
    day = date(2026, 1, 1)
    while day.year == 2026:
        words = format_(day).split()
        number = words[0] if format_ is dates.day_month else words[1]
        assert number == str(day.day), (format_.__name__, day)
        day += timedelta(days=1)


@pytest.mark.parametrize("format_", [dates.short_time, dates.long_time], ids=lambda f: f.__name__)
def test_times_have_no_leading_zero_on_the_day_and_are_not_converted(format_):
    for day in range(1, 32):
        moment = datetime(2026, 12, day, 9, 5, tzinfo=UTC)
        words = format_(moment).split()
        assert words[1] == str(day) and words[-1] == "09:05"  # the wall time given, as given


def test_relative_says_today_leaves_out_this_year_and_names_another():
    today = MON_7_DEC
    assert dates.relative(today, today) == "today, Mon 7 Dec"
    assert dates.relative(date(2026, 12, 4), today) == "Fri 4 Dec"
    assert dates.relative(date(2026, 12, 30), today) == "Wed 30 Dec"  # later this year
    assert dates.relative(date(2025, 12, 30), today) == "Tue 30 Dec 2025"
    assert dates.relative(date(2026, 12, 30), date(2027, 1, 2)) == "Wed 30 Dec 2026"


def test_a_stored_instant_gets_its_utc_offset_and_keeps_one_it_has():
    from datetime import timezone

    naive = datetime(2026, 12, 1, 15, 0)
    assert dates.aware(naive) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    tokyo = datetime(2026, 12, 1, 0, 0, tzinfo=timezone(timedelta(hours=9)))
    assert dates.aware(tokyo) is tokyo
