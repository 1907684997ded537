"""Coaching numbers on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
against a data set computed by hand.

The default process (New York, Mon-Fri): SDR goals calls 60/day (300/week), conversations 12/day
(60/week), meetings_scheduled 8/week, sao 6/month. NOW is Tuesday 24 Nov 2026, 11:00 in New
York; with weeks=4 the window is Mon 26 Oct .. Tue 24 Nov (four full weeks, then Mon-Tue).

Window totals (calls, conversations, meetings_scheduled, sao):

    SDR_A  1000   60  12  3   -> 6%, 20%, 25%
    SDR_B  1000  140  14  0   -> 14%, 10%, 0%
    SDR_C   500  100  30  6   -> 20%, 30%, 20%
    SDR_D     0    0   0  1   -> None, None, None (left out of the medians)
    medians                   -> 14%, 20%, 20%

SDR_A week by week (sao only this week), overall = mean attainment of the four KPIs:

    26 Oct  300 24 4 -> (1 + 0.4 + 0.5 + 0) / 4   = 0.475
     2 Nov  240 15 4 -> (0.8 + 0.25 + 0.5) / 4    = 0.3875
     9 Nov  180  9 2 -> (0.6 + 0.15 + 0.25) / 4   = 0.25
    16 Nov  150  6 1 -> (0.5 + 0.1 + 0.125) / 4   = 0.18125
    23 Nov  130  6 1 sao 3 (so far) -> calls 130/300, conversations 6/60 = 0.1,
            meetings 1/8 = 0.125, sao 3 / (6 * 5/21) = 2.1
"""

from datetime import date, timedelta

import pytest

from rituals.coaching import (
    CoachingAgenda,
    Conversion,
    TalkingPoint,
    Window,
    coaching_agenda,
    conversion_pairs,
    percent,
)
from rituals.pacing import Period
from rituals.process import default_process
from storage import queries
from storage.models import ActivityLog
from tests.storage.support import NOW, TODAY, add_member, make_log
from tests.storage.test_team_numbers import Statements

PROCESS = default_process()
A, B, C, D, AE, MGR = "USDR_A", "USDR_B", "USDR_C", "USDR_D", "UAE1", "UMGR"
WEEKS = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
MON = date(2026, 11, 23)
SDR_PAIRS = [("calls", "conversations"), ("conversations", "meetings_scheduled")]
SDR_PAIRS += [("meetings_scheduled", "sao")]


def log(ws, team, rep, kpi, count, on, *, voided=False) -> ActivityLog:
    row = make_log(ws, team, rep_id=rep, kpi=kpi, count=count, occurred_on=on)
    if voided:
        row.voided_at, row.voided_by = NOW, rep
    return row


@pytest.fixture
def members(session, ws, team):
    for user_id, role in [(A, "sdr"), (B, "sdr"), (C, "SDR"), (D, "sdr"), (AE, "ae")]:
        add_member(session, ws, team, user_id, role)
    add_member(session, ws, team, MGR, None, is_manager=True)
    return list(queries.active_members(session, team.id))


@pytest.fixture
def data(session, ws, team, members):
    L = lambda *a, **k: log(ws, team, *a, **k)  # noqa: E731
    rows = []
    weekly_a = [(300, 24, 4), (240, 15, 4), (180, 9, 2), (150, 6, 1), (130, 6, 1)]
    for monday, (calls, convs, meetings) in zip([*WEEKS, MON], weekly_a, strict=True):
        rows += [
            L(A, "calls", calls, monday),
            L(A, "conversations", convs, monday + timedelta(days=1)),
            L(A, "meetings_scheduled", meetings, monday),
        ]
    rows += [
        L(A, "sao", 3, MON),
        L(A, "conversations", 40, date(2026, 11, 20), voided=True),  # undone: not counted
        L(B, "calls", 1000, date(2026, 11, 10)),
        L(B, "conversations", 140, date(2026, 11, 11)),
        L(B, "meetings_scheduled", 14, date(2026, 11, 12)),
        L(B, "calls", 999, date(2026, 10, 25)),  # the Sunday before the window
        L(C, "calls", 500, date(2026, 10, 26)),  # the window's first day
        L(C, "conversations", 100, TODAY),
        L(C, "meetings_scheduled", 30, date(2026, 11, 17)),
        L(C, "sao", 6, date(2026, 11, 18)),
        L(C, "calls", 50, TODAY + timedelta(days=1)),  # after today: not in the window
        L(D, "sao", 1, date(2026, 11, 3)),
        L(AE, "calls", 100, date(2026, 11, 10)),  # an AE: not in the SDRs' medians
        L(AE, "conversations", 90, date(2026, 11, 10)),
        L(AE, "meetings_held", 10, date(2026, 11, 10)),
        L(AE, "roi_discussions", 5, date(2026, 11, 11)),
    ]
    session.add_all(rows)
    session.commit()
    return members


def member(members, user_id):
    return next(m for m in members if m.user_id == user_id)


def agenda(session, ws, members, user_id, **kw) -> CoachingAgenda:
    return coaching_agenda(session, ws.id, PROCESS, members, member(members, user_id), NOW, **kw)


# -- pairs ----------------------------------------------------------------------------------------


def test_pairs_follow_the_journey_for_the_default_roles():
    assert conversion_pairs(PROCESS, "sdr") == SDR_PAIRS
    assert conversion_pairs(PROCESS, "AE") == [
        ("meetings_held", "roi_discussions"),
        ("roi_discussions", "proposals"),
        ("proposals", "deals"),
    ]


def test_percent_rounds_down_like_the_scorecard():
    assert [percent(0.06), percent(0.149), percent(2.1), percent(0.29)] == [
        "6%",
        "14%",
        "210%",
        "29%",
    ]


# -- the agenda -----------------------------------------------------------------------------------


def test_conversion_rates_and_medians_over_the_window(session, ws, data):
    result = agenda(session, ws, data, A)
    assert (result.rep_id, result.role) == (A, "sdr")
    assert result.window == Window(date(2026, 10, 26), TODAY)
    assert result.conversions == [
        Conversion("calls", "conversations", 60 / 1000, 0.14),
        Conversion("conversations", "meetings_scheduled", 12 / 60, 0.2),
        Conversion("meetings_scheduled", "sao", 3 / 12, 0.2),
    ]
    assert [c.rep_rate for c in agenda(session, ws, data, B).conversions] == [0.14, 0.1, 0.0]
    assert [c.rep_rate for c in agenda(session, ws, data, C).conversions] == [0.2, 0.3, 0.2]


def test_rate_is_none_when_the_denominator_is_zero(session, ws, data):
    result = agenda(session, ws, data, D)
    assert [c.rep_rate for c in result.conversions] == [None, None, None]
    assert [c.team_median for c in result.conversions] == [0.14, 0.2, 0.2]  # D left out


def test_median_is_none_when_nobody_has_a_rate(session, ws, members):
    result = agenda(session, ws, members, A)
    assert result.conversions == [Conversion(f, t, None, None) for f, t in SDR_PAIRS]
    assert result.weekly_attainment == [(Period("week", w, w + timedelta(6)), 0.0) for w in WEEKS]


def test_furthest_from_goal_and_weekly_trend(session, ws, data):
    result = agenda(session, ws, data, A)
    assert [kpi for kpi, _ in result.furthest_from_goal] == [
        "conversations",
        "meetings_scheduled",
        "calls",
        "sao",
    ]
    values = dict(result.furthest_from_goal)
    assert values["conversations"] == pytest.approx(0.1)
    assert values["meetings_scheduled"] == pytest.approx(0.125)
    assert values["calls"] == pytest.approx(130 / 300)
    assert values["sao"] == pytest.approx(2.1)
    assert [p for p, _ in result.weekly_attainment] == [
        Period("week", w, w + timedelta(days=6)) for w in WEEKS
    ]
    assert [a for _, a in result.weekly_attainment] == pytest.approx([0.475, 0.3875, 0.25, 0.18125])


def test_talking_points_for_a_rep_below_the_median(session, ws, data):
    assert agenda(session, ws, data, A).talking_points == [
        TalkingPoint(
            "conversations",
            "Conversations per calls / emails is 6% against a team median of 14%: go through "
            "two recent calls / emails together and find where they stall.",
        ),
        TalkingPoint(
            "conversations",
            "Conversations is at 10% of this week's goal so far, the furthest from goal on the "
            "scorecard: agree on a number for each remaining day.",
        ),
        TalkingPoint(
            None,
            "Overall attainment is falling, from 47% to 18% over the last 4 weeks: "
            "ask what changed.",
        ),
    ]


def test_the_worst_gap_is_chosen_and_a_rep_at_the_median_has_none(session, ws, data):
    # B: 10% against 20% (50% below) and 0% against 20% (100% below): the second is worse.
    first = agenda(session, ws, data, B).talking_points[0]
    assert first == TalkingPoint(
        "sao",
        "Sales Accepted Opportunities per discovery meetings scheduled is 0% against a team "
        "median of 20%: go through two recent discovery meetings scheduled together and find "
        "where they stall.",
    )
    # C is at or above every median: no conversion point; nothing logged this week but
    # conversations, and only one full week with attainment above zero.
    points = agenda(session, ws, data, C).talking_points
    assert [p.kpi for p in points] == ["calls", None]
    assert points[0].text.startswith("Calls / Emails is at 0% of this week's goal so far")
    # weeks: 500/300/4 = 0.41666, 0, 0, 30/8/4 + sao 6/(6*5/21)/4 = 0.9375 + 1.05 = 1.9875
    assert points[1].text == (
        "Overall attainment is rising, from 41% to 198% over the last 4 weeks: "
        "name what worked and keep doing it."
    )


def test_a_rep_without_a_role_is_refused(session, ws, data):
    with pytest.raises(ValueError, match="no role"):
        agenda(session, ws, data, MGR)


def test_statements_are_bounded_for_thirty_reps(session, ws, team, engine):
    reps = [f"U{i:03d}" for i in range(30)]
    for user_id in reps:
        add_member(session, ws, team, user_id, "sdr")
    session.add_all(
        log(ws, team, rep, kpi, n + i, WEEKS[i % 4])
        for i, rep in enumerate(reps)
        for kpi, n in [("calls", 100), ("conversations", 10), ("meetings_scheduled", 1)]
    )
    session.commit()
    members = list(queries.active_members(session, team.id))
    with Statements(engine) as statements:
        result = coaching_agenda(session, ws.id, PROCESS, members, members[0], NOW)
    assert len(statements) == 1
    assert result.conversions[0] == Conversion(
        "calls", "conversations", 10 / 100, (24 / 114 + 25 / 115) / 2
    )
