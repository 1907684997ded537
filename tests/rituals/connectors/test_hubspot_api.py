"""rituals/connectors/hubspot_api.py against the HubSpot stand-in: objects read in batches of
100, each owner's email asked once an hour, any failure HubSpotUnavailable."""

from datetime import UTC, datetime, timedelta

import pytest

from rituals.connectors.hubspot_api import HubSpotApi, HubSpotUnavailable
from simulator.hubspot_standin import HubSpotStandin

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def test_objects_in_batches_and_owners_cached_for_an_hour():
    with HubSpotStandin() as hubspot:
        for n in range(150):
            hubspot.add("calls", n, hubspot_owner_id=1, hs_timestamp="2026-11-24T14:02:00Z")
        hubspot.add_owner(1, "rep@acme.example")
        api = HubSpotApi(hubspot.url, hubspot.token)
        found = api.read_objects("call", [str(n) for n in range(150)] + ["999"])
        assert len(found) == 150 and found["3"]["hubspot_owner_id"] == "1"
        assert [len(body["inputs"]) for _, _, body in hubspot.calls] == [100, 51]
        assert api.owner_email("1", NOW) == "rep@acme.example"
        assert api.owner_email("1", NOW + timedelta(minutes=59)) == "rep@acme.example"
        assert len(hubspot.calls) == 3  # the second answer came from memory
        api.owner_email("1", NOW + timedelta(hours=1))
        assert len(hubspot.calls) == 4
        assert api.owner_email("404", NOW) is None  # an owner HubSpot doesn't know


def test_failures_are_hubspot_unavailable():
    with HubSpotStandin() as hubspot:
        hubspot.fail_next = 1
        with pytest.raises(HubSpotUnavailable, match="answered 500"):
            HubSpotApi(hubspot.url, hubspot.token).read_objects("deal", ["1"])
        with pytest.raises(HubSpotUnavailable, match="answered 401"):
            HubSpotApi(hubspot.url, "wrong").read_objects("deal", ["1"])
    with pytest.raises(HubSpotUnavailable, match="could not be read"):
        HubSpotApi("http://127.0.0.1:9", "t", timeout=1).read_objects("call", ["1"])
