"""Tests for rituals.holiday_rules: a team's days off from its country's public holidays (the
`holidays` package), its company days off and the holidays it works."""

from datetime import date

from rituals.holiday_rules import (
    COMPANY,
    PUBLIC,
    DayOff,
    HolidayRules,
    canonical_country,
    country_names,
    public_holidays,
    subdivision_names,
    subdivisions,
)

RULES = HolidayRules(
    "US",
    "NY",
    added=((date(2026, 12, 24), "Christmas Eve"),),
    removed=(date(2026, 11, 11),),
)


def test_days_off_with_names_and_where_they_come_from():
    assert RULES.days_off(date(2026, 11, 1), date(2027, 1, 3)) == [
        DayOff(date(2026, 11, 3), "Election Day", PUBLIC),  # New York's own
        DayOff(date(2026, 11, 26), "Thanksgiving Day", PUBLIC),
        DayOff(date(2026, 12, 24), "Christmas Eve", COMPANY),
        DayOff(date(2026, 12, 25), "Christmas Day", PUBLIC),
        DayOff(date(2027, 1, 1), "New Year's Day", PUBLIC),
    ]
    assert RULES.day_off(date(2026, 11, 11)) is None  # worked
    assert RULES.worked(date(2026, 1, 1), date(2026, 12, 31)) == [
        DayOff(date(2026, 11, 11), "Veterans Day", PUBLIC)
    ]
    assert RULES.public_holiday(date(2026, 11, 11)) == "Veterans Day"
    assert RULES.where() == "US (NY)"


def test_observed_days_and_weekend_holidays():
    # 4 Jul 2026 is a Saturday: observed Friday the 3rd; both are listed, a team's weekdays say
    # which one matters (rituals.pacing.WorkCalendar.days_off).
    july = HolidayRules("US").days_off(date(2026, 7, 1), date(2026, 7, 31))
    assert [(o.day, o.name) for o in july] == [
        (date(2026, 7, 3), "Independence Day (observed)"),
        (date(2026, 7, 4), "Independence Day"),
    ]
    assert HolidayRules("US").count_off(date(2026, 7, 1), date(2026, 7, 31), range(5)) == 1
    # New Year's Day 2028 is a Saturday, observed Friday 31 Dec 2027: in 2027's own list.
    assert public_holidays("US", None, 2027)[date(2027, 12, 31)] == "New Year's Day (observed)"


def test_no_country_no_public_holidays():
    rules = HolidayRules(added=((date(2026, 12, 24), "Christmas Eve"),))
    assert rules.days_off(date(2026, 1, 1), date(2026, 12, 31)) == [
        DayOff(date(2026, 12, 24), "Christmas Eve", COMPANY)
    ]
    assert rules.worked(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert rules.where() == ""
    assert HolidayRules().empty and not rules.empty


def test_equal_rules_compare_equal_whatever_the_order_and_round_trip():
    a = HolidayRules("US", added=((date(2026, 12, 31), "b"), (date(2026, 12, 24), "a")))
    b = HolidayRules("US", added=((date(2026, 12, 24), "a"), (date(2026, 12, 31), "b")))
    assert a == b and hash(a) == hash(b)
    assert RULES.to_dict() == {
        "country": "US",
        "subdivision": "NY",
        "add": [{"date": "2026-12-24", "name": "Christmas Eve"}],
        "remove": ["2026-11-11"],
    }
    assert HolidayRules().to_dict() == {}


def test_what_the_package_knows():
    assert canonical_country("usa") == canonical_country("United States") == "US"
    assert canonical_country("Narnia") is None
    assert country_names()["GB"] == "United Kingdom"
    assert subdivisions("US")["newyork"] == "NY"
    assert subdivision_names("US")["NY"] == "New York"
