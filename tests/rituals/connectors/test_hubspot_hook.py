"""rituals/connectors/hubspot_hook.py on a real database with a stand-in for HubSpot's API:
calls, meetings and won deals counted on the KPIs the process maps for the owner's role, a
replay changing nothing, a deletion voiding, an unknown owner held, HubSpot down changing
nothing (so its retry can)."""

from datetime import datetime, timedelta

import pytest

from rituals.connectors.hubspot_api import HubSpotApi, HubSpotUnavailable
from rituals.connectors.hubspot_hook import NotConnected, receive
from rituals.ingest import IngestItem, held_queue, ingest, map_owner
from rituals.process import default_process, load_process_dict
from rituals.teams import store_process
from simulator.hubspot_standin import HubSpotStandin
from storage import ingest_queries, log_queries, people_queries
from tests.rituals.ingest.support import AE, NOW, REP, TODAY, add_people, totals

SOURCES = {
    "hubspot": {
        "portal": 62515,
        "calls": "calls",
        "meetings": {"sdr": "meetings_scheduled", "ae": "meetings_held"},
        "deals_won": "deals",
    }
}


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def event(kind: str, object_id, action="creation", at=NOW - timedelta(minutes=5)) -> dict:
    type_id = {"call": "0-48", "meeting": "0-47", "deal": "0-3"}[kind]
    return {
        "subscriptionType": f"object.{action}",
        "objectTypeId": type_id,
        "objectId": object_id,
        "occurredAt": ms(at),
        "portalId": 62515,
        "eventId": object_id,
        "attemptNumber": 0,
    }


@pytest.fixture
def hubspot():
    with HubSpotStandin() as standin:
        standin.add_owner(1, "Rep@Acme.example")
        standin.add_owner(2, "ae@acme.example")
        yield standin


@pytest.fixture
def connected(session, ws, team):
    add_people(session, ws, team)
    people_queries.save_profile(session, ws.id, AE, "Alex", "America/New_York", NOW)
    ingest_queries.set_email(session, ws.id, AE, "ae@acme.example")
    data = default_process().to_dict()
    data["sources"] = SOURCES
    store_process(
        session, load_process_dict(data), team=team, loaded_by="test", change="sources", now=NOW
    )
    session.commit()
    return ws


def api(standin) -> HubSpotApi:
    return HubSpotApi(standin.url, standin.token)


def statuses(delivery) -> dict[str, str]:
    return {r.external_id: r.status for r in delivery.results}


def test_records_count_on_the_kpi_for_the_owners_role(engine, session, connected, hubspot):
    ws = connected
    at = "2026-11-24T14:02:00Z"  # 09:02 in New York
    hubspot.add("calls", 11, hubspot_owner_id=1, hs_timestamp=at)
    hubspot.add("meetings", 21, hubspot_owner_id=1, hs_meeting_start_time=at)
    hubspot.add("meetings", 22, hubspot_owner_id=2, hs_meeting_start_time=at)
    hubspot.add("deals", 31, hubspot_owner_id=2, hs_is_closed_won="true", closedate=at)
    payload = [event("call", 11), event("meeting", 21), event("meeting", 22), event("deal", 31)]
    delivery = receive(engine, payload, api(hubspot), NOW)
    assert statuses(delivery) == {
        k: "created" for k in ("call:11", "meeting:21", "meeting:22", "deal:31")
    }
    assert totals(session, ws) == {"calls": 1, "meetings_scheduled": 1}
    assert totals(session, ws, AE) == {"meetings_held": 1, "deals": 1}
    rows = log_queries.logs_for(session, ws.id, REP, "calls", TODAY, TODAY)
    assert [(r.source, r.entered_by, r.ext_source, r.external_id) for r in rows] == [
        ("hubspot", "hubspot", "hubspot", "call:11")
    ]
    again = receive(engine, payload, api(hubspot), NOW)  # HubSpot delivers it again
    assert set(statuses(again).values()) == {"unchanged"}
    assert totals(session, ws) == {"calls": 1, "meetings_scheduled": 1}


def test_deleted_cancelled_and_lost_records_void(engine, session, connected, hubspot):
    ws = connected
    at = "2026-11-24T14:02:00Z"
    hubspot.add("calls", 11, hubspot_owner_id=1, hs_timestamp=at)
    hubspot.add("meetings", 21, hubspot_owner_id=1, hs_timestamp=at)
    hubspot.add("deals", 31, hubspot_owner_id=2, hs_is_closed_won="true", closedate=at)
    receive(engine, [event("call", 11), event("meeting", 21), event("deal", 31)], api(hubspot), NOW)
    hubspot.add("meetings", 21, hubspot_owner_id=1, hs_timestamp=at, hs_meeting_outcome="CANCELED")
    hubspot.add("deals", 31, hubspot_owner_id=2, hs_is_closed_won="false", closedate=at)
    later = NOW - timedelta(minutes=1)
    delivery = receive(
        engine,
        [
            event("call", 11, "deletion", later),
            event("meeting", 21, "propertyChange", later),
            event("deal", 31, "propertyChange", later),
        ],
        api(hubspot),
        NOW,
    )
    assert set(statuses(delivery).values()) == {"voided"}
    assert totals(session, ws) == {} and totals(session, ws, AE) == {}


def test_an_unknown_owner_is_held_even_where_the_kpi_depends_on_the_role(
    engine, session, connected, hubspot
):
    """The meeting's KPI depends on the owner's role, unknown until the owner is matched: it is
    held under its record type (nothing is lost), and mapping the owner counts it on the KPI
    of their role: an SDR's meeting is a meeting scheduled."""
    ws = connected
    hubspot.add("calls", 12, hubspot_owner_id=9, hs_timestamp="2026-11-24T14:02:00Z")
    hubspot.add("meetings", 23, hubspot_owner_id=9, hs_timestamp="2026-11-24T14:02:00Z")
    delivery = receive(engine, [event("call", 12), event("meeting", 23)], api(hubspot), NOW)
    assert statuses(delivery) == {"call:12": "held", "meeting:23": "held"}
    assert delivery.not_counted == []
    [owner] = held_queue(session, ws.id)
    assert (owner.owner, owner.items) == ("hubspot-owner:9", 2)
    mapped = map_owner(session, ws.id, "hubspot-owner:9", REP, "UMGR", NOW)
    assert mapped.counts() == {"created": 2}
    assert totals(session, ws) == {"calls": 1, "meetings_scheduled": 1}
    session.commit()
    again = receive(engine, [event("meeting", 23)], api(hubspot), NOW)  # replayed: no change
    assert statuses(again) == {"meeting:23": "unchanged"}


def test_the_role_mapped_kpi_is_hubspots_own(engine, session, connected):
    """No other source may send the placeholder KPI of HubSpot's mapping by role."""
    item = IngestItem("crm", "x1", NOW, REP, "hubspot:meetings", 1)
    [result] = ingest(session, connected.id, [item], NOW, via="api", entered_by="token:t")
    assert result.status == "rejected" and "only its own items" in result.reason


def test_hubspot_down_changes_nothing(engine, session, connected, hubspot):
    hubspot.add("calls", 11, hubspot_owner_id=1, hs_timestamp="2026-11-24T14:02:00Z")
    hubspot.fail_next = 1
    with pytest.raises(HubSpotUnavailable):
        receive(engine, [event("call", 11)], api(hubspot), NOW)
    assert log_queries.count_logs(session, connected.id) == 0
    with pytest.raises(HubSpotUnavailable, match="HUBSPOT_ACCESS_TOKEN"):
        receive(engine, [event("call", 11)], HubSpotApi(hubspot.url, ""), NOW)


def test_an_account_no_process_names_is_refused_with_how_to_connect_it(
    engine, session, ws, team, hubspot
):
    with pytest.raises(NotConnected, match="sources: hubspot:"):
        receive(engine, [event("call", 11)], api(hubspot), NOW)
    with pytest.raises(ValueError):
        receive(engine, "nope", api(hubspot), NOW)
