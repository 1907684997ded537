"""Tests for rituals.process.holiday_checks: the `holidays:` section, validated like the rest of
the file: every problem names its path and its fix, with "did you mean"; what changes nothing (a
worked day that isn't a holiday, a day off on a weekend) is a warning."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from rituals.holiday_rules import NO_HOLIDAYS, HolidayRules
from rituals.process import ProcessError, dump_process, load_process_dict, load_process_text
from rituals.process.holiday_checks import parse_day
from tests.rituals.process.helpers import base, paths, problem_at


def load(section) -> tuple[HolidayRules, tuple[str, ...]]:
    data = base()
    data["holidays"] = section
    process = load_process_dict(data)
    return process.calendar.holidays, process.warnings


def test_the_issues_example_loads():
    rules, warnings = load(
        {
            "country": "US",
            "subdivision": "NY",
            "add": [{"date": "2026-12-24", "name": "Christmas Eve"}],
            "remove": ["2026-11-11"],
        }
    )
    assert rules == HolidayRules(
        "US", "NY", ((date(2026, 12, 24), "Christmas Eve"),), (date(2026, 11, 11),)
    )
    assert warnings == ()


@pytest.mark.parametrize(
    ("section", "country", "subdivision"),
    [
        ({"country": "us"}, "US", None),
        ({"country": "USA"}, "US", None),
        ({"country": "United States"}, "US", None),
        ({"country": "UK", "subdivision": "scotland"}, "GB", "SCT"),
        ({"country": "US", "subdivision": "new york"}, "US", "NY"),
        ("DE", "DE", None),  # `holidays: DE`
    ],
)
def test_countries_and_subdivisions_as_people_write_them(section, country, subdivision):
    rules, _ = load(section)
    assert (rules.country, rules.subdivision) == (country, subdivision)


@pytest.mark.parametrize("section", [None, "off", "none", False, {}])
def test_no_holidays(section):
    assert load(section)[0] in (NO_HOLIDAYS, HolidayRules())
    assert load(section)[0].empty


def test_a_file_without_the_section_has_no_holidays():
    data = base()
    del data["holidays"]
    assert load_process_dict(data).calendar.holidays.empty


def test_an_unknown_country_suggests_one():
    data = base()
    data["holidays"] = {"country": "Untied States"}
    problem = problem_at(data, "holidays.country")
    assert "unknown country 'Untied States'" in problem.message
    assert "did you mean US (United States)?" in problem.fix
    data["holidays"] = {"country": "Germny"}
    assert "DE (Germany)" in problem_at(data, "holidays.country").fix


def test_an_unknown_subdivision_suggests_one_and_lists_them():
    data = base()
    data["holidays"] = {"country": "US", "subdivision": "Nwe York"}
    problem = problem_at(data, "holidays.subdivision")
    assert "unknown subdivision 'Nwe York' of US" in problem.message
    assert "did you mean NY (New York)?" in problem.fix and "AK, AL" in problem.fix


def test_a_subdivision_needs_a_country():
    data = base()
    data["holidays"] = {"subdivision": "NY"}
    assert "needs a country" in problem_at(data, "holidays.subdivision").message


@pytest.mark.parametrize(
    ("add", "path", "words"),
    [
        (
            [{"date": "2026-02-30", "name": "x"}],
            "holidays.add[0].date",
            "'2026-02-30' is not a date",
        ),
        (["12/24/2026"], "holidays.add[0]", "is not a date"),
        ([{"name": "Christmas Eve"}], "holidays.add[0].date", "the date is missing"),
        (["1999-12-31"], "holidays.add[0]", "is not between 2000 and 2100"),
        (
            [{"date": "2026-12-24", "name": "x" * 80}],
            "holidays.add[0].name",
            "80 characters long",
        ),
        ([{"date": "2026-12-24", "name": "<!channel>"}], "holidays.add[0].name", "< or >"),
        (["2026-12-24", "2026-12-24"], "holidays.add[1]", "listed twice"),
        ([{"date": "2026-12-24", "when": "all day"}], "holidays.add[0].when", "unknown field"),
        ("2026-12-24", "holidays.add", "must be a list"),
    ],
)
def test_bad_company_days_off(add, path, words):
    data = base()
    data["holidays"] = {"country": "US", "add": add}
    problem = problem_at(data, path)
    assert words in problem.message
    assert problem.fix


def test_bad_worked_holidays():
    data = base()
    data["holidays"] = {"country": "US", "remove": ["2026-11-31"]}
    assert "is not a date" in problem_at(data, "holidays.remove[0]").message
    data["holidays"] = {"country": "US", "add": ["2026-12-24"], "remove": ["2026-12-24"]}
    assert "both" in problem_at(data, "holidays.remove[0]").message
    data["holidays"] = {"country": "US", "remove": "2026-11-11"}
    assert "must be a list" in problem_at(data, "holidays.remove").message
    data["holidays"] = {"country": "US", "days": []}
    assert paths(data) == ["holidays.days"]


def test_working_a_day_that_is_no_holiday_is_a_warning_with_the_nearest_one():
    rules, warnings = load({"country": "US", "remove": ["2026-11-12"]})
    assert rules.removed == (date(2026, 11, 12),)  # stored as written: it changes nothing
    assert warnings == (
        "holidays.remove[0]: 2026-11-12 is not a public holiday in US, so working it changes "
        "nothing. Fix: check the date (did you mean 2026-11-11 (Veterans Day)?).",
    )
    _, warnings = load({"remove": ["2026-11-11"]})
    assert "no country is set" in warnings[0]


def test_a_day_off_on_a_weekend_is_a_warning():
    _, warnings = load({"country": "US", "add": [{"date": "2026-12-26", "name": "Boxing Day"}]})
    assert warnings == (
        "holidays.add[0].date: Sat 26 Dec 2026 is not a working day (a Saturday), so this day "
        "off changes nothing. Fix: check the date.",
    )


def test_a_plain_date_is_a_company_day_off_by_default_name():
    rules, _ = load({"add": ["2026-12-31"]})
    assert rules.added == ((date(2026, 12, 31), "Company day off"),)


def test_the_section_round_trips_through_yaml():
    data = base()
    data["holidays"] = {
        "country": "US",
        "subdivision": "NY",
        "add": [{"date": "2026-12-24", "name": "Christmas Eve"}],
        "remove": ["2026-11-11"],
    }
    process = load_process_dict(data)
    text = dump_process(process)
    assert (
        "holidays: {country: US, subdivision: NY, add: [{date: '2026-12-24', name: Christmas Eve}],"
        in text
    )
    assert load_process_text(text) == process
    # Dates as a standard YAML loader reads them (date objects) load the same.
    data["holidays"] = yaml.safe_load(
        "{country: US, subdivision: NY, add: [{date: 2026-12-24, name: Christmas Eve}], "
        "remove: [2026-11-11]}"
    )
    assert isinstance(data["holidays"]["remove"][0], date)
    assert load_process_dict(data) == process
    assert process.with_settings(holidays="off").calendar.holidays.empty


def test_parse_day():
    assert parse_day("2026-12-24") == date(2026, 12, 24)
    assert parse_day(date(2026, 12, 24)) == date(2026, 12, 24)
    for bad in ("2026-2-3", "24/12/2026", "2026-13-01", 20261224, None, "2101-01-01"):
        assert parse_day(bad) is None


@given(
    st.one_of(
        st.none(),
        st.text(max_size=20),
        st.dictionaries(
            st.sampled_from(["country", "subdivision", "add", "remove", "other"]),
            st.one_of(
                st.text(max_size=12),
                st.lists(st.one_of(st.text(max_size=12), st.dates().map(str))),
                st.integers(),
            ),
            max_size=4,
        ),
    )
)
def test_any_section_loads_or_says_why(section):
    data = base()
    data["holidays"] = section
    try:
        load_process_dict(data)
    except ProcessError as error:
        assert error.problems and all(p.path.startswith("holidays") for p in error.problems)
