"""The read API's data: activity a page at a time, a rep's scorecard, a team's leaderboard."""

import pytest

from rituals import data_reads
from rituals.ingest import ingest
from tests.rituals.ingest.support import EMAIL, NOW, REP, TODAY, add_people, item


@pytest.fixture
def logged(session, ws, team):
    add_people(session, ws, team)
    ingest(session, ws.id, [item(f"c{i}", count=i + 1) for i in range(5)], NOW)
    ingest(session, ws.id, [item("c4", deleted=True)], NOW)
    session.commit()
    return ws


def test_pages_follow_the_ids(session, logged):
    first = data_reads.activities(session, logged.id, limit=2)
    assert [r.external_id for r in first.items] == ["c0", "c1"] and first.next_after
    rest = data_reads.activities(session, logged.id, after_id=first.next_after, limit=10)
    assert [r.external_id for r in rest.items] == ["c2", "c3"] and rest.next_after is None
    voided = data_reads.activities(session, logged.id, voided=True)
    assert len(voided.items) == 5


def test_filters(session, logged):
    by_email = data_reads.activities(
        session, logged.id, owner=EMAIL, kpi="CALLS", start=TODAY, end=TODAY
    )
    assert len(by_email.items) == 4
    assert data_reads.activities(session, logged.id, owner="nobody@x.example").items == []
    with pytest.raises(data_reads.BadQuery) as bad:
        data_reads.activities(session, logged.id, start=TODAY, end=TODAY.replace(day=1))
    assert bad.value.field == "to"


def test_scorecard_and_leaderboard(session, logged):
    card = data_reads.rep_scorecard(session, logged.id, REP, "day", NOW)
    assert {line.kpi.key: line.pacing.actual for line in card.lines}["calls"] == 1 + 2 + 3 + 4
    with pytest.raises(data_reads.NotFound):
        data_reads.rep_scorecard(session, logged.id, "U0NOBODY", "day", NOW)
    board = data_reads.team_leaderboard(session, logged.id, "sales", "calls", "day", NOW, "count")
    assert [(r.rep_id, r.value) for r in board.ranking][:1] == [(REP, 10)]
    with pytest.raises(data_reads.BadQuery) as bad:
        data_reads.team_leaderboard(session, logged.id, "Sales", "cartwheels", "day", NOW)
    assert bad.value.field == "kpi"
