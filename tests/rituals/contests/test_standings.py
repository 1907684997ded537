"""rituals/contests/standings.py: ranks, ties and winners of each kind, and the result frozen once
when it settles (the last day's late logs counted until then; later changes recorded, not
counted)."""

from datetime import date, timedelta

import pytest

from rituals import contests
from rituals.contests import ContestSpec, Standings
from rituals.contests.standings import _ranked
from storage import contest_queries
from tests.rituals.contests.support import (
    ENDS,
    NOW,
    PROCESS,
    SETTLES,
    THU,
    TODAY,
    A,
    B,
    C,
    local,
    log,
    start,
)


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


# -- settling: the last day's late logs count until the result settles ------------------------


def late_log(session, ws, team, rep, count, day, hhmm):
    """A log of ``day`` typed at ``hhmm`` New York time (after the working day, say)."""
    return log(session, ws, team, rep, count, occurred_on=day, created_at=local(day, hhmm))


def test_a_log_typed_at_1710_counts_and_one_at_1910_does_not(session, ws, team, reps):
    contest, _ = start(session, team)
    assert contest.settles_at == SETTLES  # Thu 19:00: two hours after the working day
    log(session, ws, team, A, 40)
    log(session, ws, team, B, 25)
    late_log(session, ws, team, B, 30, THU, "17:10")  # the day's calls, typed after 17:00
    late_log(session, ws, team, C, 90, THU, "19:10")  # after the result settled
    settling = contests.standings_at(session, contest, local(THU, "17:40"))
    assert [(p.user_id, p.count) for p in settling.places[:2]] == [(B, 55), (A, 40)]
    assert not settling.final and contests.is_settling(contest, local(THU, "17:40"))
    result = contests.final_result(session, contest, SETTLES)
    assert result.winners == (B,) and result.as_of == SETTLES
    assert [(p.user_id, p.count) for p in result.places] == [(B, 55), (A, 40), (C, 0)]
    changes = contests.changes_since_result(session, contest)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(C, 90, "added")]


def test_a_settle_time_of_0_freezes_the_result_at_the_end_as_before(session, ws, team, reps):
    process = PROCESS.with_settings(settle="0").with_ritual("daily", "off")
    contest, _ = start(session, team, process=process)
    assert contest.settles_at == contest.ends_at == ENDS
    log(session, ws, team, A, 40)
    late_log(session, ws, team, B, 50, THU, "17:10")
    result = contests.final_result(session, contest, ENDS)
    assert result.winners == (A,) and result.as_of == ENDS
    changes = contests.changes_since_result(session, contest)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(B, 50, "added")]


def test_with_no_settle_time_the_result_still_waits_for_the_daily_digest(session, ws, team, reps):
    process = PROCESS.with_settings(settle="0")  # the daily digest is at 17:30
    contest, _ = start(session, team, process=process)
    assert contest.settles_at == local(THU, "17:30")
    log(session, ws, team, A, 40)
    late_log(session, ws, team, B, 50, THU, "17:20")  # before the digest: counts
    late_log(session, ws, team, C, 60, THU, "17:40")  # after it: doesn't
    with pytest.raises(ValueError, match="not closed"):
        contests.final_result(session, contest, local(THU, "17:29"))
    result = contests.final_result(session, contest, local(THU, "17:30"))
    assert result.winners == (B,) and result.as_of == local(THU, "17:30")


def test_a_clock_down_past_the_settle_time_counts_the_logs_stored_by_then(session, ws, team, reps):
    contest, _ = start(session, team)
    log(session, ws, team, A, 40)
    late_log(session, ws, team, B, 45, THU, "18:59")  # by the settle time: counts
    late_log(session, ws, team, C, 70, THU, "19:01")  # stored before the late freeze: doesn't
    result = contests.final_result(session, contest, SETTLES + timedelta(days=2))
    assert result.winners == (B,) and result.as_of == SETTLES
    assert contest_queries.get_contest(session, contest.id).ended_at == SETTLES
    changes = contests.changes_since_result(session, contest)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(C, 70, "added")]


def test_a_contest_ending_on_a_friday_settles_on_friday_evening(session, ws, team, reps):
    friday, saturday = date(2026, 11, 27), date(2026, 11, 28)
    spec = ContestSpec("Friday Push", "race", "calls", TODAY, friday)
    contest, _ = start(session, team, spec)
    assert contest.settles_at == local(friday, "19:00")
    assert contests.result_occurrence(contest).due_at == local(friday, "19:00")
    log(session, ws, team, A, 40)
    late_log(session, ws, team, B, 35, friday, "18:30")  # Friday's calls, typed at 18:30
    # Friday's calls typed on Saturday morning: after the result, not counted.
    log(session, ws, team, C, 80, occurred_on=friday, created_at=local(saturday, "10:00"))
    result = contests.final_result(session, contest, local(friday, "19:00"))
    assert [(p.user_id, p.count) for p in result.places] == [(A, 40), (B, 35), (C, 0)]
    changes = contests.changes_since_result(session, contest)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(C, 80, "added")]


def test_a_manager_ending_it_while_it_settles_freezes_it_at_once(session, ws, team, reps):
    contest, _ = start(session, team)
    log(session, ws, team, A, 40)
    late_log(session, ws, team, B, 45, THU, "17:10")
    late_log(session, ws, team, C, 60, THU, "17:30")  # after the manager ended it
    result = contests.end_contest(session, contest, "U0MGR0001", local(THU, "17:20"))
    assert result.winners == (B,) and result.as_of == local(THU, "17:20")
    assert contests.closes_at(contest) == local(THU, "17:20")
    assert contests.result_occurrence(contest).due_at == local(THU, "17:20")
    assert contests.end_contest(session, contest, "U0MGR0001", local(THU, "17:25")) is None


def test_group_averages_tie_on_the_figure_as_printed():
    # 12.25 and 12.2 both print as 12.2 (one decimal from 10): they share first place, by name;
    # 9.994 and 9.99 both print as 9.99 (two decimals under 10).
    assert _ranked([(12.2, "West"), (12.25, "East"), (11.0, "North")]) == [
        (1, 12.25, "East"),
        (1, 12.2, "West"),
        (3, 11.0, "North"),
    ]
    assert [r[0] for r in _ranked([(9.994, "A"), (9.99, "B"), (9.9, "C")])] == [1, 1, 3]
