"""rituals/contests/standings.py: ranks, ties and winners of each kind, and the result frozen once
(later changes recorded, not counted)."""

from datetime import timedelta

import pytest

from rituals import contests
from rituals.contests import ContestSpec, Standings
from storage import contest_queries
from tests.rituals.contests.support import ENDS, NOW, SETTLES, THU, TODAY, A, B, C, log, start


def test_ties_share_ranks_and_the_win(session, ws, team, reps):
    contest, _ = start(session, team)
    log(session, ws, team, A, 84)
    log(session, ws, team, B, 84)
    log(session, ws, team, C, 12)
    s = contests.standings_at(session, contest, NOW + timedelta(hours=1))
    assert [(p.rank, p.user_id, p.count) for p in s.places] == [(1, A, 84), (1, B, 84), (3, C, 12)]
    assert s.winners == (A, B) and s.tie


def test_a_race_nobody_logged_has_no_winner(session, team, reps):
    contest, _ = start(session, team)
    s = contests.standings_at(session, contest, ENDS)
    assert s.winners == () and not s.tie and s.logged == 0


def test_target_winners_are_all_who_reached_it(session, ws, team, reps):
    spec = ContestSpec("Five", "target", "calls", TODAY, THU, target=5)
    contest, _ = start(session, team, spec)
    log(session, ws, team, A, 5)
    log(session, ws, team, B, 9)
    log(session, ws, team, C, 4)
    s = contests.standings_at(session, contest, ENDS)
    assert s.winners == (B, A) and not s.tie
    assert [p.user_id for p in s.chasing()] == [C]


def test_teams_score_by_sum_or_average_and_tie(session, ws, team, reps):
    groups = (("East", (A, B)), ("West", (C,)))
    summed, _ = start(
        session, team, ContestSpec("Sum", "teams", "calls", TODAY, THU, groups=groups)
    )
    averaged, _ = start(
        session,
        team,
        ContestSpec("Avg", "teams", "calls", TODAY, THU, groups=groups, scoring="average"),
        key="k2",
    )
    log(session, ws, team, A, 6)
    log(session, ws, team, B, 4)
    log(session, ws, team, C, 10)
    by_sum = contests.standings_at(session, summed, ENDS)
    assert [(g.rank, g.name, g.total) for g in by_sum.groups] == [(1, "East", 10), (1, "West", 10)]
    assert by_sum.winners == ("East", "West") and by_sum.tie
    by_average = contests.standings_at(session, averaged, ENDS)
    assert [(g.rank, g.name, g.score) for g in by_average.groups] == [
        (1, "West", 10.0),
        (2, "East", 5.0),
    ]
    assert by_average.winners == ("West",)


def test_the_result_is_frozen_once_and_later_changes_are_recorded_not_counted(
    session, ws, team, reps
):
    contest, _ = start(session, team)
    counted = log(session, ws, team, A, 12)
    log(session, ws, team, B, 10)
    with pytest.raises(ValueError, match="not closed"):
        contests.final_result(session, contest, SETTLES - timedelta(minutes=1))
    result = contests.final_result(session, contest, SETTLES + timedelta(minutes=5))
    assert result.final and result.winners == (A,) and result.as_of == SETTLES
    stored = contest_queries.get_contest(session, contest.id)
    assert stored.status == "ended" and stored.ended_at == SETTLES and stored.ended_by is None
    # After the result: A's log is voided and B backdates 5 into the window.
    counted.voided_at = SETTLES + timedelta(hours=1)
    session.add(counted)
    session.commit()
    log(session, ws, team, B, 5, occurred_on=THU, created_at=SETTLES + timedelta(hours=2))
    again = contests.final_result(session, stored, ENDS + timedelta(days=1))
    assert again == result  # the result stands
    # A second freeze (another run that computed it anew) does not overwrite the first.
    other = Standings.from_json(result.to_json())
    assert not contest_queries.freeze_result(session, contest.id, "{}", SETTLES)
    assert Standings.from_json(contest_queries.get_contest(session, contest.id).result) == other
    changes = contests.changes_since_result(session, stored)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(A, 12, "voided"), (B, 5, "added")]
