"""rituals/connectors/export.py: the key and time an exported log is written with (read back,
it lands on the same day), the periods a scorecards export covers, and its rows."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rituals.connectors import export
from storage import people_queries
from storage.models import ActivityLog
from tests.rituals.ingest.support import NOW, REP, TODAY, add_people
from tests.storage.support import make_log

NY = ZoneInfo("America/New_York")


def log(**kw) -> ActivityLog:
    base = dict(
        id=7,
        workspace_id=1,
        team_id=1,
        rep_id=REP,
        entered_by=REP,
        kpi="calls",
        count=1,
        occurred_on=TODAY,
        created_at=NOW,
        source="slash",
        batch_id="b",
    )
    return ActivityLog(**(base | kw))


def test_keys_typed_logs_by_id_and_ingested_ones_by_their_own():
    assert export.key_of(log()) == ("pacer", "log-7")
    assert export.key_of(log(ext_source="crm", external_id="c-1")) == ("crm", "c-1")


def test_the_time_written_lands_on_the_day_the_log_counts_on():
    assert export.occurred_at(log(), NY) == "2026-11-24T11:00:00-05:00"  # logged that day
    backdated = log(occurred_on=date(2026, 11, 20))
    assert export.occurred_at(backdated, NY) == "2026-11-20T12:00:00-05:00"  # noon of its day
    late = log(created_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # 22:00 on the 24th in NY
    assert export.occurred_at(late, NY) == "2026-11-24T22:00:00-05:00"


def test_periods_cover_the_range_and_a_typo_of_a_range_is_refused():
    weeks = export.periods_between("week", date(2026, 11, 1), date(2026, 11, 24))
    assert (weeks[0].start, weeks[-1].end, len(weeks)) == (
        date(2026, 10, 26),
        date(2026, 11, 29),
        5,
    )
    with pytest.raises(ValueError, match="before"):
        export.periods_between("day", TODAY, date(2026, 11, 1))


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    return ws


def test_scorecards_per_period(session, people, team):
    ws = people
    session.add(make_log(ws, team, rep_id=REP, kpi="calls", count=30, created_at=NOW))
    session.commit()
    teams = people_queries.teams(session, ws.id)
    rows = list(export.scorecard_rows(session, ws.id, teams, TODAY, TODAY, "week", NOW))
    calls = next(r for r in rows if r[4] == REP and r[7] == "calls")
    assert calls[:3] == ("week", "2026-11-23", "2026-11-29") and calls[10] == 30
    assert calls[11] == 240 and calls[12] == 0.125  # Thanksgiving week: 4 days of 60
    with pytest.raises(ValueError, match="more than 400"):
        export.periods_between("day", TODAY, date(2028, 1, 1))
