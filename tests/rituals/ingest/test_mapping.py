"""The held queue: unknown owners wait; mapping them applies what waited and what comes later."""

from datetime import timedelta

import pytest

from rituals.ingest import MappingRefused, held_queue, ingest, map_owner
from storage import ingest_queries
from tests.rituals.ingest.support import MANAGER, NOW, REP, add_people, item, totals

JANE = "jane@crm.example"


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    return ws


def statuses(results):
    return [r.status for r in results]


def test_mapping_applies_the_queue_and_later_items(session, people):
    ws = people
    held = ingest(
        session, ws.id, [item("c1", owner=JANE, count=2), item("c2", owner="JANE@crm.example")], NOW
    )
    session.commit()
    assert statuses(held) == ["held", "held"]
    [line] = held_queue(session, ws.id)
    assert (line.owner_key, line.items, line.total, line.sources) == (JANE, 2, 3, ("crm",))

    mapped = map_owner(session, ws.id, " Jane@CRM.example", REP, by=MANAGER, now=NOW)
    session.commit()
    assert mapped.counts() == {"created": 2}
    assert totals(session, ws) == {"calls": 3}
    assert held_queue(session, ws.id) == []
    later = ingest(session, ws.id, [item("c3", owner=JANE)], NOW)
    assert statuses(later) == ["created"]


def test_a_held_item_is_dated_against_when_it_arrived(session, people):
    ws = people
    ingest(session, ws.id, [item("old", owner=JANE, at=NOW - timedelta(days=13))], NOW)
    session.commit()
    # Mapped 5 days later: 18 days after it happened, but it was in time when it came.
    mapped = map_owner(session, ws.id, JANE, REP, by=MANAGER, now=NOW + timedelta(days=5))
    assert mapped.counts() == {"created": 1}


def test_a_held_item_replayed_writes_nothing_and_a_deletion_removes_it(session, people, engine):
    ws = people
    ingest(session, ws.id, [item("c1", owner=JANE)], NOW)
    session.commit()
    first = ingest_queries.held_for_owner(session, ws.id, JANE)[0]
    again = ingest(session, ws.id, [item("c1", owner=JANE)], NOW + timedelta(hours=1))
    session.commit()
    assert statuses(again) == ["held"]
    [row] = ingest_queries.held_for_owner(session, ws.id, JANE)
    assert (row.id, row.received_at) == (first.id, first.received_at)
    gone = ingest(session, ws.id, [item("c1", deleted=True)], NOW)
    session.commit()
    assert statuses(gone) == ["voided"]
    assert held_queue(session, ws.id) == []


def test_a_held_update_replaces_the_held_item(session, people):
    ws = people
    ingest(session, ws.id, [item("c1", owner=JANE, count=1)], NOW)
    ingest(session, ws.id, [item("c1", owner=JANE, count=7)], NOW)
    session.commit()
    assert held_queue(session, ws.id)[0].total == 7
    map_owner(session, ws.id, JANE, REP, by=MANAGER, now=NOW)
    assert totals(session, ws) == {"calls": 7}


@pytest.mark.parametrize(
    ("owner", "user", "says"),
    [
        ("", REP, "name the owner"),
        (JANE, MANAGER, "not a rep"),
        (JANE, "U0NOBODY", "not a rep"),
        (REP, REP, "Slack user on a team already"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_and_changes_nothing(
    session, people, owner, user, says
):
    ws = people
    ingest(session, ws.id, [item("c1", owner=JANE)], NOW)
    session.commit()
    with pytest.raises(MappingRefused, match=says):
        map_owner(session, ws.id, owner, user, by=MANAGER, now=NOW)
    session.rollback()
    assert held_queue(session, ws.id)[0].items == 1
    assert ingest_queries.list_aliases(session, ws.id) == []


def test_rejected_on_apply_leaves_the_queue_with_a_reason(session, people):
    ws = people
    ingest(session, ws.id, [item("c1", owner=JANE, kpi="deals")], NOW)  # an AE's KPI
    mapped = map_owner(session, ws.id, JANE, REP, by=MANAGER, now=NOW)
    assert statuses(mapped.results) == ["rejected"]
    assert "scorecard" in mapped.results[0].reason
    assert held_queue(session, ws.id) == []
