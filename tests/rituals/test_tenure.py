"""rituals/tenure.py: who is on the team on a day, and which start dates and last days a manager
may set (today: Tue 24 Nov 2026)."""

from datetime import UTC, date, datetime

import pytest

from rituals import tenure
from storage.models import Member

TODAY = date(2026, 11, 24)


def member(**kw) -> Member:
    return Member(
        workspace_id=1,
        team_id=1,
        user_id="U1",
        role="sdr",
        added_by="U0",
        added_at=datetime(2026, 11, 1, tzinfo=UTC),
        **kw,
    )


def test_on_team_follows_the_tenure_both_ends_inclusive():
    m = member(started_on=date(2026, 11, 30), last_day=date(2026, 12, 4))
    assert [tenure.on_team(m, date(2026, 11, d)) for d in (29, 30)] == [False, True]
    assert [tenure.on_team(m, date(2026, 12, d)) for d in (4, 5)] == [True, False]
    assert tenure.on_team(member(), date(2020, 1, 1))  # no dates: always on the team
    assert not tenure.on_team(None, TODAY)
    assert not tenure.on_team(
        member(active=False, removed_at=datetime(2026, 1, 1, tzinfo=UTC)), TODAY
    )


def test_not_started_has_left_and_the_roster():
    starter = member(started_on=date(2026, 11, 30))
    assert tenure.not_started(starter, TODAY) and not tenure.has_left(starter, TODAY)
    assert tenure.on_roster(starter, TODAY) and not tenure.on_team(starter, TODAY)
    leaving = member(last_day=TODAY)
    assert tenure.on_roster(leaving, TODAY) and not tenure.has_left(leaving, TODAY)
    assert tenure.has_left(leaving, date(2026, 11, 25))
    assert not tenure.on_roster(leaving, date(2026, 11, 25))
    legacy = member(active=False, removed_at=datetime(2026, 10, 1, tzinfo=UTC))
    assert tenure.has_left(legacy, TODAY) and not tenure.on_roster(legacy, TODAY)
    assert not tenure.has_left(None, TODAY) and not tenure.not_started(None, TODAY)


def test_a_start_date_within_a_year_either_way():
    assert tenure.check_start(date(2027, 11, 24), TODAY) == date(2027, 11, 24)
    assert tenure.check_start(date(2025, 11, 24), TODAY) == date(2025, 11, 24)
    with pytest.raises(tenure.TenureDateRefused) as ahead:
        tenure.check_start(date(2027, 11, 26), TODAY)
    assert (ahead.value.what, ahead.value.why, ahead.value.bound) == (
        "start",
        "too_far_ahead",
        date(2027, 11, 25),
    )
    with pytest.raises(tenure.TenureDateRefused) as back:
        tenure.check_start(date(2025, 11, 22), TODAY)
    assert back.value.why == "too_far_back"
    assert "start date 2025-11-22" in str(back.value)


def test_a_last_day_from_the_start_of_last_month_and_not_before_the_start():
    assert tenure.earliest_last_day(TODAY) == date(2026, 10, 1)
    assert tenure.earliest_last_day(date(2027, 1, 15)) == date(2026, 12, 1)
    assert tenure.check_last_day(date(2026, 10, 1), TODAY, None) == date(2026, 10, 1)
    with pytest.raises(tenure.TenureDateRefused) as back:
        tenure.check_last_day(date(2026, 9, 30), TODAY, None)
    assert (back.value.why, back.value.bound) == ("too_far_back", date(2026, 10, 1))
    with pytest.raises(tenure.TenureDateRefused) as early:
        tenure.check_last_day(date(2026, 11, 27), TODAY, date(2026, 11, 30))
    assert (early.value.why, early.value.bound) == ("before_start", date(2026, 11, 30))
    assert "before their start date" in str(early.value)
    with pytest.raises(tenure.TenureDateRefused) as ahead:
        tenure.check_last_day(date(2027, 12, 1), TODAY, None)
    assert ahead.value.why == "too_far_ahead"
    assert tenure.check_last_day(date(2026, 11, 30), TODAY, date(2026, 11, 30))  # a one-day tenure


def test_describe_for_the_roster():
    assert tenure.describe(member(), TODAY) is None
    assert tenure.describe(member(started_on=date(2026, 11, 30)), TODAY) == "starts Mon 30 Nov"
    assert tenure.describe(member(started_on=date(2026, 11, 2), last_day=TODAY), TODAY) == (
        "started Mon 2 Nov, last day today, Tue 24 Nov"
    )
