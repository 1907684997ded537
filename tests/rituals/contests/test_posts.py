"""rituals/contests/posts.py: a contest's posts, and which are due or too late with an injected
clock."""

from datetime import timedelta

from rituals import contests
from tests.rituals.contests.support import ENDS, NOW, PROCESS, SETTLES, keys, ny, start


def test_a_contests_posts(session, team, reps):
    contest, _ = start(session, team)
    posts = contests.contest_occurrences(contest, PROCESS)
    assert keys(posts) == [
        "start",
        # Tue 11:30 is within 30 minutes of the start
        "2026-11-24T15:30",
        "2026-11-25T11:30",
        "mid",  # 11 of 22 working hours: Wed 14:00
        "2026-11-25T15:30",
        "2026-11-26T11:30",
        # Thu 15:30 is 30 minutes from the last hour
        "last-hour",
        "result",
    ]
    due = {k: o.due_at for k, o in zip(keys(posts), posts, strict=True)}
    assert due["mid"] == ny("2026-11-25T14:00:00")
    # The result waits for the day's late logs: settled two hours after the working day.
    assert due["last-hour"] == ny("2026-11-26T16:00:00") and due["result"] == SETTLES
    assert all(o.kind == "standings" and o.contest_id == contest.id for o in posts)
    assert all(len(o.period_key) <= 32 for o in posts)


def test_a_contest_ended_early_has_its_result_then_and_nothing_after(session, team, reps):
    contest, _ = start(session, team)
    contests.end_contest(session, contest, "U0MGR0001", ny("2026-11-25T12:00:00"))
    posts = contests.contest_occurrences(contest, PROCESS)
    assert keys(posts) == ["start", "2026-11-24T15:30", "2026-11-25T11:30", "result"]
    assert posts[-1].due_at == ny("2026-11-25T12:00:00")


def test_due_posts_with_an_injected_clock(session, team, reps):
    contest, _ = start(session, team)
    # On time: the Wednesday 11:30 standings.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ny("2026-11-25T11:29:00"), ny("2026-11-25T11:31:00")
    )
    assert keys(run) == ["2026-11-25T11:30"] and late == []
    # The clock was down from Wednesday 11:00 until 13:05: the 11:30 standings is 95 minutes
    # late, past its 90-minute grace.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ny("2026-11-25T11:00:00"), ny("2026-11-25T13:05:00")
    )
    assert run == [] and keys(late) == ["2026-11-25T11:30"]
    # Down from Wednesday morning to Thursday 16:20: only the last hour is posted; the others
    # are superseded.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ny("2026-11-25T09:00:00"), ny("2026-11-26T16:20:00")
    )
    assert keys(run) == ["last-hour"]
    assert keys(late) == ["2026-11-25T11:30", "mid", "2026-11-25T15:30", "2026-11-26T11:30"]


def test_a_result_is_never_too_late(session, team, reps):
    contest, _ = start(session, team)
    days_later = ENDS + timedelta(days=3)
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ENDS - timedelta(hours=2), days_later
    )
    assert keys(run) == ["result"] and keys(late) == ["last-hour"]
    # A start still owed when the result is due is superseded by it; alone it is never late.
    run, _ = contests.due_occurrences(
        session, team.id, PROCESS, NOW - timedelta(minutes=1), NOW + timedelta(hours=20)
    )
    assert keys(run)[0] == "start"
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, NOW - timedelta(minutes=1), days_later
    )
    assert keys(run) == ["result"] and "start" in keys(late)


def test_a_manual_standings_run_is_keyed_by_the_local_minute(session, team, reps):
    contest, _ = start(session, team)
    at = ny("2026-11-25T10:07:30")
    occurrence = contests.standings_occurrence(contest, PROCESS, at)
    assert occurrence.period_key == f"c{contest.id}:2026-11-25T10:07"
    # Which contests such a run finds: tests/rituals/contests/test_listing.py.


def test_the_result_is_due_when_it_settles_not_when_the_working_day_ends(session, team, reps):
    contest, _ = start(session, team)
    # The clock ticks every minute: nothing between 17:00 and 18:59, the result at 19:00.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ENDS - timedelta(minutes=1), SETTLES - timedelta(minutes=1)
    )
    assert run == [] and late == []
    run, _ = contests.due_occurrences(
        session, team.id, PROCESS, SETTLES - timedelta(minutes=1), SETTLES
    )
    assert keys(run) == ["result"] and run[0].due_at == SETTLES
    # Down from 16:50 until 21:00: the result is posted late, once, as of its settle time.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, ny("2026-11-26T16:50:00"), ny("2026-11-26T21:00:00")
    )
    assert keys(run) == ["result"] and run[0].due_at == SETTLES and late == []
    # After it, the contest has nothing due any more.
    run, late = contests.due_occurrences(
        session, team.id, PROCESS, SETTLES, SETTLES + timedelta(days=1)
    )
    assert run == [] and late == []


def test_with_no_settle_time_the_result_is_due_with_the_daily_digest(session, team, reps):
    process = PROCESS.with_settings(settle="0")
    contest, _ = start(session, team, process=process)
    result = contests.contest_occurrences(contest, process)[-1]
    assert keys([result]) == ["result"] and result.due_at == ny("2026-11-26T17:30:00")
