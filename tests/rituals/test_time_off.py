"""rituals/time_off.py: who may enter whose days away and which days (the windows), a range
split into the team's working days, stretches for listing; on SQLite and PostgreSQL.
The clock: Tue 24 Nov 2026 11:00 New York, the week of Thanksgiving (Thu 26 Nov)."""

from datetime import date, timedelta

import pytest

from rituals import time_off as t
from rituals.process import default_process
from storage import people_queries
from storage.models import SalesTeam, TimeOff
from tests.rituals.activity_support import MANAGER, OUTSIDER, REP, actor_for, add_people
from tests.storage.support import NOW, TODAY, add_member

CAL = default_process().calendar
WED, THU, FRI, MON = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    add_member(session, ws, team, OUTSIDER, "sdr")
    return session


def test_first_of_last_month():
    assert t.first_of_last_month(TODAY) == date(2026, 10, 1)
    assert t.first_of_last_month(date(2027, 1, 15)) == date(2026, 12, 1)


def test_a_range_splits_into_working_days_days_off_and_weekends():
    split = t.split_range(CAL, WED, MON)
    assert split.working == (WED, FRI, MON)
    assert [(o.day, o.name) for o in split.days_off] == [(THU, "Thanksgiving Day")]
    assert split.weekend == (date(2026, 11, 28), date(2026, 11, 29))


def test_stretches_join_working_days_with_one_note_across_weekends_and_holidays():
    def row(user, day, note=""):
        return TimeOff(
            workspace_id=1, user_id=user, day=day, note=note, entered_by=user, entered_at=NOW
        )

    rows = [row("U1", WED, "a"), row("U1", FRI, "a"), row("U1", MON, "b"), row("U2", MON)]
    rows.append(row("U2", MON + timedelta(days=2)))  # Wed 2 Dec: Tuesday between, not a stretch
    found = t.stretches(rows, CAL)
    assert [(s.user_id, s.first, s.last, s.days, s.note) for s in found] == [
        ("U1", WED, FRI, 2, "a"),
        ("U1", MON, MON, 1, "b"),
        ("U2", MON, MON, 1, ""),
        ("U2", date(2026, 12, 2), date(2026, 12, 2), 1, ""),
    ]


def test_a_rep_enters_their_own_days_from_today_a_manager_from_the_1st_of_last_month(people):
    session = people
    rep, manager = actor_for(session, REP), actor_for(session, MANAGER)
    assert t.target(session, rep, REP, NOW).earliest == TODAY
    assert t.target(session, manager, REP, NOW).earliest == date(2026, 10, 1)
    with pytest.raises(t.AwayTooFarBack) as back:
        t.add_time_off(session, rep, REP, TODAY - timedelta(days=1), TODAY, "", NOW)
    assert back.value.by_manager is False
    added = t.add_time_off(session, manager, REP, date(2026, 10, 5), date(2026, 10, 5), "", NOW)
    assert added.added == (date(2026, 10, 5),) and not added.who.is_self
    with pytest.raises(t.NotTheirManager):
        t.add_time_off(session, actor_for(session, OUTSIDER), REP, WED, WED, "", NOW)
    with pytest.raises(t.NotARep) as not_rep:
        t.add_time_off(session, manager, MANAGER, WED, WED, "", NOW)
    assert not_rep.value.is_self


def test_a_manager_of_another_team_is_not_the_reps_manager(session, ws, team):
    add_people(session, ws, team)
    other = SalesTeam(workspace_id=ws.id, name="East", created_at=NOW)
    session.add(other)
    session.commit()
    add_member(session, ws, other, "U_EAST_MGR", None, is_manager=True)
    with pytest.raises(t.NotTheirManager):
        t.target(session, actor_for(session, "U_EAST_MGR"), REP, NOW)


@pytest.mark.parametrize(
    ("first", "last", "refusal"),
    [
        (FRI, WED, t.DaysInWrongOrder),
        (WED, WED + timedelta(days=60), t.RangeTooLong),
        (TODAY + timedelta(days=366), TODAY + timedelta(days=366), t.TooFarAhead),
        (THU, THU, t.NoWorkingDays),
        (date(2026, 11, 28), date(2026, 11, 29), t.NoWorkingDays),
    ],
)
def test_refused_ranges_store_nothing(people, first, last, refusal):
    session = people
    with pytest.raises(refusal):
        t.add_time_off(session, actor_for(session, REP), REP, first, last, "", NOW)
    assert t.rep_time_off(session, actor_for(session, REP), REP, NOW).coming == []


def test_overlaps_add_the_rest_all_taken_is_refused_and_cancel_needs_a_day_away(people):
    session = people
    rep = actor_for(session, REP)
    t.add_time_off(session, rep, REP, WED, WED, "x", NOW)
    more = t.add_time_off(session, rep, REP, WED, MON, "x", NOW)
    assert more.added == (FRI, MON) and more.already == (WED,)
    with pytest.raises(t.AlreadyAway) as taken:
        t.add_time_off(session, rep, REP, WED, MON, "x", NOW)
    assert taken.value.days == (WED, FRI, MON)
    with pytest.raises(t.AwayNoteTooLong):
        t.add_time_off(session, rep, REP, WED, WED, "n" * 201, NOW)
    listing = t.rep_time_off(session, rep, REP, NOW)
    assert [(s.first, s.last, s.days) for s in listing.coming] == [(WED, MON, 3)]
    assert t.cancel_time_off(session, rep, REP, FRI, MON, NOW).days == (FRI, MON)
    with pytest.raises(t.NotAway):
        t.cancel_time_off(session, rep, REP, FRI, MON, NOW)


def test_the_team_listing_has_the_coming_days_of_its_reps(people):
    session = people
    manager = actor_for(session, MANAGER)
    t.add_time_off(session, manager, REP, date(2026, 11, 23), FRI, "", NOW)
    t.add_time_off(session, actor_for(session, OUTSIDER), OUTSIDER, WED, WED, "", NOW)
    members = people_queries.active_members(session, manager.team_id)
    found = t.team_time_off(session, manager, NOW, members)
    assert [(s.user_id, s.first, s.last) for s in found] == [
        (REP, TODAY, FRI),  # today on: Monday has passed
        (OUTSIDER, WED, WED),
    ]
