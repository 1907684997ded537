"""Contests on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): what
counts as of an instant, the frozen result, starting once, the lag suggestion's compare-and-set,
and which posts are due when (with an injected clock).

The default process: New York, Mon–Fri 09:00–17:00, contest standings at 11:30 and 15:30.
NOW is Tuesday 24 Nov 2026, 11:00 in New York (16:00 UTC). The race below runs Tue 24 – Thu 26
Nov and ends Thu 26 Nov 17:00 New York (22:00 UTC)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from rituals import contests
from rituals.contests import ContestSpec, Standings
from rituals.process import default_process
from rituals.refusals import Refusal
from storage import contest_queries
from storage.models import ActivityLog, Contest, ContestEntrant, LagSuggestion
from tests.storage.support import NOW, TODAY, add_member, make_log

PROCESS = default_process()
A, B, C, AE = "U0REPA001", "U0REPB001", "U0REPC001", "U0AE00001"
THU = date(2026, 11, 26)
ENDS = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # Thu 17:00 New York


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00").astimezone(UTC)


@pytest.fixture
def reps(session, ws, team):
    for user in (A, B, C):
        add_member(session, ws, team, user, "sdr")
    add_member(session, ws, team, AE, "ae")
    add_member(session, ws, team, "U0MGR0001", None, is_manager=True)


def start(session, team, spec=None, key="k1", now=NOW, **kw):
    spec = spec or ContestSpec("Call Blitz", "race", "calls", TODAY, THU)
    return contests.start_contest(
        session,
        team=team,
        process=PROCESS,
        spec=spec,
        by="U0MGR0001",
        now=now,
        source="command",
        start_key=key,
        **kw,
    )


def log(session, ws, team, rep, count, **kw):
    row = make_log(ws, team, rep_id=rep, count=count, **kw)
    session.add(row)
    session.commit()
    return row


def count_rows(session, model) -> int:
    return len(session.exec(select(model)).all())


# -- starting ---------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        (ContestSpec("X" * 81, "race", "calls", TODAY, THU), "name", "81 characters"),
        (ContestSpec("Blitz", "race", "dials_x", TODAY, THU), "kpi", "I don't know the KPI"),
        (ContestSpec("Blitz", "race", "calls", TODAY, date(2026, 11, 23)), "end", "before it"),
        (
            ContestSpec("Blitz", "race", "calls", date(2026, 11, 20), date(2026, 11, 23)),
            "start",
            "past",
        ),
        (ContestSpec("Blitz", "target", "calls", TODAY, THU), "target", "needs the number"),
        (
            ContestSpec("Blitz", "teams", "calls", TODAY, THU, groups=(("East", (A, B)),)),
            "groups",
            "two or more groups",
        ),
        (
            ContestSpec(
                "Blitz", "teams", "calls", TODAY, THU, groups=(("East", (A, B)), ("West", (B, C)))
            ),
            "group2",
            "is in two groups",
        ),
        (
            ContestSpec("Blitz", "race", "calls", TODAY, THU, entrants=(A, "U0STRANGER")),
            "entrants",
            "isn't on the team",
        ),
        (
            ContestSpec("Blitz", "race", "calls", TODAY, THU, entrants=(A, AE)),
            "entrants",
            "without Calls / Emails on their scorecard",
        ),
        (ContestSpec("Blitz", "race", "calls", TODAY, TODAY + timedelta(days=100)), "end", "92"),
    ],
)
def test_every_mistake_is_refused_with_its_field_and_nothing_is_stored(
    session, team, reps, spec, field, words
):
    plan = contests.plan_contest(session, team.id, PROCESS, spec, NOW)
    assert any(p.field == field and words in p.message for p in plan.problems), plan.problems
    with pytest.raises(Refusal, match="No contest started"):
        start(session, team, spec)
    assert count_rows(session, Contest) == 0 and count_rows(session, ContestEntrant) == 0


def test_a_kpi_nobody_on_the_team_tracks_is_refused(session, ws, team):
    add_member(session, ws, team, AE, "ae")
    plan = contests.plan_contest(
        session, team.id, PROCESS, ContestSpec("Blitz", "race", "calls", TODAY, THU), NOW
    )
    assert [p.field for p in plan.problems] == ["kpi"]
    assert "Nobody on the team tracks Calls / Emails" in plan.problems[0].message


def test_today_after_working_hours_is_refused(session, team, reps):
    evening = ny("2026-11-24T17:30:00")
    plan = contests.plan_contest(
        session, team.id, PROCESS, ContestSpec("Blitz", "race", "calls", TODAY, TODAY), evening
    )
    assert [p.field for p in plan.problems] == ["end"]
    assert "17:00, which is past" in plan.problems[0].message


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
    with pytest.raises(Refusal, match=r"already launched by <@U0MGR0001> on Tue 24 Nov 11:00"):
        start(
            session,
            team,
            ContestSpec("Other", "race", "calls", TODAY, THU),
            key="k2",
            suggestion_id=open_one.id,
        )
    dismissed = suggestion("dismissed", decided_by="U0MGR0002", decided_at=NOW)
    with pytest.raises(Refusal, match=r"dismissed by <@U0MGR0002>"):
        start(
            session,
            team,
            ContestSpec("Third", "race", "calls", TODAY, THU),
            key="k3",
            suggestion_id=dismissed.id,
        )
    assert count_rows(session, Contest) == 1  # only the first
    assert contest_queries.get_suggestion(session, dismissed.id).status == "dismissed"


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


# -- the result -------------------------------------------------------------------------------


def test_the_result_is_frozen_once_and_later_changes_are_recorded_not_counted(
    session, ws, team, reps
):
    contest, _ = start(session, team)
    counted = log(session, ws, team, A, 12)
    log(session, ws, team, B, 10)
    with pytest.raises(ValueError, match="not closed"):
        contests.final_result(session, contest, ENDS - timedelta(minutes=1))
    result = contests.final_result(session, contest, ENDS + timedelta(minutes=5))
    assert result.final and result.winners == (A,)
    stored = contest_queries.get_contest(session, contest.id)
    assert stored.status == "ended" and stored.ended_at == ENDS and stored.ended_by is None
    # After the result: A's log is voided and B backdates 5 into the window.
    counted.voided_at = ENDS + timedelta(hours=1)
    session.add(counted)
    session.commit()
    log(session, ws, team, B, 5, occurred_on=THU, created_at=ENDS + timedelta(hours=2))
    again = contests.final_result(session, stored, ENDS + timedelta(days=1))
    assert again == result  # the result stands
    # A second freeze (another run that computed it anew) does not overwrite the first.
    other = Standings.from_json(result.to_json())
    assert not contest_queries.freeze_result(session, contest.id, "{}", ENDS)
    assert Standings.from_json(contest_queries.get_contest(session, contest.id).result) == other
    changes = contests.changes_since_result(session, stored)
    assert [(c.rep_id, c.count, c.change) for c in changes] == [(A, 12, "voided"), (B, 5, "added")]


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


# -- posts ------------------------------------------------------------------------------------


def keys(occurrences):
    return [o.period_key.split(":", 1)[1] for o in occurrences]


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
    assert due["last-hour"] == ny("2026-11-26T16:00:00") and due["result"] == ENDS
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
    assert contests.running(session, team.id, at) == [contest]
    assert contests.running(session, team.id, ENDS) == []


def test_logs_in_another_workspace_never_count(session, ws, team, reps):
    from storage import people_queries

    contest, _ = start(session, team)
    other = people_queries.workspace_for(session, "T0OTHER", None, NOW)
    other_team = people_queries.default_team(session, other.id, NOW)
    row = make_log(other, other_team, rep_id=A, count=99)
    session.add(row)
    session.commit()
    assert contests.standings_at(session, contest, ENDS).places[0].count == 0
    assert session.exec(select(ActivityLog)).all()  # the row is there, just not ours
