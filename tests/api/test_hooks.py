"""api/hooks.py in-process: the URI a signature is checked against (PACER_PUBLIC_URL, else the
Host header with a proxy's X-Forwarded-Proto), and the answers a delivery gets."""

import json
from datetime import timedelta

from api.app import Api
from api.hooks import hubspot_route
from rituals.connectors.hubspot import signature_v3
from rituals.process import default_process, load_process_dict
from rituals.teams import store_process
from simulator.hubspot_standin import HubSpotStandin
from tests.api.conftest import Client
from tests.rituals.ingest.support import NOW  # the rep there has HubSpot owner 1's email

SECRET = "client-secret"
MS = str(int(NOW.timestamp() * 1000))
EVENTS = [
    {
        "subscriptionType": "object.creation",
        "objectTypeId": "0-48",
        "objectId": 5,
        "occurredAt": int(MS),
    }
]


def client(engine, hubspot, **env) -> Client:
    env = {
        "HUBSPOT_CLIENT_SECRET": SECRET,
        "HUBSPOT_API_URL": hubspot.url,
        "HUBSPOT_ACCESS_TOKEN": hubspot.token,
    } | env
    return Client(Api(engine, lambda: NOW, extra_routes=[hubspot_route(env)]))


def signed(uri: str, body: bytes, at: str = MS) -> dict:
    return {
        "X-HubSpot-Signature-v3": signature_v3(SECRET, "POST", uri, body, at),
        "X-HubSpot-Request-Timestamp": at,
    }


def test_signed_for_the_host_it_was_called_at_or_the_public_url(engine, session, people, team):
    data = default_process().to_dict() | {"sources": {"hubspot": {"calls": "calls"}}}
    store_process(session, load_process_dict(data), team=team, loaded_by="t", change="s", now=NOW)
    session.commit()
    body = json.dumps(EVENTS).encode()
    with HubSpotStandin() as hubspot:
        hubspot.add("calls", 5, hubspot_owner_id=1, hs_timestamp="2026-11-24T14:02:00Z")
        hubspot.add_owner(1, "rep@acme.example")
        behind = client(engine, hubspot)
        headers = signed("https://pacer.example.org/api/v1/hooks/hubspot", body)
        headers |= {"Host": "pacer.example.org", "X-Forwarded-Proto": "https"}
        answer = behind.call("POST", "/api/v1/hooks/hubspot", raw=body, headers=headers)
        assert answer.status == 200, answer.json
        assert answer.json["results"] == [{"external_id": "call:5", "status": "created"}]
        public = client(engine, hubspot, PACER_PUBLIC_URL="https://hooks.example.org/")
        headers = signed("https://hooks.example.org/api/v1/hooks/hubspot", body)
        assert (
            public.call("POST", "/api/v1/hooks/hubspot", raw=body, headers=headers).json["results"][
                0
            ]["status"]
            == "unchanged"
        )
        old = str(int((NOW - timedelta(minutes=6)).timestamp() * 1000))
        stale = public.call(
            "POST",
            "/api/v1/hooks/hubspot",
            raw=body,
            headers=signed("https://hooks.example.org/api/v1/hooks/hubspot", body, old),
        )
        assert stale.status == 401 and stale.headers["Content-Type"] == "application/problem+json"
        junk = b"not json"
        bad = public.call(
            "POST",
            "/api/v1/hooks/hubspot",
            raw=junk,
            headers=signed("https://hooks.example.org/api/v1/hooks/hubspot", junk),
        )
        assert bad.status == 400 and "not JSON" in bad.json["detail"]
        assert public.call("GET", "/api/v1/hooks/hubspot").status == 405
