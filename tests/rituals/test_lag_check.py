"""rituals/lag_check.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
a data set built to lag proposes a contest with numbers computed by hand, one on pace proposes
nothing, nothing before a quarter of the week, and once a week per KPI.

The team runs the default process (New York, Mon–Fri 09:00–17:00) without its public holidays
(the numbers below are for a plain Mon–Fri week; Thanksgiving's lag check:
test_lag_check_holidays.py). Four SDRs (calls 60/day, so
300 a week; SDR4 has an override of 40/day, so 200), one AE, one manager. The clock is Tuesday
24 Nov 2026, 11:00 in New York: 10 of the week's 40 working hours, a quarter of the week.

    calls goal 300 + 300 + 300 + 200 = 1,100; expected by now 1,100 × 0.25 = 275
    Monday: SDR1 50, SDR2 40, SDR3 20, SDR4 10 = 120; today SDR1 20      -> actual 140
    pace 140 / 275 = 50.9%; gap 1,100 − 140 = 960
    target: ceil((1,100 − 120 logged before today) / 4 entrants) = ceil(245) = 245
    per rep: SDR1 70/75 = 93%, SDR2 40/75 = 53%, SDR3 20/75 = 26.7%, SDR4 10/50 = 20%
    furthest behind: SDR4, SDR3, SDR2

Every other KPI is on pace (proposals exactly at the 80% threshold: 1 of 1.25 expected). SAOs
(6 a month) and deals (4 a month) are not checked: a monthly goal is the month's, and its share
of a week is never shown (issue 12).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import select

from rituals import lag_check
from rituals.contests import ContestSpec
from rituals.process import default_process, load_process_dict
from storage import log_queries, people_queries
from storage.models import LagSuggestion
from storage.unit_of_work import unit_of_work
from tests.storage import conftest as storage_fixtures
from tests.storage.support import NOW, add_member, make_log, run_at_once

# The storage tests' database fixtures, for this module's tests.
database, engine, pg_admin = (
    storage_fixtures.database,
    storage_fixtures.engine,
    storage_fixtures.pg_admin,
)
session, team, ws = storage_fixtures.session, storage_fixtures.team, storage_fixtures.ws

SDR1, SDR2, SDR3, SDR4, AE1, MGR, GONE = (
    "USDR1",
    "USDR2",
    "USDR3",
    "USDR4",
    "UAE1",
    "UMGR",
    "UGONE",
)
MON, TUE, FRI = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 27)


def make_process(**rituals):
    data = default_process().to_dict()
    data["holidays"] = "off"  # a plain Mon–Fri week: see the module docstring
    data["overrides"] = {SDR4: {"calls": "40/day"}}
    if rituals:
        data["rituals"]["lag_check"] = {**data["rituals"]["lag_check"], **rituals}
    return load_process_dict(data)


PROCESS = make_process()


@pytest.fixture
def members(session, ws, team):
    for user, role in [(SDR1, "sdr"), (SDR2, "sdr"), (SDR3, "sdr"), (SDR4, "sdr"), (AE1, "ae")]:
        add_member(session, ws, team, user, role)
    add_member(session, ws, team, MGR, None, is_manager=True)
    add_member(session, ws, team, GONE, "sdr", active=False)
    return people_queries.active_members(session, team.id)


def log(session, ws, team, rows):
    out = []
    for rep, kpi, count, day, *rest in rows:
        row = make_log(ws, team, rep_id=rep, kpi=kpi, count=count, occurred_on=day)
        if rest and rest[0] == "voided":
            row.voided_at, row.voided_by = NOW, rep
        out.append(row)
    assert log_queries.insert_logs(session, out)
    session.commit()  # storage only flushes


ON_PACE_OTHERS = [
    (SDR1, "conversations", 60, MON),  # 60 of 60 expected
    (SDR1, "meetings_scheduled", 8, MON),  # 8 of 8
    (SDR1, "sao", 2, MON),  # a monthly goal: not checked on a week
    (AE1, "meetings_held", 4, MON),  # 4 of 3.75
    (AE1, "roi_discussions", 2, MON),  # 2 of 2
    (AE1, "proposals", 1, MON),  # 1 of 1.25: exactly 80%, not lagging
    (AE1, "deals", 1, MON),  # the same
]


@pytest.fixture
def lagging(session, ws, team, members):
    log(
        session,
        ws,
        team,
        [
            (SDR1, "calls", 50, MON),
            (SDR2, "calls", 40, MON),
            (SDR3, "calls", 20, MON),
            (SDR4, "calls", 10, MON),
            (SDR1, "calls", 20, TUE),
            (SDR1, "calls", 100, MON, "voided"),  # undone: not counted
            (GONE, "calls", 500, MON),  # off the team
            (MGR, "calls", 500, MON),  # not a rep
            (SDR2, "calls", 300, MON - timedelta(days=1)),  # last Sunday: last week
            *ON_PACE_OTHERS,
        ],
    )
    return members


def test_a_lagging_kpi_gets_a_contest_sized_to_close_the_gap(session, ws, lagging):
    check = lag_check.check_lags(session, ws.id, PROCESS, lagging, NOW)
    assert check.checked and check.week_key == "2026-W48" and check.elapsed == 0.25
    assert [lag.kpi for lag in check.lags] == ["calls"]
    lag = check.lags[0]
    assert lag.goal == 1100 and lag.expected == 275 and lag.actual == 140
    assert lag.pace == pytest.approx(140 / 275)
    assert lag.gap == 960 and lag.before_window == 120 and lag.remaining == 980
    assert [(r.rep_id, r.actual, r.expected) for r in lag.furthest_behind] == [
        (SDR4, 10, 50),
        (SDR3, 20, 75),
        (SDR2, 40, 75),
    ]
    assert lag.furthest_behind[0].pace == pytest.approx(0.2)
    assert lag.proposal == ContestSpec(
        name="Calls / Emails catch-up",
        kind="target",
        kpi="calls",
        start_day=TUE,
        end_day=FRI,
        target=245,
        entrants=(SDR1, SDR2, SDR3, SDR4),
    )
    # everyone reaching the target makes the week: what was logged before today + 4 × 245
    assert lag.before_window + 4 * lag.proposal.target >= lag.goal
    assert lag.before_window + 4 * (lag.proposal.target - 1) < lag.goal
    paces = {p.kpi: p for p in check.paces}
    assert paces["proposals"].pace == pytest.approx(0.8)  # at the threshold: not lagging
    monthly = {"sao", "deals"}  # 6 and 4 a month: the month's goals, not a week's
    assert set(paces) == {k.key for k in PROCESS.kpis} - monthly


def test_a_team_on_pace_gets_nothing(session, ws, team, members):
    log(
        session,
        ws,
        team,
        [(SDR1, "calls", 75, MON), (SDR2, "calls", 75, MON), (SDR3, "calls", 75, MON)]
        + [(SDR4, "calls", 50, MON)]
        + ON_PACE_OTHERS,
    )
    check = lag_check.check_lags(session, ws.id, PROCESS, members, NOW)
    assert check.checked and check.lags == ()
    assert {p.kpi: p.pace for p in check.paces}["calls"] == pytest.approx(1.0)


def test_the_threshold_is_the_teams(session, ws, lagging):
    lenient = make_process(threshold="50%")  # calls at 50.9% are not behind 50%
    assert lag_check.check_lags(session, ws.id, lenient, lagging, NOW).lags == ()
    strict = make_process(threshold="95%")  # …and 80% would be behind 95%
    kpis = [lag.kpi for lag in lag_check.check_lags(session, ws.id, strict, lagging, NOW).lags]
    assert kpis == ["calls", "proposals"]


def test_nothing_before_a_quarter_of_the_week_nor_after_it_ends(session, ws, lagging):
    early = NOW - timedelta(minutes=1)  # Tuesday 10:59: 24.96% of the week
    check = lag_check.check_lags(session, ws.id, PROCESS, lagging, early)
    assert not check.checked and check.lags == () and "starts at 25%" in check.reason
    monday = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Monday 15:00: 15% of the week
    assert lag_check.check_lags(session, ws.id, PROCESS, lagging, monday).lags == ()
    friday_evening = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 18:00: the week's work is done
    late = lag_check.check_lags(session, ws.id, PROCESS, lagging, friday_evening)
    assert not late.checked and "over" in late.reason
    later = make_process(min_elapsed="50%")
    assert lag_check.check_lags(session, ws.id, later, lagging, NOW).lags == ()


def test_friday_morning_proposes_a_one_day_contest(session, ws, lagging):
    friday = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 09:00: 80% of the week gone
    lags = lag_check.check_lags(session, ws.id, PROCESS, lagging, friday).lags
    (lag,) = [x for x in lags if x.kpi == "calls"]  # by Friday the rest has fallen behind too
    assert lag.elapsed == 0.8
    assert (lag.proposal.start_day, lag.proposal.end_day) == (FRI, FRI)
    # nothing logged on Friday yet: the window brings in everything still missing
    assert lag.before_window == 140 and lag.proposal.target == 240  # ceil(960 / 4)


def test_the_contest_name_fits_80_characters():
    assert lag_check.contest_name("Calls") == "Calls catch-up"
    long = lag_check.contest_name("x" * 75)
    assert len(long) == 80 and long.endswith("… catch-up")


def test_the_proposal_is_stored_and_read_back(session, ws, team, lagging):
    check = lag_check.check_lags(session, ws.id, PROCESS, lagging, NOW)
    (row,) = lag_check.record_suggestions(
        session,
        workspace_id=ws.id,
        team_id=team.id,
        lags=check.lags,
        run_id=7,
        notify=[MGR],
        now=NOW,
    )
    assert (row.kpi, row.week_key, row.status) == ("calls", "2026-W48", "open")
    assert row.pace == pytest.approx(140 / 275) and row.created_at == NOW
    stored = lag_check.decode_proposal(row.proposal)
    assert stored.spec == check.lags[0].proposal
    assert stored.lag == check.lags[0]
    assert stored.run_id == 7 and stored.notify == (MGR,)


def _record(session, ws, team, members, now, run_id, process=PROCESS):
    check = lag_check.check_lags(session, ws.id, process, members, now)
    return lag_check.record_suggestions(
        session,
        workspace_id=ws.id,
        team_id=team.id,
        lags=check.lags,
        run_id=run_id,
        notify=[MGR],
        now=now,
    )


def test_a_dismissed_kpi_is_not_suggested_again_that_week_but_is_the_next(
    session, ws, team, lagging
):
    (first,) = _record(session, ws, team, lagging, NOW, run_id=1)
    assert lag_check.dismiss(session, first.id, MGR, NOW + timedelta(minutes=5))
    assert not lag_check.dismiss(session, first.id, "UOTHER", NOW + timedelta(minutes=6))
    row = lag_check.get_suggestion(session, first.id)
    assert (row.status, row.decided_by) == ("dismissed", MGR)
    assert row.decided_at == NOW + timedelta(minutes=5)
    wednesday = NOW + timedelta(days=1)  # calls still lag (so do others by now)
    assert lag_check.check_lags(session, ws.id, PROCESS, lagging, wednesday).lags[0].kpi == "calls"
    assert "calls" not in [s.kpi for s in _record(session, ws, team, lagging, wednesday, run_id=2)]
    next_tuesday = NOW + timedelta(days=7)  # nothing logged in week 49: calls lag again
    again = _record(session, ws, team, lagging, next_tuesday, run_id=3)
    assert "calls" in [s.kpi for s in again] and {s.week_key for s in again} == {"2026-W49"}
    count = session.exec(
        select(func.count()).select_from(LagSuggestion).where(LagSuggestion.kpi == "calls")
    ).one()
    assert count == 2


def test_a_launched_kpi_is_not_suggested_again_that_week(session, ws, team, lagging):
    (first,) = _record(session, ws, team, lagging, NOW, run_id=1)
    session.exec(
        update(LagSuggestion)
        .where(LagSuggestion.id == first.id)
        .values(status="launched", decided_by=MGR, decided_at=NOW)
    )
    session.commit()
    thursday = NOW + timedelta(days=2)
    assert "calls" not in [s.kpi for s in _record(session, ws, team, lagging, thursday, run_id=2)]
    assert not lag_check.dismiss(session, first.id, MGR, NOW)  # launched stays launched
    assert lag_check.get_suggestion(session, first.id).status == "launched"


def test_an_open_suggestion_also_counts_and_a_new_kpi_still_lands(session, ws, team, lagging):
    """Insert-or-ignore: the duplicate is skipped without rolling back the new row beside it."""
    (calls,) = _record(session, ws, team, lagging, NOW, run_id=1)
    strict = make_process(threshold="95%")
    found = _record(session, ws, team, lagging, NOW, run_id=2, process=strict)
    assert [s.kpi for s in found] == ["proposals"]
    mine = lag_check.suggestions_of_run(session, team.id, "2026-W48", 1)
    assert [s.id for s in mine] == [calls.id]
    week = lag_check.suggestions_for_week(session, team.id, "2026-W48")
    assert [s.kpi for s in week] == ["calls", "proposals"]


def test_two_checks_at_once_store_one_suggestion(database, engine, ws, team, lagging):
    other = database.make_engine()

    def work(i):
        with unit_of_work(engine if i == 0 else other) as s:
            return len(_record(s, ws, team, lagging, NOW, run_id=10 + i))

    assert sorted(run_at_once(2, work)) == [0, 1]
    with unit_of_work(engine) as s:
        assert len(lag_check.suggestions_for_week(s, team.id, "2026-W48")) == 1


def test_week_keys_are_iso_weeks():
    assert lag_check.week_key(date(2026, 11, 24)) == "2026-W48"
    assert lag_check.week_key(date(2027, 1, 1)) == "2026-W53"  # a Friday of 2026's last week
    assert lag_check.week_key(date(2026, 1, 1)) == "2026-W01"


def test_less_than_one_expected_is_not_behind(session, ws, team, members):
    """0 deals against 0.5 expected by Tuesday 11:00 (a goal of 2 a week) is a quiet start, not
    a lag; 0 calls against 275 is."""
    data = PROCESS.to_dict()
    data["roles"][1]["goals"]["deals"] = "2/week"
    weekly_deals = load_process_dict(data)
    others = [row for row in ON_PACE_OTHERS if row[1] != "deals"]
    log(session, ws, team, [(SDR1, "calls", 1, MON), *others])
    check = lag_check.check_lags(session, ws.id, weekly_deals, members, NOW)
    paces = {p.kpi: p for p in check.paces}
    assert paces["deals"].actual == 0 and paces["deals"].expected == 0.5
    assert [lag.kpi for lag in check.lags] == ["calls"]


def test_a_monthly_goal_is_never_judged_on_a_week(session, ws, team, members):
    """No SAO in a week of 6 a month is no lag: the week's "1.43" is a share never shown."""
    log(session, ws, team, [(SDR1, "calls", 75, MON), (SDR2, "calls", 75, MON)])
    check = lag_check.check_lags(session, ws.id, PROCESS, members, NOW)
    assert check.checked
    assert not {"sao", "deals"} & {p.kpi for p in check.paces}
    assert "sao" not in [lag.kpi for lag in check.lags]
