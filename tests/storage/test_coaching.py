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
from storage import coaching_queries, db, people_queries
from storage.models import ActivityLog, CoachingNote, CoachingSession
from tests.storage.support import NOW, TODAY, Statements, add_member, make_log, run_at_once

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
    # On the team since well before the four weeks the agendas look back on.
    since = NOW - timedelta(days=60)
    for user_id, role in [(A, "sdr"), (B, "sdr"), (C, "SDR"), (D, "sdr"), (AE, "ae")]:
        add_member(session, ws, team, user_id, role, added_at=since)
    add_member(session, ws, team, MGR, None, is_manager=True)
    return list(people_queries.active_members(session, team.id))


def hand_computed_logs(ws, team, ids: dict[str, str] | None = None) -> list[ActivityLog]:
    """The data set in the module docstring; ``ids`` renames its people (A, B, C, D, AE) for a
    test that needs Slack-shaped user IDs (tests/bot/test_coaching.py)."""
    ids = ids or {}
    a, b, c, d, ae = (ids.get(x, x) for x in (A, B, C, D, AE))
    L = lambda *args, **kw: log(ws, team, *args, **kw)  # noqa: E731
    rows = []
    weekly_a = [(300, 24, 4), (240, 15, 4), (180, 9, 2), (150, 6, 1), (130, 6, 1)]
    for monday, (calls, convs, meetings) in zip([*WEEKS, MON], weekly_a, strict=True):
        rows += [
            L(a, "calls", calls, monday),
            L(a, "conversations", convs, monday + timedelta(days=1)),
            L(a, "meetings_scheduled", meetings, monday),
        ]
    rows += [
        L(a, "sao", 3, MON),
        L(a, "conversations", 40, date(2026, 11, 20), voided=True),  # undone: not counted
        L(b, "calls", 1000, date(2026, 11, 10)),
        L(b, "conversations", 140, date(2026, 11, 11)),
        L(b, "meetings_scheduled", 14, date(2026, 11, 12)),
        L(b, "calls", 999, date(2026, 10, 25)),  # the Sunday before the window
        L(c, "calls", 500, date(2026, 10, 26)),  # the window's first day
        L(c, "conversations", 100, TODAY),
        L(c, "meetings_scheduled", 30, date(2026, 11, 17)),
        L(c, "sao", 6, date(2026, 11, 18)),
        L(c, "calls", 50, TODAY + timedelta(days=1)),  # after today: not in the window
        L(d, "sao", 1, date(2026, 11, 3)),
        L(ae, "calls", 100, date(2026, 11, 10)),  # an AE: not in the SDRs' medians
        L(ae, "conversations", 90, date(2026, 11, 10)),
        L(ae, "meetings_held", 10, date(2026, 11, 10)),
        L(ae, "roi_discussions", 5, date(2026, 11, 11)),
    ]
    return rows


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
    members = list(people_queries.active_members(session, team.id))
    with Statements(engine) as statements:
        result = coaching_agenda(session, ws.id, PROCESS, members, members[0], NOW)
    assert len(statements) == 1
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


# -- sessions and notes (storage.coaching_queries) ---------------------------------------------


def coaching_session(ws, team, rep=A, *, at=NOW, key=None, channel="C0COACH", ts=None, mgr=MGR):
    return CoachingSession(
        workspace_id=ws.id,
        team_id=team.id,
        rep_id=rep,
        manager_id=mgr,
        opened_at=at,
        open_key=key or f"k-{rep}-{at.isoformat()}",
        channel_id=channel,
        thread_ts=ts,
    )


def note(row, ts, text="a note", *, action=False, author=MGR) -> CoachingNote:
    return CoachingNote(
        session_id=row.id,
        author_id=author,
        message_ts=ts,
        text=text,
        is_action=action,
        created_at=NOW,
    )


def test_the_same_open_key_opens_one_session(session, ws, team):
    first, created = coaching_queries.open_session(session, coaching_session(ws, team, key="T1"))
    again, created_again = coaching_queries.open_session(
        session, coaching_session(ws, team, B, key="T1")
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.rep_id == A
    assert coaching_queries.count_sessions_for_rep(session, ws.id, A) == 1
    assert coaching_queries.count_sessions_for_rep(session, ws.id, B) == 0


def test_find_by_thread_and_the_last_posted_session(session, ws, team):
    old, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=20), ts="1700000000.000100")
    )
    newer, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=5), ts="1700000500.000100")
    )
    unposted, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=1))
    )
    assert coaching_queries.find_by_thread(session, "C0COACH", "1700000000.000100").id == old.id
    assert coaching_queries.find_by_thread(session, "C0OTHER", "1700000000.000100") is None
    assert coaching_queries.find_by_thread(session, "C0COACH", "1700000000.000200") is None
    assert coaching_queries.last_session(session, ws.id, A).id == newer.id  # not the unposted
    assert coaching_queries.last_session(session, ws.id, A, before=newer.opened_at).id == old.id
    assert coaching_queries.last_session(session, ws.id, B) is None
    newest_first = coaching_queries.sessions_for_rep(session, ws.id, A)
    assert [r.id for r in newest_first] == [unposted.id, newer.id, old.id]
    assert [r.id for r in coaching_queries.sessions_for_rep(session, ws.id, A, 1)] == [unposted.id]


def test_a_note_delivered_twice_is_stored_once(session, ws, team):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    assert coaching_queries.insert_note(session, note(row, "2.000100", "call Acme", action=True))
    assert not coaching_queries.insert_note(session, note(row, "2.000100", "call Acme"))
    assert coaching_queries.insert_note(session, note(row, "2.000200", "second"))
    notes = coaching_queries.notes_for_sessions(session, [row.id])[row.id]
    assert [(n.message_ts, n.text, n.is_action) for n in notes] == [
        ("2.000100", "call Acme", True),
        ("2.000200", "second", False),
    ]


def test_two_deliveries_racing_store_one_note(database, engine, ws, team, session):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    other = database.make_engine()

    def deliver(i):
        with db.session(engine if i % 2 else other) as s:
            return coaching_queries.insert_note(s, note(row, "3.000100", f"delivery {i}"))

    assert sorted(run_at_once(4, deliver)) == [False, False, False, True]
    assert len(coaching_queries.notes_for_sessions(session, [row.id])[row.id]) == 1


def test_edits_and_deletions_follow_the_thread(session, ws, team):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    coaching_queries.insert_note(session, note(row, "2.000100", "typo"))
    assert coaching_queries.update_note(session, row.id, "2.000100", "fixed", True)
    assert not coaching_queries.update_note(session, row.id, "9.000100", "nothing", False)
    [edited] = coaching_queries.notes_for_sessions(session, [row.id])[row.id]
    assert (edited.text, edited.is_action) == ("fixed", True)
    assert coaching_queries.delete_note(session, row.id, "2.000100")
    assert not coaching_queries.delete_note(session, row.id, "2.000100")
    assert coaching_queries.notes_for_sessions(session, [row.id]) == {row.id: []}


def test_notes_for_many_sessions_in_one_statement(session, ws, team, engine):
    rows = [
        coaching_queries.open_session(session, coaching_session(ws, team, rep, ts=f"1.{i:06d}"))[0]
        for i, rep in enumerate([A, B, C])
    ]
    for i, row in enumerate(rows):
        for j in range(i):
            coaching_queries.insert_note(session, note(row, f"5.{j:06d}"))
    with Statements(engine) as statements:
        found = coaching_queries.notes_for_sessions(session, [r.id for r in rows])
    assert len(statements) == 1
    assert [len(found[r.id]) for r in rows] == [0, 1, 2]


def test_cadence_counts_posted_sessions_in_one_statement(session, ws, team, engine):
    days = [40, 27, 10, 2]  # A: one before the 4-week window, three inside it
    for d in days:
        coaching_queries.open_session(
            session, coaching_session(ws, team, at=NOW - timedelta(days=d), ts=f"{d}.000100")
        )
    coaching_queries.open_session(session, coaching_session(ws, team, at=NOW))  # never posted
    coaching_queries.open_session(  # after "until": not yet
        session, coaching_session(ws, team, B, at=NOW + timedelta(days=1), ts="7.000100")
    )
    with Statements(engine) as statements:
        found = coaching_queries.cadence(session, ws.id, [A, B, C], NOW - timedelta(weeks=4), NOW)
    assert len(statements) == 1
    assert found == {A: coaching_queries.Cadence(3, NOW - timedelta(days=2))}


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
    result = coaching_agenda(session, ws.id, default_process(), members, late, NOW)
    trend = [(p.start, a is not None) for p, a in result.weekly_attainment]
    assert trend == [
        (date(2026, 10, 26), False),
        (date(2026, 11, 2), False),
        (date(2026, 11, 9), False),
        (date(2026, 11, 16), True),
    ]
    assert not any("rising" in p.text or "falling" in p.text for p in result.talking_points)
