"""simulator/hubspot_standin.py: batch reads and owners as HubSpot answers them, the token
checked, failures on demand."""

import json
import urllib.error
import urllib.request

import pytest

from simulator.hubspot_standin import HubSpotStandin


def call(standin, method, path, body=None, token=None):
    request = urllib.request.Request(
        standin.url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {token or standin.token}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_batch_reads_owners_and_refusals():
    with HubSpotStandin() as hubspot:
        hubspot.add("calls", 1, hubspot_owner_id=7, hs_timestamp="2026-11-24T14:02:00Z", other="x")
        hubspot.add_owner(7, "rep@acme.example")
        body = {"properties": ["hubspot_owner_id"], "inputs": [{"id": "1"}, {"id": "2"}]}
        status, found = call(hubspot, "POST", "/crm/v3/objects/calls/batch/read", body)
        assert status == 207 and found["results"] == [
            {"id": "1", "properties": {"hubspot_owner_id": "7"}}
        ]
        assert (
            call(hubspot, "GET", "/crm/v3/owners/7?idProperty=id")[1]["email"] == "rep@acme.example"
        )
        with pytest.raises(urllib.error.HTTPError) as wrong:
            call(hubspot, "GET", "/crm/v3/owners/7", token="nope")
        assert wrong.value.code == 401
        hubspot.fail_next = 1
        with pytest.raises(urllib.error.HTTPError) as failed:
            call(hubspot, "GET", "/crm/v3/owners/7")
        assert failed.value.code == 500 and len(hubspot.calls) == 4
