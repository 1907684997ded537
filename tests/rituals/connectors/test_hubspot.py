"""rituals/connectors/hubspot.py: the v3 signature checked with HubSpot's own example values,
its 5-minute window, and webhook events turned into the activity they mean."""

from datetime import UTC, datetime, timedelta

import pytest

from rituals.connectors.hubspot import (
    Change,
    SignatureRefused,
    decode_uri,
    read_events,
    signature_v3,
    to_activity,
    verify_v3,
)
from rituals.process.sources import EVERY_ROLE, SourceMapping

# HubSpot's documented example values: the client secret, URL and method of its "Validating
# requests" page, and the body, timestamp and v3 signature of its own Python SDK's signature test
# (HubSpot/hubspot-api-python, tests/spec/utils/test_signature.py).
SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
BODY = "{'example_field':'example_value'}"
URL = "https://www.example.com/webhook_uri"
TIMESTAMP = "15000000"
SIGNED = "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="
AT_TIMESTAMP = datetime.fromtimestamp(15000, UTC)


def test_hubspots_documented_example_signs_as_documented():
    assert signature_v3(SECRET, "POST", URL, BODY, TIMESTAMP) == SIGNED
    assert signature_v3(SECRET, "post", URL, BODY.encode(), TIMESTAMP) == SIGNED


def test_the_documented_example_verifies_within_five_minutes():
    verify_v3(SECRET, "POST", URL, BODY.encode(), TIMESTAMP, SIGNED, AT_TIMESTAMP)
    verify_v3(
        SECRET,
        "POST",
        URL,
        BODY.encode(),
        TIMESTAMP,
        SIGNED,
        AT_TIMESTAMP + timedelta(minutes=4, seconds=59),
    )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"now": AT_TIMESTAMP + timedelta(minutes=5, seconds=1)}, "more than 5 minutes old"),
        ({"now": AT_TIMESTAMP - timedelta(minutes=6)}, "ahead"),
        ({"body": BODY.replace("value", "valuE").encode()}, "does not match"),
        ({"secret": "zzzzzzzz-yyyy-yyyy-yyyy-yyyyyyyyyyyy"}, "does not match"),
        ({"uri": URL + "?x=1"}, "does not match"),
        ({"method": "PUT"}, "does not match"),
        ({"signature": None}, "missing"),
        ({"timestamp": None}, "missing"),
        ({"timestamp": "yesterday"}, "milliseconds"),
        ({"secret": ""}, "HUBSPOT_CLIENT_SECRET"),
    ],
)
def test_anything_else_is_refused_with_why(change, why):
    args = {
        "secret": SECRET,
        "method": "POST",
        "uri": URL,
        "body": BODY.encode(),
        "timestamp": TIMESTAMP,
        "signature": SIGNED,
        "now": AT_TIMESTAMP,
    }
    args.update(change)
    with pytest.raises(SignatureRefused, match=why):
        verify_v3(**args)


def test_the_uri_is_signed_with_hubspots_listed_characters_decoded():
    assert (
        decode_uri("https://x.io/hook?owner=a%40b.com%2Cc%3A1")
        == "https://x.io/hook?owner=a@b.com,c:1"
    )
    encoded = signature_v3(SECRET, "POST", "https://x.io/h?a=%40%3A", BODY, TIMESTAMP)
    assert encoded == signature_v3(SECRET, "POST", "https://x.io/h?a=@:", BODY, TIMESTAMP)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


T0 = datetime(2026, 12, 1, 19, 2, tzinfo=UTC)


def test_events_give_the_newest_news_per_object_and_say_what_they_skip():
    events = [
        {
            "subscriptionType": "object.creation",
            "objectTypeId": "0-48",
            "objectId": 11,
            "occurredAt": ms(T0),
            "portalId": 62515,
        },
        {
            "subscriptionType": "object.propertyChange",
            "objectTypeId": "0-48",
            "objectId": 11,
            "occurredAt": ms(T0 + timedelta(minutes=1)),
        },
        {
            "subscriptionType": "object.deletion",
            "objectTypeId": "0-47",
            "objectId": 7,
            "occurredAt": ms(T0),
        },
        {
            "subscriptionType": "object.creation",
            "objectTypeId": "0-47",
            "objectId": 7,
            "occurredAt": ms(T0 - timedelta(minutes=1)),
        },
        {
            "subscriptionType": "deal.propertyChange",
            "objectId": 5,
            "propertyName": "dealstage",
            "propertyValue": "closedwon",
            "occurredAt": ms(T0),
        },
        {"subscriptionType": "contact.creation", "objectId": 1, "occurredAt": ms(T0)},
        {"subscriptionType": "object.creation", "objectTypeId": "0-48", "occurredAt": ms(T0)},
        "junk",
    ]
    changes, skipped = read_events(events)
    by_id = {c.external_id: c for c in changes}
    assert set(by_id) == {"call:11", "meeting:7", "deal:5"}
    assert (
        by_id["call:11"].occurred_at == T0 + timedelta(minutes=1) and not by_id["call:11"].deleted
    )
    assert by_id["meeting:7"].deleted  # deleted after it was created, whatever the order
    assert [s.index for s in skipped] == [5, 6, 7]
    assert "not a call, meeting or deal" in skipped[0].reason
    with pytest.raises(ValueError):
        read_events("nope")


MAPPING = SourceMapping(
    "hubspot",
    {
        "calls": {EVERY_ROLE: "calls"},
        "meetings": {"sdr": "meetings_scheduled", "ae": "meetings_held"},
        "deals_won": {EVERY_ROLE: "deals"},
    },
)
ROLES = {"sam@acme.com": "sdr", "alex@acme.com": "ae"}


def activity(kind, properties, deleted=False):
    change = Change(kind, "9", 62515, T0, deleted)
    return to_activity(
        change,
        properties,
        MAPPING,
        lambda oid: {"1": "sam@acme.com", "2": "alex@acme.com"}.get(oid, f"hubspot-owner:{oid}"),
        ROLES.get,
    )


def test_objects_become_activity_on_the_kpi_for_the_owners_role():
    call = activity("call", {"hubspot_owner_id": "1", "hs_timestamp": "2026-12-01T14:02:00.000Z"})
    assert (call.external_id, call.owner, call.kpi) == ("call:9", "sam@acme.com", "calls")
    assert call.occurred_at == datetime(2026, 12, 1, 14, 2, tzinfo=UTC)
    assert activity("meeting", {"hubspot_owner_id": "1"}).kpi == "meetings_scheduled"
    held = activity("meeting", {"hubspot_owner_id": "2", "hs_meeting_start_time": "1764597600000"})
    assert held.kpi == "meetings_held" and held.occurred_at == datetime(
        2025, 12, 1, 14, 0, tzinfo=UTC
    )
    won = activity(
        "deal",
        {"hubspot_owner_id": "2", "hs_is_closed_won": "true", "closedate": "2026-12-01T20:00:00Z"},
    )
    assert won.kpi == "deals" and not won.deleted


def test_what_no_longer_counts_is_deleted_and_what_cant_count_says_why():
    assert activity("call", None).deleted  # HubSpot no longer has it
    assert activity("call", {}, deleted=True).deleted
    assert activity("meeting", {"hubspot_owner_id": "1", "hs_meeting_outcome": "CANCELED"}).deleted
    lost = activity("deal", {"hubspot_owner_id": "2", "hs_is_closed_won": "false"})
    assert lost.deleted and lost.reason == "deal not closed won"
    nobody = activity("call", {"hs_timestamp": "2026-12-01T14:02:00Z"})
    assert nobody.kpi is None and "no owner" in nobody.reason
    # Owner not matched: no role yet, so it goes to be held under its record type.
    unknown = activity("meeting", {"hubspot_owner_id": "3"})
    assert (unknown.owner, unknown.kpi, unknown.deleted) == (
        "hubspot-owner:3",
        "hubspot:meetings",
        False,
    )
