"""rituals/lag_check.py in the week of Thanksgiving 2026 (Thu 26 Nov, a US public holiday in the
default process), on a real database: the week's goal and elapsed time count four working days,
and a proposed contest never starts on the holiday.

Two SDRs at 60 calls/day: 240 each in a four-day week, 480 for the team. Tuesday 11:00 is 10 of
the week's 32 working hours: expected 480 × 10/32 = 150. Monday: SDR1 40, SDR2 20 -> pace 40%.
"""

from datetime import UTC, date, datetime

import pytest

from rituals import lag_check
from rituals.process import default_process
from storage import log_queries, people_queries
from tests.storage import conftest as storage_fixtures
from tests.storage.support import NOW, add_member, make_log

database, engine, pg_admin = (
    storage_fixtures.database,
    storage_fixtures.engine,
    storage_fixtures.pg_admin,
)
session, team, ws = storage_fixtures.session, storage_fixtures.team, storage_fixtures.ws

SDR1, SDR2 = "USDR1", "USDR2"
MON, TUE, FRI = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 27)
PROCESS = default_process()


@pytest.fixture
def members(session, ws, team):
    for user in (SDR1, SDR2):
        add_member(session, ws, team, user, "sdr")
    rows = [
        make_log(ws, team, rep_id=SDR1, kpi="calls", count=40, occurred_on=MON),
        make_log(ws, team, rep_id=SDR2, kpi="calls", count=20, occurred_on=MON),
    ]
    assert log_queries.insert_logs(session, rows)
    session.commit()
    return people_queries.active_members(session, team.id)


def test_the_week_counts_four_working_days(session, ws, members):
    check = lag_check.check_lags(session, ws.id, PROCESS, members, NOW)
    assert check.checked and check.elapsed == pytest.approx(10 / 32)
    calls = next(lag for lag in check.lags if lag.kpi == "calls")
    assert (calls.goal, calls.expected, calls.actual) == (480, 150, 60)
    assert calls.pace == pytest.approx(0.4)
    proposal = calls.proposal
    assert (proposal.start_day, proposal.end_day, proposal.target) == (TUE, FRI, 210)


def test_a_check_run_by_hand_on_the_holiday_proposes_a_contest_from_friday(session, ws, members):
    thanksgiving = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # Thu 11:00 in New York
    check = lag_check.check_lags(session, ws.id, PROCESS, members, thanksgiving)
    assert check.elapsed == 0.75  # Mon–Wed of a four-day week, and no time on the holiday
    calls = next(lag for lag in check.lags if lag.kpi == "calls")
    assert (calls.proposal.start_day, calls.proposal.end_day) == (FRI, FRI)
