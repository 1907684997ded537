"""rituals/coaching.py: the numbers a coaching thread opens with, the previous session and the
cadence, on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), against the
data set computed by hand in tests/storage/coaching_support.py."""

import json
from datetime import date, timedelta

import pytest

from rituals.coaching import (
    CoachingAgenda,
    Conversion,
    TalkingPoint,
    Window,
    agenda_to_dict,
    coaching_agenda,
    coaching_cadence,
    conversion_pairs,
    percent,
    previous_session,
)
from rituals.pacing import Period
from rituals.process import default_process
from storage import coaching_queries, people_queries
from tests.storage.coaching_support import (
    AE,
    MGR,
    WEEKS,
    A,
    B,
    C,
    D,
    coaching_session,
    hand_computed_logs,
    log,
    note,
)
from tests.storage.support import NOW, TODAY, Statements, add_member, make_log

# The hand-computed data set is for plain Mon–Fri weeks (tests/storage/coaching_support.py).
PROCESS = default_process().with_settings(holidays="off")
SDR_PAIRS = [("calls", "conversations"), ("conversations", "meetings_scheduled")]
SDR_PAIRS += [("meetings_scheduled", "sao")]


@pytest.fixture
def members(session, ws, team):
    # On the team since well before the four weeks the agendas look back on.
    since = NOW - timedelta(days=60)
    for user_id, role in [(A, "sdr"), (B, "sdr"), (C, "SDR"), (D, "sdr"), (AE, "ae")]:
        add_member(session, ws, team, user_id, role, added_at=since)
    add_member(session, ws, team, MGR, None, is_manager=True)
    return list(people_queries.active_members(session, team.id))


@pytest.fixture
def data(session, ws, team, members):
    session.add_all(hand_computed_logs(ws, team))
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
    # The KPIs judged on the week; sao (6 a month) is the month's, never a share of a week
    # (issue 12: it was here at 210% of "1.43").
    assert [kpi for kpi, _ in result.furthest_from_goal] == [
        "conversations",
        "meetings_scheduled",
        "calls",
    ]
    values = dict(result.furthest_from_goal)
    assert values["conversations"] == pytest.approx(0.1)
    assert values["meetings_scheduled"] == pytest.approx(0.125)
    assert values["calls"] == pytest.approx(130 / 300)
    assert [p for p, _ in result.weekly_attainment] == [
        Period("week", w, w + timedelta(days=6)) for w in WEEKS
    ]
    assert [a for _, a in result.weekly_attainment] == pytest.approx(
        [1.9 / 3, 1.55 / 3, 1.0 / 3, 0.725 / 3]
    )


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
            "Overall attainment is falling, from 63% to 24% over the last 4 weeks: "
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
    # weeks: calls 500/300 capped at 150% / 3 = 0.5, 0, 0, meetings 30/8 capped / 3 = 0.5 (sao,
    # a monthly goal, is not a week's): the cap keeps one huge week from reading as a rise.
    assert points[1].text == (
        "Overall attainment is steady at 50% over the last 4 weeks: pick one KPI to lift."
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
    members = list(people_queries.active_members(session, team.id))
    with Statements(engine) as statements:
        result = coaching_agenda(session, ws.id, PROCESS, members, members[0], NOW)
    assert len(statements) == 2  # the logs, and the days away of the same reps
    assert result.conversions[0] == Conversion(
        "calls", "conversations", 10 / 100, (24 / 114 + 25 / 115) / 2
    )


# -- the agenda's counts and JSON -----------------------------------------------------------------


def test_the_agenda_carries_the_reps_counts_and_serializes(session, ws, data):
    result = agenda(session, ws, data, A)
    # 1000 calls: 300+240+180+150+130; conversations 24+15+9+6+6 (the voided 40 left out)
    assert result.totals == {"calls": 1000, "conversations": 60, "meetings_scheduled": 12, "sao": 3}
    stored = json.loads(json.dumps(agenda_to_dict(result)))
    assert stored["window"] == {"start": "2026-10-26", "end": "2026-11-24"}
    assert stored["conversions"][0] == {
        "from": "calls",
        "to": "conversations",
        "rep_rate": 0.06,
        "team_median": 0.14,
    }
    assert [w for w, _ in stored["weekly_attainment"]] == [str(w) for w in WEEKS]
    assert stored["talking_points"][0]["kpi"] == "conversations"


# -- the cadence and the previous session ---------------------------------------------------------


def test_cadence_lines_flag_overdue_reps(session, ws, team, members):
    # every 14 days. A: last session 14 days ago (due today). B: 13 days ago. C: never, on the
    # team 20 days. D: never, joined 3 days ago (not due yet). The AE: 30 days ago.
    for rep, days in [(A, 14), (B, 13), (AE, 30)]:
        coaching_queries.open_session(
            session, coaching_session(ws, team, rep, at=NOW - timedelta(days=days), ts=f"{days}.1")
        )
    for rep, days in [(C, 20), (D, 3)]:
        m = member(members, rep)
        m.added_at = NOW - timedelta(days=days)
        people_queries.save_member(session, m)
    lines = coaching_cadence(session, ws.id, PROCESS, members, NOW)
    assert [(c.rep_id, c.days_since, c.days_on_team, c.overdue) for c in lines] == [
        (AE, 30, 60, True),
        (C, None, 20, True),
        (A, 14, 60, True),
        (B, 13, 60, False),
        (D, None, 3, False),
    ]
    assert [c.recent for c in lines] == [0, 0, 1, 1, 0]
    assert MGR not in [c.rep_id for c in lines]  # a manager without a role is nobody's rep


def test_previous_session_has_its_open_action_items(session, ws, team):
    assert previous_session(session, ws.id, A) is None
    row, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=7), ts="1.000100")
    )
    coaching_queries.insert_note(session, note(row, "2.000100", "just a note"))
    coaching_queries.insert_note(session, note(row, "2.000200", "listen to calls", action=True))
    done = note(row, "2.000300", "done already", action=True)
    done.done_at = NOW
    coaching_queries.insert_note(session, done)
    found = previous_session(session, ws.id, A, before=NOW)
    assert (found.session_id, found.notes, found.opened_at) == (row.id, 3, row.opened_at)
    assert [a.text for a in found.actions] == ["listen to calls"]


def test_weeks_before_a_rep_joined_are_not_judged(session, ws, team, members):
    """Tyler joined on Friday 13 Nov and logged that day: the weeks before he joined and the week
    he joined in are not judged (no trend from 0%), the first full week is."""
    late = add_member(session, ws, team, "U0TYLER01", "sdr", added_at=NOW - timedelta(days=11))
    session.add_all(
        [
            make_log(ws, team, rep_id="U0TYLER01", count=20, occurred_on=date(2026, 11, 13)),
            make_log(ws, team, rep_id="U0TYLER01", count=150, occurred_on=date(2026, 11, 17)),
        ]
    )
    session.commit()
    members = list(people_queries.active_members(session, team.id))
    result = coaching_agenda(session, ws.id, PROCESS, members, late, NOW)
    trend = [(p.start, a is not None) for p, a in result.weekly_attainment]
    assert trend == [
        (date(2026, 10, 26), False),
        (date(2026, 11, 2), False),
        (date(2026, 11, 9), False),
        (date(2026, 11, 16), True),
    ]
    assert not any("rising" in p.text or "falling" in p.text for p in result.talking_points)
