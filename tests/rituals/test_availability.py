"""A rep's own days: tenure, days away and the ramp (rituals/availability.py)."""

from datetime import date

import pytest

from rituals.availability import EVERY_DAY, RepDays, add_months

MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))


def test_add_months_clamps_to_the_months_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 24), 2) == date(2027, 1, 24)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_every_day_is_plain_and_available():
    assert EVERY_DAY.plain and EVERY_DAY.available(date(1999, 1, 1))
    assert EVERY_DAY.ramp_share(TUE) == 1.0 and EVERY_DAY.tenure_month(TUE) is None


def test_tenure_is_inclusive_at_both_ends_and_away_days_are_out():
    rep = RepDays(start=TUE, last_day=FRI, away={WED})
    assert [rep.available(d) for d in (MON, TUE, WED, THU, FRI)] == [False, True, False, True, True]
    assert not rep.available(date(2026, 11, 28)) and not rep.plain


def test_the_ramp_goes_by_calendar_month_of_tenure():
    rep = RepDays(start=date(2026, 1, 31), ramp=(0.25, 0.5, 0.75))
    months = {
        date(2026, 1, 31): 1,
        date(2026, 2, 27): 1,
        date(2026, 2, 28): 2,  # 31 Jan + 1 month, clamped
        date(2026, 3, 30): 2,
        date(2026, 3, 31): 3,
        date(2026, 4, 30): 4,
    }
    for day, month in months.items():
        assert rep.tenure_month(day) == month, day
    assert [rep.ramp_share(d) for d in months] == [0.25, 0.25, 0.5, 0.5, 0.75, 1.0]
    assert rep.tenure_month(date(2026, 1, 30)) is None  # before the start
    assert rep.ramps(date(2026, 4, 1), date(2026, 4, 30)) and not rep.ramps(
        date(2026, 4, 30), date(2026, 5, 31)
    )


def test_a_ramp_without_a_start_scales_nothing():
    rep = RepDays(ramp=(0.5,))
    assert rep.ramp_share(TUE) == 1.0 and not rep.ramps(MON, FRI)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"start": FRI, "last_day": TUE}, "before the start"),
        ({"ramp": (0.0,)}, "above 0%"),
        ({"ramp": (1.5,)}, "at most 100%"),
    ],
)
def test_impossible_days_are_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        RepDays(**kwargs)
