"""rituals/contests/lifecycle.py: starting a contest once per start key (a lag suggestion claimed
with it, once), and ending one early, once."""

import re
from datetime import timedelta

import pytest

from bot.replies import explain
from rituals import contests
from rituals.contests import ContestSpec
from rituals.refusals import Refusal
from storage import contest_queries
from storage.models import Contest, ContestEntrant, LagSuggestion
from tests.rituals.contests.support import (
    ENDS,
    NOW,
    THU,
    TODAY,
    A,
    B,
    C,
    count_rows,
    log,
    ny,
    start,
)


def test_a_race_defaults_to_every_rep_with_the_kpi_and_ends_at_the_end_of_working_hours(
    session, team, reps
):
    contest, created = start(session, team)
    assert created
    assert contest.ends_at == ENDS and contest.starts_at == NOW
    entrants = contest_queries.entrants(session, contest.id)
    assert sorted(e.user_id for e in entrants) == [A, B, C]  # not the AE, not the manager


def test_the_same_start_key_starts_one_contest(session, team, reps):
    first, created = start(session, team)
    again, created_again = start(session, team)
    assert created and not created_again and again.id == first.id
    assert count_rows(session, Contest) == 1 and count_rows(session, ContestEntrant) == 3


def test_a_second_running_contest_with_the_same_name_is_refused_until_the_first_ends(
    session, team, reps
):
    first, _ = start(session, team)
    with pytest.raises(Refusal, match="already running"):
        start(session, team, ContestSpec("call blitz", "race", "calls", TODAY, THU), key="k2")
    contests.end_contest(session, first, "U0MGR0001", NOW + timedelta(hours=1))
    later = NOW + timedelta(hours=2)
    _, created = start(
        session, team, ContestSpec("Call Blitz", "race", "calls", TODAY, THU), key="k3", now=later
    )
    assert created


def test_launching_a_suggestion_marks_it_once_and_a_decided_one_stores_nothing(
    session, ws, team, reps
):
    def suggestion(status="open", **kw):
        row = LagSuggestion(
            workspace_id=ws.id,
            team_id=team.id,
            kpi="calls" if status == "open" else "conversations",
            week_key="2026-W48",
            pace=0.5,
            proposal="{}",
            status=status,
            created_at=NOW,
            **kw,
        )
        session.add(row)
        session.commit()
        return row

    open_one = suggestion()
    contest, created = start(session, team, key="suggestion:1", suggestion_id=open_one.id)
    fresh = contest_queries.get_suggestion(session, open_one.id)
    assert created and fresh.status == "launched" and fresh.contest_id == contest.id
    assert fresh.decided_by == "U0MGR0001"
    # A second launch of the same suggestion under another key: refused, says who and when.
    # (The refusal carries who and when; its Slack words, bot/replies.py, say so.)
    with pytest.raises(Refusal) as launched:
        start(
            session,
            team,
            ContestSpec("Other", "race", "calls", TODAY, THU),
            key="k2",
            suggestion_id=open_one.id,
        )
    assert re.search(
        r"already launched by <@U0MGR0001> on Tue 24 Nov 11:00", explain(launched.value)
    )
    dismissed = suggestion("dismissed", decided_by="U0MGR0002", decided_at=NOW)
    with pytest.raises(Refusal) as refused:
        start(
            session,
            team,
            ContestSpec("Third", "race", "calls", TODAY, THU),
            key="k3",
            suggestion_id=dismissed.id,
        )
    assert re.search(r"dismissed by <@U0MGR0002>", explain(refused.value))
    assert count_rows(session, Contest) == 1  # only the first
    assert contest_queries.get_suggestion(session, dismissed.id).status == "dismissed"


def test_ending_early_freezes_the_result_then_and_only_once(session, ws, team, reps):
    contest, _ = start(session, team)
    log(session, ws, team, A, 3)
    ended_at = ny("2026-11-25T14:00:00")
    log(session, ws, team, B, 8, created_at=ended_at + timedelta(minutes=1))  # too late
    result = contests.end_contest(session, contest, "U0MGR0001", ended_at)
    assert result.winners == (A,) and result.as_of == ended_at
    assert contests.closes_at(contest) == ended_at
    assert contests.end_contest(session, contest, "U0MGR0001", ended_at) is None
    assert contests.running_contests(session, team.id, ended_at) == []
