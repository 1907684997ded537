"""Any order and any repetition of the same events, in any batches, give the same totals; so
does holding some of them until their owner is mapped."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from rituals.ingest import ingest, map_owner
from storage import people_queries
from storage.api_models import HeldActivity, OwnerAlias
from storage.models import ActivityLog
from tests.rituals.ingest.support import MANAGER, NOW, REP, add_people, item, totals

UNMAPPED = "ops@crm.example"

# One event per key: (external_id, kpi, count, days ago, deleted?, through an unmapped owner?)
EVENT = st.tuples(
    st.sampled_from(["calls", "conversations", "meetings_scheduled"]),
    st.integers(1, 50),
    st.integers(0, 10),
    st.booleans(),
    st.booleans(),
)


def _reset(session, ws):
    for model in (ActivityLog, HeldActivity, OwnerAlias):
        session.exec(delete(model).where(model.workspace_id == ws.id))
    session.commit()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(EVENT, min_size=1, max_size=12), data=st.data())
def test_any_order_and_repetition_gives_the_same_totals(session, ws, team, events, data):
    _reset(session, ws)  # the fixtures' tables are emptied once per test, not per example
    if people_queries.get_member(session, ws.id, REP) is None:
        add_people(session, ws, team)
    items = []
    for n, (kpi, count, ago, deleted, unmapped) in enumerate(events):
        at = NOW - timedelta(days=ago)
        owner = UNMAPPED if unmapped else REP
        items.append(item(f"e{n}", owner=owner, kpi=kpi, count=count, at=at))
        if deleted:  # a deletion is the item's last event: it follows the item
            items.append(item(f"e{n}", deleted=True))
    expected: dict[str, int] = {}
    for kpi, count, _ago, deleted, _unmapped in events:
        if not deleted:
            expected[kpi] = expected.get(kpi, 0) + count

    # Creations in any order, repeated at will, in batches of any size; every deletion after
    # its item (a deletion before its item is a different history); the mapping anywhere.
    creates = [i for i in items if not i.deleted]
    deletes = [i for i in items if i.deleted]
    extra = data.draw(st.lists(st.sampled_from(creates), max_size=10))
    order = data.draw(st.permutations(creates + extra))
    stream = list(order) + data.draw(st.permutations(deletes + deletes[:1]))
    map_at = data.draw(st.integers(0, len(stream)))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=4)) + [map_at])
    start = 0
    for cut in [*cuts, len(stream)]:
        if stream[start:cut]:
            ingest(session, ws.id, stream[start:cut], NOW)
            session.commit()
        if cut == map_at and start <= map_at:
            map_owner(session, ws.id, UNMAPPED, REP, by=MANAGER, now=NOW)
            session.commit()
            map_at = -1
        start = max(start, cut)
    assert totals(session, ws) == expected
