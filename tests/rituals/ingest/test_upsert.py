"""Ingestion's upsert on (workspace, source, external_id): statuses, dating, owners, and what
is counted, on a real database."""

from datetime import UTC, datetime, timedelta

import pytest

from rituals.ingest import IngestItem, ingest
from storage import log_queries
from storage.models import ActivityLog
from tests.rituals.ingest.support import (
    AE,
    EMAIL,
    MANAGER,
    NOW,
    REP,
    TODAY,
    add_people,
    item,
    totals,
)
from tests.storage.support import Statements


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    return ws


def run(session, ws, items, now=NOW):
    results = ingest(session, ws.id, items, now)
    session.commit()
    return [(r.external_id, r.status) for r in results], results


def test_created_then_unchanged_then_updated_then_voided(session, people):
    ws = people
    assert run(session, ws, [item("c1", count=3)])[0] == [("c1", "created")]
    assert totals(session, ws) == {"calls": 3}
    assert run(session, ws, [item("c1", count=3)])[0] == [("c1", "unchanged")]
    assert run(session, ws, [item("c1", count=5)])[0] == [("c1", "updated")]
    assert totals(session, ws) == {"calls": 5}
    assert run(session, ws, [item("c1", deleted=True)])[0] == [("c1", "voided")]
    assert totals(session, ws) == {}
    assert run(session, ws, [item("c1", deleted=True)])[0] == [("c1", "unchanged")]
    # Sent again after its deletion (restored in the CRM): it counts again, still one row.
    assert run(session, ws, [item("c1", count=5)])[0] == [("c1", "updated")]
    assert totals(session, ws) == {"calls": 5}
    assert log_queries.count_logs(session, ws.id) == 1


def test_the_row_is_a_log_like_any_other(session, people):
    ws = people
    run(session, ws, [item("c1", kpi="dials", count=2)])  # a KPI word, as /log takes
    row = session.exec(ActivityLog.__table__.select()).one()
    assert (row.rep_id, row.kpi, row.count, row.occurred_on) == (REP, "calls", 2, TODAY)
    assert (row.source, row.entered_by, row.ext_source, row.external_id) == (
        "api",
        "api",
        "crm",
        "c1",
    )


def test_the_same_id_from_another_source_is_another_item(session, people):
    ws = people
    out, _ = run(session, ws, [item("x", source="crm"), item("x", source="dialer")])
    assert out == [("x", "created"), ("x", "created")]
    assert totals(session, ws) == {"calls": 2}


def test_a_key_repeated_within_a_batch_is_upserted_in_order(session, people):
    ws = people
    out, _ = run(session, ws, [item("c1", count=1), item("c1", count=1), item("c1", count=4)])
    assert out == [("c1", "created"), ("c1", "unchanged"), ("c1", "updated")]
    assert totals(session, ws) == {"calls": 4}
    assert log_queries.count_logs(session, ws.id) == 1


def test_dated_in_the_reps_time(session, people):
    ws = people
    late = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # 22:30 on Monday the 23rd in New York
    run(session, ws, [item("c1", at=late)])
    row = session.exec(ActivityLog.__table__.select()).one()
    assert row.occurred_on == TODAY - timedelta(days=1)


def test_owner_by_email_in_any_case(session, people):
    ws = people
    out, _ = run(session, ws, [item("c1", owner=EMAIL.upper())])
    assert out == [("c1", "created")]
    assert totals(session, ws) == {"calls": 1}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"kpi": "cartwheels"}, "not a KPI"),
        ({"kpi": "deals"}, "not on U0REP's scorecard"),
        ({"count": 0}, "at least 1"),
        ({"count": 501}, "limit of 500"),
        ({"at": NOW + timedelta(days=1)}, "in the future"),
        ({"at": NOW - timedelta(days=15)}, "backdate limit of 14 days"),
        ({"owner": MANAGER}, "not a rep"),
    ],
)
def test_rejected_with_a_reason_and_nothing_stored(session, people, changes, reason):
    ws = people
    _, results = run(session, ws, [item("bad", **changes), item("good")])
    assert [r.status for r in results] == ["rejected", "created"]  # one bad item blocks nothing
    assert reason in results[0].reason
    assert totals(session, ws) == {"calls": 1}


def test_an_offset_is_required(session, people):
    ws = people
    naive = IngestItem("crm", "c1", datetime(2026, 11, 24, 15, 0), REP, "calls", 1)
    _, results = run(session, ws, [naive])
    assert (results[0].status, "UTC offset" in results[0].reason) == ("rejected", True)


def test_an_unknown_owner_is_held_not_counted(session, people):
    ws = people
    _, results = run(session, ws, [item("c1", owner="jane@elsewhere.example")])
    assert results[0].status == "held"
    assert "jane@elsewhere.example" in results[0].reason
    assert totals(session, ws) == {}


def test_a_manager_void_stands(session, people):
    ws = people
    run(session, ws, [item("c1", count=3)])
    row = session.exec(ActivityLog.__table__.select()).one()
    log_queries.void_log(session, session.get(ActivityLog, row.id), MANAGER, NOW)
    session.commit()
    _, results = run(session, ws, [item("c1", count=3)])
    assert results[0].status == "unchanged" and "kept voided" in results[0].reason
    assert totals(session, ws) == {}


def test_an_owner_change_moves_the_count(session, people):
    ws = people
    run(session, ws, [item("m1", kpi="meetings_scheduled")])
    out, _ = run(session, ws, [item("m1", kpi="meetings_held", owner=AE)])
    assert out == [("m1", "updated")]
    assert totals(session, ws) == {}
    assert totals(session, ws, AE) == {"meetings_held": 1}


def test_statements_do_not_grow_with_the_batch(session, people, engine):
    ws = people

    def statements(n, prefix):
        with Statements(engine) as seen:
            ingest(session, ws.id, [item(f"{prefix}{i}") for i in range(n)], NOW)
        session.commit()
        return len(seen)

    small, large = statements(2, "a"), statements(300, "b")
    assert large == small
    assert totals(session, ws) == {"calls": 302}


def test_a_refusal_names_each_rep_though_worked_out_once(session, people, team):
    ws = people
    from tests.storage.support import add_member

    add_member(session, ws, team, "U0REP2", "sdr")
    _, results = run(session, ws, [item("a", kpi="deals"), item("b", kpi="deals", owner="U0REP2")])
    assert "not on U0REP's scorecard" in results[0].reason
    assert "not on U0REP2's scorecard" in results[1].reason


def test_two_requests_with_the_same_new_keys_at_once_store_each_once(session, people, engine):
    """On PostgreSQL both read "nothing stored" and both insert: the second waits on the unique
    index, fails, and runs again on what is stored now (unchanged). SQLite takes turns."""
    from storage.unit_of_work import unit_of_work
    from tests.storage.support import run_at_once

    ws = people
    batch = [item(f"k{i}", count=1 + i % 3) for i in range(50)]

    def send(_):
        with unit_of_work(engine) as s:
            return [r.status for r in ingest(s, ws.id, batch, NOW)]

    first, second = run_at_once(2, send)
    assert sorted([first[0], second[0]]) == ["created", "unchanged"]
    assert {*first} | {*second} == {"created", "unchanged"}
    assert log_queries.count_logs(session, ws.id) == 50
    assert totals(session, ws) == {"calls": sum(1 + i % 3 for i in range(50))}
