"""rituals/contests/listing.py: which of a team's contests are running at an instant (oldest
first), and the recent ones (running first, then those closed in the last 30 days, newest
first)."""

from datetime import date, timedelta

from rituals import contests
from rituals.contests import ContestSpec
from tests.rituals.contests.support import ENDS, NOW, SETTLES, THU, TODAY, ny, start


def race(name: str, first: date, last: date) -> ContestSpec:
    return ContestSpec(name, "race", "calls", first, last)


def test_a_manual_standings_run_finds_the_running_contest(session, team, reps):
    contest, _ = start(session, team)
    at = ny("2026-11-25T10:07:30")
    assert contests.running(session, team.id, at) == [contest]
    # Its days are over at 17:00 but its result is being settled until 19:00: still running.
    assert contests.running(session, team.id, ENDS) == [contest]
    assert contests.running(session, team.id, SETTLES) == []


def test_running_contests_are_those_started_and_still_counting_oldest_first(session, team, reps):
    first, _ = start(session, team)
    later = NOW + timedelta(hours=1)
    second, _ = start(session, team, race("Second", TODAY, THU), key="k2", now=later)
    ended, _ = start(session, team, race("Ended", TODAY, THU), key="k3", now=later)
    contests.end_contest(session, ended, "U0MGR0001", later + timedelta(minutes=30))
    at = NOW + timedelta(hours=2)
    assert contests.running_contests(session, team.id, at) == [first, second]
    # Before the second was started, only the first was running; before either, none.
    assert contests.running_contests(session, team.id, later - timedelta(minutes=1)) == [first]
    assert contests.running_contests(session, team.id, NOW - timedelta(minutes=1)) == []
    assert contests.running_contests(session, team.id, SETTLES - timedelta(seconds=1)) == [
        first,
        second,
    ]
    assert contests.running_contests(session, team.id, SETTLES) == []


def test_a_contest_whose_result_is_frozen_is_no_longer_running(session, team, reps):
    contest, _ = start(session, team)
    contests.final_result(session, contest, SETTLES)
    assert contests.running_contests(session, team.id, ENDS - timedelta(hours=1)) == []


def test_recent_contests_are_the_running_ones_then_the_last_30_days_newest_first(
    session, team, reps
):
    long_ago, _ = start(
        session,
        team,
        race("October", date(2026, 10, 19), date(2026, 10, 20)),
        key="old",
        now=ny("2026-10-19T10:00:00"),
    )  # closed Tue 20 Oct: 35 days before NOW
    early_nov, _ = start(
        session,
        team,
        race("Early November", date(2026, 11, 2), date(2026, 11, 6)),
        key="early",
        now=ny("2026-11-02T10:00:00"),
    )
    mid_nov, _ = start(
        session,
        team,
        race("Mid November", date(2026, 11, 16), date(2026, 11, 17)),
        key="mid",
        now=ny("2026-11-16T10:00:00"),
    )
    for past in (long_ago, early_nov, mid_nov):  # their result runs froze them when they settled
        contests.final_result(session, past, contests.closes_at(past))
    ended_today, _ = start(session, team, race("Ended today", TODAY, THU), key="today")
    contests.end_contest(session, ended_today, "U0MGR0001", NOW + timedelta(minutes=30))
    running, _ = start(session, team, race("Running", TODAY, THU), key="running")
    at = NOW + timedelta(hours=1)
    assert contests.recent_contests(session, team.id, at) == [
        running,
        ended_today,
        mid_nov,
        early_nov,
    ]
