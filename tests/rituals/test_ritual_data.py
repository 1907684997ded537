"""rituals/ritual_data.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set): what a digest or leaderboard run reports is built for the period it was due, with the goals
that period had and the people on the team then (or who logged in it), whenever it runs.

New York, Mon–Fri 09:00–17:00, US public holidays (Thu 26 Nov is Thanksgiving). The weekly run is due Monday 23 Nov 2026 09:00, about the week
Mon 16 – Sun 22 Nov; the SDRs' calls goal was 70/day then and became 100/day at 08:00 that
Monday, and 150/day on Tuesday 1 Dec at 08:00 (before the monthly run about November)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from rituals import ritual_data, teams
from rituals.pacing import Period
from rituals.process import Goal
from rituals.schedule import Occurrence, occurrence_at
from storage import people_queries
from tests.storage.support import add_member, make_log

TZ_OFFSET = timedelta(hours=5)  # New York is on EST all through these weeks
SDR, NEWBIE, LATECOMER, MANAGER = "U_SDR", "U_NEW", "U_LATE", "U_MGR"
NOV_1, MON_23, DEC_1 = date(2026, 11, 1), date(2026, 11, 23), date(2026, 12, 1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) + TZ_OFFSET


def goal(calls_per_day: str, at: datetime):
    def change(session, team):
        teams.change_process(
            session,
            team,
            lambda process: process.with_goal("sdr", "calls", calls_per_day),
            loaded_by=MANAGER,
            change=f"goal sdr calls {calls_per_day}",
            now=at,
        )

    return change


@pytest.fixture
def history(session, ws, team):
    """The goal's versions, the people (with when they joined) and their logs."""
    goal("70/day", local(NOV_1, 9))(session, team)
    goal("100/day", local(MON_23, 8))(session, team)
    goal("150/day", local(DEC_1, 8))(session, team)
    add_member(session, ws, team, MANAGER, None, is_manager=True, added_at=local(NOV_1, 9))
    add_member(session, ws, team, SDR, "sdr", added_at=local(NOV_1, 9))
    add_member(session, ws, team, NEWBIE, "sdr", added_at=local(MON_23, 8, 30))
    # Joined this morning, but logged a call last Friday (backdated): reported on.
    add_member(session, ws, team, LATECOMER, "sdr", added_at=local(MON_23, 8, 30))
    friday = date(2026, 11, 20)
    rows = [
        make_log(ws, team, rep_id=SDR, count=60, occurred_on=day, created_at=local(day, 16))
        for day in (date(2026, 11, 16) + timedelta(days=i) for i in range(5))
    ]
    rows.append(
        make_log(
            ws, team, rep_id=LATECOMER, count=7, occurred_on=friday, created_at=local(MON_23, 9)
        )
    )
    rows += [
        make_log(ws, team, rep_id=SDR, count=42, occurred_on=date(2026, 11, 26)),
        make_log(ws, team, rep_id=SDR, count=9, occurred_on=date(2026, 11, 27)),
    ]
    session.add_all(rows)
    session.commit()


def run(session, team, kind: str, due: datetime, kpis=None):
    """The report of the run of ``kind`` due at ``due``, built with the process the team had
    then (the newest when the run was due) and its current members, as the runner passes them."""
    process = teams.process_in_effect(session, team.id, due)
    members = people_queries.active_members(session, team.id)
    occurrence = occurrence_at(process, kind, due)
    if kpis is not None:
        occurrence = Occurrence(kind, due, occurrence.period_key, kpis)
    build = {
        "daily": ritual_data.daily_report,
        "weekly": ritual_data.weekly_report,
        "monthly": ritual_data.monthly_report,
        "leaderboard": ritual_data.leaderboard_report,
    }[kind]
    return process, build(session, team, process, members, occurrence)


def by_rep(results) -> dict:
    return {r.rep_id: r for r in results}


def test_last_week_is_reported_with_last_weeks_goals_and_this_weeks_goals_are_the_new_ones(
    session, team, history
):
    process, report = run(session, team, "weekly", local(MON_23, 9))
    assert report.data.period == Period("week", date(2026, 11, 16), date(2026, 11, 22))
    assert report.process.goal_for("sdr", "calls") == Goal(70, "day")
    assert report.current is process and process.goal_for("sdr", "calls") == Goal(100, "day")
    calls = by_rep(report.data.results)[SDR].lines["calls"]
    assert (calls.actual, calls.goal) == (300, 350)  # 5 days at 70, not at 100
    this_week = {g.kpi: g.amount for g in report.data.goals["sdr"]}
    assert this_week["calls"] == 400  # 4 working days at 100: Thursday is Thanksgiving


def test_a_week_reports_who_was_on_the_team_then_or_logged_in_it(session, team, history):
    _, report = run(session, team, "weekly", local(MON_23, 9))
    assert [m.user_id for m in report.members] == [MANAGER, SDR, LATECOMER]  # not the newbie
    assert report.rep_ids == [SDR, LATECOMER]  # the manager has no scorecard
    assert set(by_rep(report.data.results)) == {SDR, LATECOMER}
    assert by_rep(report.data.results)[LATECOMER].lines["calls"].actual == 7


def test_a_week_reported_late_is_still_the_week_before_the_one_it_was_due_in(
    session, team, history
):
    """The clock was down on Monday: Tuesday's run of Monday's weekly digest."""
    due = local(MON_23, 9)
    process_on_tuesday = teams.process_in_effect(
        session, team.id, local(MON_23, 9) + timedelta(days=1)
    )
    members = people_queries.active_members(session, team.id)
    occurrence = occurrence_at(process_on_tuesday, "weekly", due)
    report = ritual_data.weekly_report(session, team, process_on_tuesday, members, occurrence)
    assert report.data.generated_at == due
    assert report.data.period == Period("week", date(2026, 11, 16), date(2026, 11, 22))
    assert report.process.goal_for("sdr", "calls") == Goal(70, "day")


def test_a_month_is_reported_with_the_goals_in_force_at_its_end(session, team, history):
    process, report = run(session, team, "monthly", local(DEC_1, 9))
    assert report.data.period == Period("month", NOV_1, date(2026, 11, 30))
    assert report.process.goal_for("sdr", "calls") == Goal(100, "day")  # not December's 150
    assert report.current is process and process.goal_for("sdr", "calls") == Goal(150, "day")
    assert [m.user_id for m in report.members] == [MANAGER, SDR, NEWBIE, LATECOMER]
    assert by_rep(report.data.results)[SDR].lines["calls"].actual == 300 + 42 + 9


def test_a_daily_digest_reports_the_day_it_was_due_on(session, team, history):
    thursday = date(2026, 11, 26)
    process, report = run(session, team, "daily", local(thursday, 23))
    assert report.data.period == Period("day", thursday, thursday)
    assert by_rep(report.data.results)[SDR].lines["calls"].actual == 42  # not Friday's 9
    assert report.process is process and report.current is process
    assert [m.user_id for m in report.members] == [MANAGER, SDR, NEWBIE, LATECOMER]


def test_a_leaderboard_per_kpi_of_its_slot_that_the_process_still_has(session, team, history):
    friday = date(2026, 11, 27)  # Thursday is Thanksgiving: no leaderboard
    due = local(friday, 12)
    _, report = run(session, team, "leaderboard", due, kpis=("calls", "dials"))
    [board] = report.data
    assert board.kpi.key == "calls" and board.period == Period("day", friday, friday)
    assert [(r.rep_id, r.result.lines["calls"].actual) for r in board.ranking][0] == (SDR, 9)
    # A slot whose KPIs the process dropped ranks overall attainment instead.
    _, report = run(session, team, "leaderboard", due, kpis=("dials",))
    assert [b.kpi for b in report.data] == [None]


def test_a_rep_who_left_is_in_the_week_they_were_on_the_team_for(session, ws, team, history):
    """Their last day was last Friday: last week's digest has them and their 300 calls; the
    runner's list of today's team doesn't, and a week after they left nobody reports them."""
    sdr = people_queries.get_member(session, ws.id, SDR)
    sdr.last_day = date(2026, 11, 20)
    people_queries.save_member(session, sdr)
    session.commit()
    _, report = run(session, team, "weekly", local(MON_23, 9))
    assert [m.user_id for m in report.members] == [MANAGER, SDR, LATECOMER]
    assert by_rep(report.data.results)[SDR].lines["calls"].actual == 300
    assert SDR not in [m.user_id for m in people_queries.members_on(session, team.id, MON_23)]
    _, later = run(session, team, "weekly", local(date(2026, 11, 30), 9))
    assert SDR not in [m.user_id for m in later.members]
