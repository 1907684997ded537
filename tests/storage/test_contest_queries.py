"""storage/contest_queries.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set): what counts as of an instant, in one statement; and the writes that race, settled inside
the caller's transaction, which they never commit: one contest per start key, one claim per lag
suggestion, the first freeze wins.

The contests are started through rituals.contests (tests/rituals/contests/support.py): a race of
the team's three SDRs, Tue 24 – Thu 26 Nov 2026, ending Thu 17:00 New York."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from rituals import contests
from rituals.contests import ContestSpec
from rituals.refusals import ContestNotStarted, SuggestionDecided
from storage import contest_queries, people_queries
from storage.models import ActivityLog, Contest, ContestEntrant, LagSuggestion
from storage.unit_of_work import unit_of_work
from tests.rituals.contests.support import (
    ENDS,
    NOW,
    THU,
    TODAY,
    A,
    B,
    C,
    add_member,
    add_reps,
    count_rows,
    log,
    start,
)
from tests.storage.support import make_log, run_at_once


@pytest.fixture
def reps(session, ws, team):
    add_reps(session, ws, team)
    session.commit()


# -- counting ---------------------------------------------------------------------------------


def test_what_counts_as_of_an_instant(session, ws, team, reps):
    contest, _ = start(session, team)
    log(session, ws, team, A, 10, created_at=NOW + timedelta(hours=1))
    log(session, ws, team, A, 5, kpi="conversations", created_at=NOW)  # another KPI
    log(session, ws, team, A, 7, occurred_on=date(2026, 11, 23), created_at=NOW)  # before
    log(session, ws, team, A, 9, occurred_on=date(2026, 11, 27), created_at=NOW)  # after
    log(session, ws, team, "U0NOTIN01", 50, created_at=NOW)  # not an entrant
    # Backdated into the window the next day: counts once stored.
    log(session, ws, team, B, 4, occurred_on=TODAY, created_at=NOW + timedelta(days=1))
    voided = log(session, ws, team, C, 6, created_at=NOW + timedelta(hours=1))
    voided.voided_at = NOW + timedelta(hours=3)
    session.add(voided)
    session.commit()

    def totals(at):
        return {e.user_id: e.total for e in contest_queries.entrant_totals(session, contest, at)}

    assert totals(NOW) == {A: 0, B: 0, C: 0}
    assert totals(NOW + timedelta(hours=2)) == {A: 10, B: 0, C: 6}
    assert totals(NOW + timedelta(hours=4)) == {A: 10, B: 0, C: 0}  # voided by then
    assert totals(NOW + timedelta(days=1)) == {A: 10, B: 4, C: 0}


def test_standings_are_one_statement_whatever_the_number_of_entrants(session, ws, team, engine):
    for i in range(40):
        add_member(session, ws, team, f"U{i:08d}", "sdr")
    contest, _ = start(session, team)
    for i in range(40):
        log(session, ws, team, f"U{i:08d}", i + 1)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        s = contests.standings_at(session, contest, NOW + timedelta(hours=1))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert s.places[0].count == 40 and len(s.places) == 40 and s.winners == ("U00000039",)


def test_logs_in_another_workspace_never_count(session, ws, team, reps):
    contest, _ = start(session, team)
    other = people_queries.workspace_for(session, "T0OTHER", None, NOW)
    other_team = people_queries.default_team(session, other.id, NOW)
    row = make_log(other, other_team, rep_id=A, count=99)
    session.add(row)
    session.commit()
    assert contests.standings_at(session, contest, ENDS).places[0].count == 0
    assert session.exec(select(ActivityLog)).all()  # the row is there, just not ours


# -- writes that race -------------------------------------------------------------------------


def test_a_contest_is_flushed_not_committed(database, engine, session, team, reps):
    """Stored in the caller's transaction: nobody else sees it until the caller commits."""
    contest, created = start(session, team)
    assert created and contest.id is not None
    assert count_rows(session, ContestEntrant) == 3  # flushed: this transaction sees them
    with unit_of_work(database.make_engine()) as other:
        assert count_rows(other, Contest) == 0
    session.commit()
    with unit_of_work(database.make_engine()) as other:
        assert count_rows(other, Contest) == 1 and count_rows(other, ContestEntrant) == 3


def test_two_starts_with_one_key_at_once_store_one_contest(database, engine, team, reps):
    """The same Slack request delivered twice at once: one contest, and both get it."""
    engines = [engine, database.make_engine()]

    def work(i):
        with unit_of_work(engines[i]) as s:
            contest, created = start(s, team, key="cmd:twice")
            return contest.id, created

    results = run_at_once(2, work)
    assert sorted(created for _, created in results) == [False, True]
    assert len({contest_id for contest_id, _ in results}) == 1
    with unit_of_work(engine) as s:
        assert count_rows(s, Contest) == 1 and count_rows(s, ContestEntrant) == 3


def test_two_same_named_contests_started_at_once_store_one(database, engine, team, reps):
    """Two managers start "Call Blitz" at the same instant (two requests, two keys): both pass
    the name check before either is stored; the unique index lets one in and the other is
    refused with the name taken, storing nothing."""
    engines = [engine, database.make_engine()]

    def work(i):
        try:
            with unit_of_work(engines[i]) as s:
                contest, _ = start(s, team, key=f"cmd:{i}")
                return contest.name
        except ContestNotStarted as refusal:
            return refusal.plain()

    results = sorted(run_at_once(2, work))
    assert results[0] == "Call Blitz"
    assert results[1].startswith("No contest started: a contest called 'Call Blitz' is already")
    with unit_of_work(engine) as s:
        assert count_rows(s, Contest) == 1 and count_rows(s, ContestEntrant) == 3


def test_a_name_is_free_again_once_its_contest_ended(session, team, reps):
    first, _ = start(session, team, key="cmd:1")
    contests.end_contest(session, first, "U0MGR0001", NOW)
    session.commit()
    second, created = start(session, team, key="cmd:2")
    assert created and second.name == first.name and second.id != first.id


def test_one_suggestion_launched_twice_at_once_starts_one_contest(database, engine, ws, team, reps):
    """Two managers' launches of one lag suggestion under different keys (the button and the
    form): one claims it and stores its contest, the other is refused and stores nothing."""
    with unit_of_work(engine) as s:
        row = LagSuggestion(
            workspace_id=ws.id,
            team_id=team.id,
            kpi="calls",
            week_key="2026-W48",
            pace=0.5,
            proposal="{}",
            created_at=NOW,
        )
        s.add(row)
        s.flush()
        suggestion_id = row.id
    engines = [engine, database.make_engine()]

    def work(i):
        try:
            with unit_of_work(engines[i]) as s:
                spec = ContestSpec(f"Blitz {i}", "race", "calls", TODAY, THU)
                start(s, team, spec, key=f"launch:{i}", suggestion_id=suggestion_id)
        except SuggestionDecided as refusal:
            return refusal.status
        return "started"

    assert sorted(run_at_once(2, work)) == ["launched", "started"]
    with unit_of_work(engine) as s:
        (contest,) = s.exec(select(Contest)).all()
        stored = contest_queries.get_suggestion(s, suggestion_id)
        assert (stored.status, stored.contest_id) == ("launched", contest.id)
        assert count_rows(s, ContestEntrant) == 3


def test_the_first_freeze_wins_when_two_runs_freeze_at_once(database, engine, session, team, reps):
    contest, _ = start(session, team)
    session.commit()
    engines = [engine, database.make_engine()]

    def work(i):
        with unit_of_work(engines[i]) as s:
            return contest_queries.freeze_result(s, contest.id, f'{{"run": {i}}}', ENDS)

    won = run_at_once(2, work)
    assert sorted(won) == [False, True]
    with unit_of_work(engine) as s:
        stored = contest_queries.get_contest(s, contest.id)
        assert stored.result == f'{{"run": {won.index(True)}}}' and stored.status == "ended"
