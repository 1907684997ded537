"""rituals/digests.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
the daily, weekly and monthly digests and the leaderboard, checked against the team's numbers
computed by hand (tests/storage/team_numbers_support.py), each in two queries (the logs, the days away)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from rituals.digests import daily_digest, leaderboard, monthly_digest, weekly_digest
from rituals.digests import ranking as digest_ranking
from rituals.pacing import STATUS_NO_GOAL, STATUS_ON_PACE, Period, compute_pacing
from rituals.process import default_process, load_process_dict
from rituals.ranking import RepResult, by_name
from storage import people_queries
from storage.models import Member
from tests.storage.support import NOW, TODAY, Statements, add_member
from tests.storage.team_numbers_support import (
    AE1,
    AE2,
    FIRST_WORKING_DAY,
    LAST_WEEK,
    MGR,
    OCTOBER,
    PROCESS,
    SDR1,
    SDR2,
    SDR3,
    THIS_WEEK,
    TUE,
    WED,
    WEEK_BEFORE,
    add_data,
    add_members,
    add_other_workspace,
    row,
    table,
)


@pytest.fixture
def other_ws(session):
    return add_other_workspace(session)


@pytest.fixture
def members(session, ws, team) -> list[Member]:
    return add_members(session, ws, team)


@pytest.fixture
def data(session, ws, team, other_ws, members) -> list[Member]:
    return add_data(session, ws, team, other_ws, members)


def test_daily_digest_team_pace_per_kpi(engine, session, ws, team, data):
    with Statements(engine) as sql:
        digest = daily_digest(session, ws.id, team.id, PROCESS, data, NOW)
    assert len(sql) == 2  # the logs, and the same reps' days away
    assert digest.period == Period("day", TUE, TUE)
    assert (digest.team_id, digest.timezone, digest.elapsed, digest.working) == (
        team.id,
        "America/New_York",
        0.25,
        True,
    )
    assert digest.generated_at == NOW and digest.generated_at.utcoffset() == timedelta(hours=-5)
    assert digest.rep_ids == [SDR1, SDR2, SDR3, AE1, AE2]
    assert [k.key for k in digest.kpis] == [
        "calls",
        "conversations",
        "meetings_scheduled",
        "sao",
        "meetings_held",
        "roi_discussions",
        "proposals",
        "deals",
    ]
    team_line = {line.kpi: line for line in digest.team}
    calls = team_line["calls"]
    # SDR1 60 + SDR2 50 + SDR3 0 (AE2's 4 calls are off an AE's scorecard); goals 60 + 50 + 60
    assert (calls.reps, calls.pacing.actual, calls.pacing.goal) == (3, 110, 170)
    assert calls.pacing.expected == pytest.approx(42.5)
    assert calls.pacing.pace == pytest.approx(110 / 42.5)
    assert calls.pacing.attainment == pytest.approx(110 / 170)
    assert calls.pacing.status == STATUS_ON_PACE
    conv = team_line["conversations"].pacing
    assert (conv.actual, conv.goal, conv.pace) == (15, 36, pytest.approx(15 / 9))
    # Goals at their own scale (issue 12): 8 meetings a week is the week so far, never "of 4.8"
    # today; 6 SAOs and 4 deals a month are the month so far, never "of 0.86" or "of 0.38".
    sched = team_line["meetings_scheduled"].pacing
    assert (sched.actual, sched.goal, sched.period) == (4, 24, THIS_WEEK)
    assert sched.elapsed == pytest.approx(1.25 / 5)
    sao = team_line["sao"]
    # SDR2's 1 today and SDR3's 5 on Sunday 1 Nov; 6 a month for each of three SDRs
    assert (sao.kind, sao.pacing.actual, sao.pacing.goal) == ("lagging", 6, 18)
    assert sao.pacing.period == Period("month", date(2026, 11, 1), date(2026, 11, 30))
    assert sao.pacing.elapsed == pytest.approx(16.25 / 21)
    held = team_line["meetings_held"].pacing
    assert (held.actual, held.goal, held.attainment) == (4, 6, pytest.approx(4 / 6))
    assert held.period == Period("day", TUE, TUE)
    deals = team_line["deals"].pacing
    assert (deals.actual, deals.goal, deals.period.kind) == (1, 8, "month")  # AE1's on 20 Nov


def test_daily_digest_goal_hitters_rankings_and_who_has_not_logged(session, ws, team, data):
    digest = daily_digest(session, ws.id, team.id, PROCESS, data, NOW)
    # A day's goals are its daily ones: "1 proposal a day" of 5 a week, or "2 of 1.6" ROI
    # discussions, is a week's share that is never shown, so nobody hits it (issue 12).
    assert [(h.rep_id, h.kpis, h.all_goals) for h in digest.goal_hits] == [
        (SDR1, ("calls",), False),
        (SDR2, ("calls", "conversations"), True),
        (AE1, ("meetings_held",), True),
    ]
    assert list(digest.rankings) == [
        "calls",
        "conversations",
        "meetings_scheduled",
        "meetings_held",
        "roi_discussions",
        "proposals",
    ]  # leading KPIs only: no sao, no deals
    assert [(r.rank, r.rep_id, r.value) for r in digest.rankings["calls"]] == [
        (1, SDR1, 1.0),  # 60 of 60
        (1, SDR2, 1.0),  # 50 of their own 50
        (3, SDR3, 0.0),
    ]
    assert table(digest.rankings["conversations"]) == [(1, SDR2), (2, SDR1), (3, SDR3)]
    assert table(digest.rankings["meetings_scheduled"]) == [(1, SDR1), (1, SDR2), (3, SDR3)]
    assert table(digest.rankings["meetings_held"]) == [(1, AE1), (2, AE2)]
    assert table(digest.rankings["roi_discussions"]) == [(1, AE2), (2, AE1)]
    assert digest.not_logged == [SDR3]  # voided logs and yesterday's don't count as today's


def test_daily_digest_is_for_the_teams_local_day(session, ws, team, data):
    late = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # Wednesday in UTC, Tuesday 22:00 in New York
    digest = daily_digest(session, ws.id, team.id, PROCESS, data, late)
    assert digest.period == Period("day", TUE, TUE)
    assert digest.elapsed == 1.0  # after hours the whole day counts
    assert digest.team[0].pacing.pace == pytest.approx(110 / 170)
    assert digest.not_logged == [SDR3]
    tomorrow = daily_digest(session, ws.id, team.id, PROCESS, data, late + timedelta(hours=12))
    assert tomorrow.period.start == WED
    assert tomorrow.not_logged == [SDR1, SDR2, AE2]  # AE1's calls are off the scorecard: logged


def test_daily_digest_on_a_day_off_has_no_goals(session, ws, team, data):
    saturday = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    digest = daily_digest(session, ws.id, team.id, PROCESS, data, saturday)
    assert not digest.working
    # No daily goal on a day off; a weekly or monthly goal is shown for its week or month
    team_line = {line.kpi: line.pacing for line in digest.team}
    daily = ["calls", "conversations", "meetings_held"]
    assert all(team_line[k].status == STATUS_NO_GOAL for k in daily)
    assert all(
        team_line[k].goal and team_line[k].period != digest.period
        for k in team_line
        if k not in daily
    )
    assert digest.goal_hits == []
    assert all(not r.ranked for r in digest.rankings["calls"])


def test_weekly_digest_results_ranking_and_movers(engine, session, ws, team, data):
    with Statements(engine) as sql:
        digest = weekly_digest(session, ws.id, team.id, PROCESS, data, NOW)
    assert len(sql) == 2  # the logs, and the same reps' days away
    assert (digest.period, digest.previous, digest.this_week) == (
        LAST_WEEK,
        WEEK_BEFORE,
        THIS_WEEK,
    )
    results = {r.rep_id: r for r in digest.results}
    assert results[SDR1].lines["calls"].actual == 150  # the voided 100 left out
    assert results[SDR2].lines["calls"].goal == 250
    # A monthly goal is shown for the month, to the end of the week (issue 12): not 1.43 SAOs
    sao = results[SDR1].lines["sao"]
    november_so_far = Period("month", date(2026, 11, 1), date(2026, 11, 30))
    assert (sao.actual, sao.goal, sao.period) == (0, 6, november_so_far)
    assert sao.elapsed == pytest.approx(15 / 21) and not sao.final
    assert results[AE1].lines["deals"].attainment == pytest.approx(1 / 4)
    # The week is scored on its daily and weekly goals, each capped at 150%
    overall = {rep: r.overall for rep, r in results.items()}
    assert overall == pytest.approx(
        {
            SDR1: (0.5 + 0.5 + 0.5) / 3,
            SDR2: (1 + 0.5 + 0.5) / 3,
            SDR3: (0.5 + 1 + 0.5) / 3,
            AE1: (1 + 1 + 1) / 3,
            AE2: (0.4 + 0.5 + 0) / 3,
        }
    )
    assert [(r.rank, r.rep_id) for r in digest.ranking] == [
        (1, AE1),
        (2, SDR2),
        (2, SDR3),
        (4, SDR1),
        (5, AE2),
    ]
    # the week before: SDR1 1, SDR2 0, SDR3 2/3 (unchanged), AE1 1 (unchanged), AE2 0
    assert [(m.rep_id, round(m.change, 4)) for m in digest.risers] == [
        (SDR2, round(2 / 3, 4)),
        (AE2, 0.3),
    ]
    assert [(m.rep_id, m.before, m.after) for m in digest.fallers] == [
        (SDR1, 1.0, pytest.approx(0.5))
    ]
    team_line = {line.kpi: line.pacing for line in digest.team}
    assert (team_line["calls"].actual, team_line["calls"].goal) == (550, 850)
    assert team_line["calls"].elapsed == 1.0


def test_weekly_digest_has_this_weeks_goals_per_role_and_per_rep(session, ws, team, data):
    digest = weekly_digest(session, ws.id, team.id, PROCESS, data, NOW)
    goals = {
        role: {g.kpi: (str(g.stated), g.amount) for g in lines}
        for role, lines in digest.goals.items()
    }
    pers = {g.kpi: g.per for g in digest.goals["sdr"]}
    assert pers == {"calls": "week", "conversations": "week", "meetings_scheduled": "week"} | {
        "sao": "month"
    }
    assert goals == {
        "sdr": {
            "calls": ("60/day", 300),
            "conversations": ("12/day", 60),
            "meetings_scheduled": ("8/week", 8),
            "sao": ("6/month", 6),  # for its month: never a week's share (issue 12)
        },
        "ae": {
            "meetings_held": ("3/day", 15),
            "roi_discussions": ("8/week", 8),
            "proposals": ("5/week", 5),
            "deals": ("4/month", 4),
        },
    }
    assert list(digest.rep_goals) == [SDR2]
    assert [(g.kpi, str(g.stated), g.amount) for g in digest.rep_goals[SDR2]][0] == (
        "calls",
        "50/day",
        250,
    )


def test_weekly_digest_on_monday_morning_is_about_the_week_just_ended(session, ws, team, data):
    monday = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 08:00 in New York
    digest = weekly_digest(session, ws.id, team.id, PROCESS, data, monday)
    assert digest.period == LAST_WEEK and digest.this_week == THIS_WEEK
    sunday_night = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # still Sunday 22 Nov in New York
    earlier = weekly_digest(session, ws.id, team.id, PROCESS, data, sunday_night)
    assert earlier.period == WEEK_BEFORE


def test_monthly_digest_lagging_results_ranking_and_trend(engine, session, ws, team, data):
    with Statements(engine) as sql:
        digest = monthly_digest(session, ws.id, team.id, PROCESS, data, FIRST_WORKING_DAY)
    assert len(sql) == 2  # the logs, and the same reps' days away
    assert digest.period == OCTOBER
    assert digest.lagging == ["sao", "deals"]
    results = {r.rep_id: r for r in digest.results}
    lagging = {
        rep: {k: r.lines[k].actual for k in r.lines if k in digest.lagging}
        for rep, r in results.items()
    }
    assert lagging == {
        SDR1: {"sao": 6},
        SDR2: {"sao": 3},
        SDR3: {"sao": 0},  # the 5 on Sunday 1 Nov are November's
        AE1: {"deals": 4},  # Saturday 31 Oct is October's
        AE2: {"deals": 2},  # the voided 2 left out
    }
    assert results[SDR1].lines["calls"].goal == 60 * 22
    team_line = {line.kpi: line.pacing for line in digest.team}
    assert (team_line["sao"].actual, team_line["sao"].goal, team_line["sao"].attainment) == (
        9,
        18,
        0.5,
    )
    assert (team_line["deals"].actual, team_line["deals"].goal) == (6, 8)
    # overall: SDR1 (1 + 1) / 4, AE1 1/4, SDR2 and AE2 0.5/4, SDR3 0
    assert [(r.rank, r.rep_id, r.value) for r in digest.ranking] == [
        (1, SDR1, 0.5),
        (2, AE1, 0.25),
        (3, AE2, 0.125),
        (3, SDR2, 0.125),
        (5, SDR3, 0.0),
    ]
    assert [p.period.start for p in digest.trend] == [date(2026, m, 1) for m in range(5, 11)]
    assert [p.period.end for p in digest.trend][-1] == date(2026, 10, 31)
    assert [p.actual("sao") for p in digest.trend] == [0, 0, 12, 0, 18, 9]
    assert [p.actual("deals") for p in digest.trend] == [0, 0, 8, 0, 4, 6]
    assert [p.lagging["deals"].pacing.goal for p in digest.trend] == [8] * 6
    assert [p.attainment for p in digest.trend] == pytest.approx(
        [0, 0, (12 / 18 + 8 / 8) / 2, 0, (18 / 18 + 4 / 8) / 2, (9 / 18 + 6 / 8) / 2]
    )
    assert digest.trend[-1].lagging["sao"] == next(t for t in digest.team if t.kpi == "sao")


def test_monthly_digest_late_in_the_month_is_still_about_last_month(session, ws, team, data):
    mid = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    assert monthly_digest(session, ws.id, team.id, PROCESS, data, mid).period == OCTOBER
    halloween = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)  # 31 Oct, 23:00 in New York
    september = monthly_digest(session, ws.id, team.id, PROCESS, data, halloween).period
    assert september == Period("month", date(2026, 9, 1), date(2026, 9, 30))
    new_year = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # January's first working day is the 4th
    digest = monthly_digest(session, ws.id, team.id, PROCESS, data, new_year)
    assert digest.period == Period("month", date(2026, 12, 1), date(2026, 12, 31))
    assert [p.period.start for p in digest.trend] == [date(2026, m, 1) for m in range(7, 13)]
    assert [p.actual("sao") for p in digest.trend] == [12, 0, 18, 9, 6, 0]  # 1 + 5 in November


def test_leaderboard_for_a_past_and_the_current_period(engine, session, ws, data):
    with Statements(engine) as sql:
        board = leaderboard(session, ws.id, PROCESS, data, "Calls", LAST_WEEK, NOW, by="count")
    assert len(sql) == 2  # the logs, and the same reps' days away
    assert (board.kpi.key, board.by, board.is_past, board.elapsed) == ("calls", "count", True, 1.0)
    assert [(r.rank, r.rep_id, r.value) for r in board.ranking] == [
        (1, SDR2, 250.0),
        (2, SDR1, 150.0),
        (2, SDR3, 150.0),
    ]
    overall = leaderboard(session, ws.id, PROCESS, data, None, LAST_WEEK, NOW)
    assert overall.kpi is None
    assert table(overall.ranking) == [(1, AE1), (2, SDR2), (2, SDR3), (4, SDR1), (5, AE2)]
    now = leaderboard(session, ws.id, PROCESS, data, "meetings_held", THIS_WEEK, NOW)
    assert (now.is_past, now.elapsed) == (False, 0.25)
    assert [(r.rep_id, r.value) for r in now.ranking] == [(AE1, 0.2), (AE2, pytest.approx(1 / 15))]
    assert now.ranking[0].result.lines["meetings_held"].pace == pytest.approx(3 / (15 * 0.25))


def test_leaderboard_refuses_unknown_kpis_and_orders(session, ws, data):
    with pytest.raises(ValueError, match="no KPI"):
        leaderboard(session, ws.id, PROCESS, data, "golf", LAST_WEEK, NOW)
    with pytest.raises(ValueError, match="rank by"):
        leaderboard(session, ws.id, PROCESS, data, "calls", LAST_WEEK, NOW, by="vibes")
    with pytest.raises(ValueError, match="needs a KPI"):
        leaderboard(session, ws.id, PROCESS, data, None, LAST_WEEK, NOW, by="count")


def test_every_digest_of_an_empty_team_is_empty_and_free(engine, session, ws, team):
    managers_only = [add_member(session, ws, team, MGR, None, is_manager=True)]
    with Statements(engine) as sql:
        daily = daily_digest(session, ws.id, team.id, PROCESS, managers_only, NOW)
        weekly = weekly_digest(session, ws.id, team.id, PROCESS, [], NOW)
        monthly = monthly_digest(session, ws.id, team.id, PROCESS, [], NOW)
        board = leaderboard(session, ws.id, PROCESS, [], "calls", THIS_WEEK, NOW)
    assert len(sql) == 0
    assert (daily.results, daily.team, daily.rankings, daily.not_logged, daily.goal_hits) == (
        [],
        [],
        {},
        [],
        [],
    )
    assert (weekly.ranking, weekly.risers, weekly.fallers, weekly.goals) == ([], [], [], {})
    assert monthly.ranking == [] and len(monthly.trend) == 6
    assert all(p.attainment is None and not p.lagging for p in monthly.trend)
    assert board.ranking == []


def test_a_role_without_goals_is_ranked_last_and_not_in_the_team_goal(session, ws, team):
    data = default_process().to_dict()
    data["roles"].append(
        {"key": "intern", "name": "Intern", "scorecard": ["calls", "sao"], "goals": {}}
    )
    process = load_process_dict(data)
    members = [
        add_member(session, ws, team, SDR1, "sdr"),
        add_member(session, ws, team, "UINTERN", "intern"),
    ]
    session.add_all(
        [row(ws, team, SDR1, "calls", 30, TUE), row(ws, team, "UINTERN", "calls", 90, TUE)]
    )
    session.commit()
    digest = daily_digest(session, ws.id, team.id, process, members, NOW)
    assert [(r.rank, r.rep_id, r.value) for r in digest.rankings["calls"]] == [
        (1, SDR1, 0.5),
        (2, "UINTERN", None),
    ]
    calls = digest.team[0].pacing
    assert (calls.actual, calls.goal) == (120, 60)  # the intern's calls count, with no goal
    assert [h.rep_id for h in digest.goal_hits] == []
    board = leaderboard(
        session, ws.id, process, members, "calls", Period("day", TUE, TUE), NOW, by="count"
    )
    assert table(board.ranking) == [(1, "UINTERN"), (2, SDR1)]


def test_a_300_rep_team_takes_two_queries_per_digest(engine, session, ws, team):
    reps = [f"UREP{i:03d}" for i in range(300)]
    members = [
        Member(
            workspace_id=ws.id,
            team_id=team.id,
            user_id=rep,
            role="sdr" if i % 3 else "ae",
            added_by="UADMIN",
            added_at=NOW,
        )
        for i, rep in enumerate(reps)
    ]
    session.add_all(members)
    session.commit()
    start = date(2026, 9, 1)
    rows = []
    logged_today: set[str] = set()
    october_calls = 0
    for i, rep in enumerate(reps):
        kpi = "calls" if i % 3 else "meetings_held"
        for d in range(i % 3, (TODAY - start).days + 1, 3):  # every third day, staggered
            day = start + timedelta(days=d)
            rows.append(row(ws, team, rep, kpi, 1 + i % 7, day))
            logged_today |= {rep} if day == TUE else set()
            october_calls += 1 + i % 7 if kpi == "calls" and OCTOBER.contains(day) else 0
    rows.append(row(ws, team, reps[1], "calls", 1000, TUE))
    logged_today.add(reps[1])
    session.add_all(rows)
    session.commit()
    members = list(people_queries.active_members(session, team.id))
    assert len(members) == 300 and 0 < len(logged_today) < 300

    counts = {}
    for name, build in [
        ("daily", lambda: daily_digest(session, ws.id, team.id, PROCESS, members, NOW)),
        ("weekly", lambda: weekly_digest(session, ws.id, team.id, PROCESS, members, NOW)),
        ("monthly", lambda: monthly_digest(session, ws.id, team.id, PROCESS, members, NOW)),
        (
            "leaderboard",
            lambda: leaderboard(session, ws.id, PROCESS, members, "calls", THIS_WEEK, NOW),
        ),
    ]:
        with Statements(engine) as sql:
            digest = build()
        counts[name] = len(sql)
        if name == "daily":
            assert len(digest.results) == 300
            assert digest.rankings["calls"][0].rep_id == reps[1]  # the 1000 calls today
            assert set(digest.not_logged) == set(reps) - logged_today
        elif name == "weekly":
            assert len(digest.ranking) == 300
        elif name == "monthly":
            assert len(digest.ranking) == 300
            calls = next(line for line in digest.team if line.kpi == "calls")
            assert (calls.reps, calls.pacing.actual) == (200, october_calls)
        else:
            assert len(digest.ranking) == 200  # the SDRs: the AEs have no calls goal
    assert counts == {"daily": 2, "weekly": 2, "monthly": 2, "leaderboard": 2}  # + days away


# -- reps away for the whole period (RepResult.absent) --------------------------------------------


def _result(rep_id: str, actual: float, goal: float | None, absent: str | None = None):
    from_pacing = {"calls": compute_pacing(actual, goal, 1.0)}
    return RepResult(rep_id, "sdr", from_pacing, {} if absent else None, absent=absent)


def test_a_rep_away_has_no_rank_and_follows_every_ranked_rep():
    results = [
        _result("U3", 0, None, absent="away"),
        _result("U1", 30, 60),
        _result("U2", 0, 60),
        _result("U0", 0, None),  # no goal, but there: shares the rank after the last
        _result("U4", 5, None, absent="away"),
    ]
    overall = digest_ranking(results)
    assert [(r.rank, r.rep_id, r.ranked) for r in overall] == [
        (1, "U1", True),
        (2, "U2", True),
        (3, "U0", False),
        (4, "U3", False),
        (4, "U4", False),
    ]
    by_count = digest_ranking(results, "calls", "count")
    assert [(r.rep_id, r.value) for r in by_count] == [
        ("U1", 30.0),
        ("U0", 0.0),
        ("U2", 0.0),
        ("U3", None),  # away: never ranked, even on a raw count
        ("U4", None),
    ]
    assert by_name(overall, {"U3": "Zed", "U4": "Abe"})[-1].rep_id == "U3"
