"""Tests for rituals.team_holidays: a team's days off as managers change them from Slack, each
change a new process (checked like the file), each mistake a typed refusal."""

from datetime import date

import pytest

from rituals import team_holidays
from rituals.holiday_rules import COMPANY, PUBLIC, DayOff
from rituals.process import ProcessError, default_process
from rituals.refusals import (
    AlreadyADayOff,
    DayOffNameRefused,
    DayOffOutOfRange,
    NotADayOff,
    NotAWorkingDay,
)

TODAY = date(2026, 11, 24)
P = default_process()  # US public holidays


def test_a_company_day_off():
    updated, off = team_holidays.add_day_off(P, date(2026, 12, 24), "Christmas Eve", TODAY)
    assert off == DayOff(date(2026, 12, 24), "Christmas Eve", COMPANY)
    assert not updated.calendar.is_working_day(date(2026, 12, 24))
    assert updated.calendar.holidays.added == ((date(2026, 12, 24), "Christmas Eve"),)
    _, unnamed = team_holidays.add_day_off(P, date(2026, 12, 31), "  ", TODAY)
    assert unnamed.name == "Company day off"


def test_working_a_public_holiday_and_taking_it_back():
    worked, off = team_holidays.work_day_off(P, date(2026, 11, 11), TODAY)
    assert off == DayOff(date(2026, 11, 11), "Veterans Day", PUBLIC)
    assert worked.calendar.is_working_day(date(2026, 11, 11))
    back, again = team_holidays.add_day_off(worked, date(2026, 11, 11), None, TODAY)
    assert again == off and back.calendar.holidays == P.calendar.holidays


def test_dropping_a_company_day_off():
    with_eve, _ = team_holidays.add_day_off(P, date(2026, 12, 24), "Christmas Eve", TODAY)
    dropped, off = team_holidays.work_day_off(with_eve, date(2026, 12, 24), TODAY)
    assert off.source == COMPANY and dropped.calendar.holidays == P.calendar.holidays


def test_mistakes_are_refused_with_their_data():
    with pytest.raises(NotAWorkingDay) as weekend:
        team_holidays.add_day_off(P, date(2026, 12, 26), "Boxing Day", TODAY)
    assert weekend.value.working_days == (0, 1, 2, 3, 4)
    with pytest.raises(AlreadyADayOff) as already:
        team_holidays.add_day_off(P, date(2026, 11, 26), None, TODAY)
    assert (already.value.name, already.value.source) == ("Thanksgiving Day", PUBLIC)
    with pytest.raises(NotADayOff) as not_off:
        team_holidays.work_day_off(P, date(2026, 11, 12), TODAY)
    assert not_off.value.worked is None
    worked, _ = team_holidays.work_day_off(P, date(2026, 11, 11), TODAY)
    with pytest.raises(NotADayOff) as twice:
        team_holidays.work_day_off(worked, date(2026, 11, 11), TODAY)
    assert twice.value.worked == "Veterans Day"
    with pytest.raises(DayOffOutOfRange):
        team_holidays.add_day_off(P, date(2031, 1, 2), None, TODAY)
    with pytest.raises(DayOffOutOfRange):
        team_holidays.work_day_off(P, date(2024, 12, 25), TODAY)
    with pytest.raises(DayOffNameRefused):
        team_holidays.add_day_off(P, date(2026, 12, 24), "x" * 76, TODAY)
    with pytest.raises(DayOffNameRefused):
        team_holidays.add_day_off(P, date(2026, 12, 24), "<!channel>", TODAY)


def test_the_country():
    ny = team_holidays.set_country(P, "us", "new york")
    assert (ny.calendar.holidays.country, ny.calendar.holidays.subdivision) == ("US", "NY")
    none = team_holidays.set_country(ny, None, None)
    assert none.calendar.holidays.empty
    with pytest.raises(ProcessError, match="did you mean US"):
        team_holidays.set_country(P, "Untied States", None)


def test_the_coming_year_and_a_range():
    worked, _ = team_holidays.work_day_off(P, date(2026, 11, 11), TODAY)
    coming = team_holidays.coming(worked, date(2026, 11, 1))
    assert coming.end == date(2027, 11, 1)
    assert [o.name for o in coming.days_off[:3]] == [
        "Thanksgiving Day",
        "Christmas Day",
        "New Year's Day",
    ]
    assert [o.day for o in coming.worked] == [date(2026, 11, 11)]
    # Weekend holidays are not listed: 4 Jul 2027 is a Sunday, Monday the 5th is observed.
    july = team_holidays.calendar_between(P.calendar, date(2027, 7, 1), date(2027, 7, 31))
    assert [(o.day, o.name) for o in july.days_off] == [
        (date(2027, 7, 5), "Independence Day (observed)")
    ]
