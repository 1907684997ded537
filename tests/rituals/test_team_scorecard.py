"""rituals/team_scorecard.py: the team view's numbers, on a real database (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set), checked against the team's numbers computed by hand
(tests/storage/team_numbers_support.py), in one query; and the grouping and order on
hand-made results (away, not started and left reps last)."""

from datetime import date

import pytest

from rituals.pacing import STATUS_HIT, Pacing, Period
from rituals.ranking import RepResult
from rituals.team_scorecard import build_team_scorecard, group_results
from tests.storage.support import NOW, Statements
from tests.storage.team_numbers_support import (
    AE1,
    AE2,
    PROCESS,
    SDR1,
    SDR2,
    SDR3,
    THIS_WEEK,
    add_data,
    add_members,
    add_other_workspace,
)


@pytest.fixture
def data(session, ws, team):
    other = add_other_workspace(session)
    return add_data(session, ws, team, other, add_members(session, ws, team))


def totals(group) -> dict:
    return {line.kpi: (line.reps, line.pacing.actual, line.pacing.goal) for line in group.lines}


def test_team_week_totals_by_role_against_the_sum_of_the_reps_goals(
    engine, session, ws, team, data
):
    with Statements(engine) as sql:
        card = build_team_scorecard(session, ws.id, team.id, PROCESS, data, THIS_WEEK, NOW)
    assert len(sql) == 2  # the logs and the reps' own days, whatever the team's size
    assert (card.team_id, card.period, card.timezone, card.working, card.is_past) == (
        team.id,
        THIS_WEEK,
        "America/New_York",
        True,
        False,
    )
    assert card.elapsed == pytest.approx(1.25 / 5)
    assert card.now.utcoffset().total_seconds() == -5 * 3600
    assert [g.role.key for g in card.groups] == ["sdr", "ae"]  # the process's order of roles
    sdr, ae = card.groups
    # calls this week: SDR1 60 + SDR2 50 + SDR3 25 (Mon) + 7 (Wed); goals 5 days × (60 + 50 + 60)
    assert totals(sdr) == {
        "calls": (3, 142, 850),
        "conversations": (3, 15, 180),
        "meetings_scheduled": (3, 4, 24),
        "sao": (3, 6, 18),  # a monthly goal: the month to date for every SDR, so it adds up
    }
    assert sdr.lines[3].pacing.period.kind == "month"
    calls = sdr.lines[0].pacing
    assert calls.expected == pytest.approx(850 * 0.25) and calls.pace == pytest.approx(142 / 212.5)
    assert totals(ae) == {
        "meetings_held": (2, 4, 30),
        "roi_discussions": (2, 2, 16),
        "proposals": (2, 1, 10),
        "deals": (2, 1, 8),
    }
    assert card.reps == 5 and card.rep_ids() == [SDR2, SDR1, SDR3, AE1, AE2]


def test_reps_ordered_by_overall_score_as_the_rankings_order(session, ws, team, data):
    card = build_team_scorecard(session, ws.id, team.id, PROCESS, data, THIS_WEEK, NOW)
    sdr, ae = card.groups
    assert [(r.rank, r.rep_id) for r in sdr.rows] == [(1, SDR2), (2, SDR1), (3, SDR3)]
    values = [r.value for r in sdr.rows]
    assert values == sorted(values, reverse=True)
    assert values[0] == pytest.approx(sdr.rows[0].result.overall)
    assert sdr.ranked == 3 and [r.rep_id for r in ae.rows] == [AE1, AE2]


def test_a_finished_month_is_final(session, ws, team, data):
    october = Period("month", date(2026, 10, 1), date(2026, 10, 31))
    card = build_team_scorecard(session, ws.id, team.id, PROCESS, data, october, NOW)
    assert card.is_past and card.elapsed == 1.0
    sao = card.groups[0].lines[3].pacing
    assert (sao.actual, sao.goal, sao.final) == (9, 18, True)


def test_a_sunday_has_no_working_time(session, ws, team, data):
    sunday = Period("day", date(2026, 11, 22), date(2026, 11, 22))
    card = build_team_scorecard(session, ws.id, team.id, PROCESS, data, sunday, NOW)
    assert not card.working


def test_no_reps_no_groups(session, ws, team):
    card = build_team_scorecard(session, ws.id, team.id, PROCESS, [], THIS_WEEK, NOW)
    assert card.groups == [] and card.reps == 0 and card.rep_ids() == []


def pacing(actual, goal) -> Pacing:
    attainment = actual / goal if goal else None
    status = STATUS_HIT if attainment and attainment >= 1 else "behind"
    return Pacing(actual, goal, 1.0, goal, attainment, actual, attainment, status, True)


def result(rep_id, role, calls, goal=100, absent=None) -> RepResult:
    return RepResult(rep_id, role, {"calls": pacing(calls, goal)}, absent=absent)


def test_reps_without_a_goal_come_last_with_the_reason():
    results = [
        result("UAWAY", "sdr", 5, goal=None, absent="away"),
        result("ULOW", "sdr", 20),
        result("UNEW", "sdr", 0, goal=None, absent="not_started"),
        result("UHIGH", "sdr", 90),
        result("UAE", "ae", 1, goal=None),
    ]
    groups = group_results(PROCESS, results)
    assert [g.role.key for g in groups] == ["sdr", "ae"]
    sdr = groups[0]
    rows = [(r.rank, r.rep_id, r.ranked, r.result.absent) for r in sdr.rows]
    assert rows == [
        (1, "UHIGH", True, None),
        (2, "ULOW", True, None),
        (3, "UAWAY", False, "away"),
        (3, "UNEW", False, "not_started"),
    ]
    assert sdr.ranked == 2
    # The away rep's calls still count in the team's total; their goal, which they have not, doesn't.
    assert totals(sdr)["calls"] == (4, 115, 200)
    assert groups[1].ranked == 0
