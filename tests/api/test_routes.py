"""POST and GET /api/v1/activities in-process: statuses, problems (RFC 9457) naming the field,
413, 429 with Retry-After, Idempotency-Key, tokens and scopes."""

from datetime import timedelta

import pytest

from api.app import Api
from api.ratelimit import RateLimiter
from api.schemas import ActivityPage, IngestOut, Problem
from rituals.api_access import revoke_token
from storage import log_queries
from storage.api_models import IdempotentResponse
from storage.unit_of_work import unit_of_work
from tests.api.conftest import Client, make_token
from tests.rituals.ingest.support import EMAIL, NOW, REP, totals

CALL = {
    "source": "hubspot",
    "external_id": "call-1",
    "occurred_at": "2026-11-24T10:00:00-05:00",
    "owner": REP,
    "kpi": "calls",
    "count": 2,
}


def post(client, token, *items, headers=None):
    return client.call("POST", "/api/v1/activities", {"activities": list(items)}, token, headers)


def test_upsert_over_the_api(client, token, session, people):
    first = post(client, token, CALL, {**CALL, "external_id": "call-2", "owner": EMAIL})
    assert first.status == 200
    IngestOut.model_validate(first.json)  # the answer is what the document says
    assert [r["status"] for r in first.json["results"]] == ["created", "created"]
    again = post(
        client,
        token,
        CALL,
        {**CALL, "count": 5},
        {**CALL, "external_id": "call-2", "deleted": True},
    )
    assert [r["status"] for r in again.json["results"]] == ["unchanged", "updated", "voided"]
    assert totals(session, people) == {"calls": 5}


def test_a_bad_item_is_rejected_naming_its_field_and_the_rest_go_on(client, token, session, people):
    answer = post(
        client, token, {**CALL, "occurred_at": "2026-11-24T10:00:00"}, {**CALL, "external_id": "ok"}
    )
    assert answer.status == 200
    bad, good = answer.json["results"]
    assert (bad["status"], good["status"]) == ("rejected", "created")
    assert bad["reason"].startswith("activities[0].occurred_at")
    assert bad["external_id"] == "call-1"
    assert totals(session, people) == {"calls": 2}


def test_a_deletion_needs_only_its_key(client, token):
    post(client, token, CALL)
    gone = post(client, token, {"source": "hubspot", "external_id": "call-1", "deleted": True})
    assert gone.json["results"][0]["status"] == "voided"


@pytest.mark.parametrize(
    ("raw", "status", "field"),
    [
        (b"{not json", 400, None),
        (b'{"items": []}', 422, "activities"),
        (b'{"activities": []}', 422, "activities"),
        (b'{"activities": [], "extra": 1}', 422, "extra"),
    ],
)
def test_a_malformed_body_is_a_problem_naming_the_field(
    client, token, raw, status, field, session, people
):
    answer = client.call("POST", "/api/v1/activities", token=token, raw=raw)
    assert answer.status == status
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = Problem.model_validate(answer.json)
    assert problem.status == status and problem.field == field
    assert log_queries.count_logs(session, people.id) == 0


def test_over_1000_items_or_the_byte_limit_is_413(client, token, session, people):
    many = [{**CALL, "external_id": f"c{i}"} for i in range(1001)]
    answer = post(client, token, *many)
    assert (answer.status, answer.json["field"]) == (413, "activities")
    huge = client.call("POST", "/api/v1/activities", token=token, raw=b" " * (5 * 1024 * 1024))
    assert huge.status == 413
    assert log_queries.count_logs(session, people.id) == 0


def test_tokens_401_403_and_revoked(client, engine, people, token):
    assert client.call("GET", "/api/v1/activities").status == 401
    assert client.call("GET", "/api/v1/activities", token="pacer_nope").status == 401
    reader = make_token(engine, people, "reader", "activities:read")
    denied = post(client, reader, CALL)
    assert denied.status == 403 and "activities:write" in denied.json["detail"]
    assert client.call("GET", "/api/v1/activities", token=reader).status == 200
    with unit_of_work(engine) as s:
        revoke_token(s, people.id, "reader", "cli", NOW)
    assert client.call("GET", "/api/v1/activities", token=reader).status == 401


def test_429_past_the_rate_per_token_with_retry_after(client, engine, people, token, ticks):
    other = make_token(engine, people, "other")
    statuses = [client.call("GET", "/api/v1/activities", token=token).status for _ in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    limited = client.call("GET", "/api/v1/activities", token=token)
    assert limited.headers["Retry-After"] == "1"
    assert client.call("GET", "/api/v1/activities", token=other).status == 200  # per token
    ticks.t += 0.1  # two requests' worth of refill at 20/s
    assert client.call("GET", "/api/v1/activities", token=token).status == 200


def test_idempotency_key_returns_the_first_answer(client, token, session, people):
    key = {"Idempotency-Key": "batch-7"}
    first = post(client, token, CALL, headers=key)
    assert first.json["results"][0]["status"] == "created"
    retry = post(client, token, CALL, headers=key)
    assert retry.json == first.json and retry.headers.get("Idempotent-Replayed") == "true"
    other = post(client, token, {**CALL, "count": 9}, headers=key)
    assert (other.status, other.json["field"]) == (422, "Idempotency-Key")
    assert totals(session, people) == {"calls": 2}


def test_reading_pages_with_a_cursor(client, token):
    post(client, token, *[{**CALL, "external_id": f"c{i}"} for i in range(5)])
    seen, cursor = [], ""
    while True:
        page = client.call(
            "GET", f"/api/v1/activities?limit=2&owner={EMAIL}&cursor={cursor}", token=token
        )
        assert page.status == 200
        ActivityPage.model_validate(page.json)
        seen += [a["external_id"] for a in page.json["activities"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"c{i}" for i in range(5)]
    first = client.call("GET", "/api/v1/activities?limit=1", token=token).json["activities"][0]
    assert first["created_at"].endswith("+00:00") and first["occurred_on"] == "2026-11-24"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=yesterday", "from"),
        ("limit=0", "limit"),
        ("limit=x", "limit"),
        ("cursor=zzz", "cursor"),
        ("from=2026-11-24&to=2026-11-01", "to"),
        ("include_voided=maybe", "include_voided"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(client, token, query, field):
    answer = client.call("GET", f"/api/v1/activities?{query}", token=token)
    assert (answer.status, answer.json["field"]) == (400, field)


def test_unknown_paths_and_methods(client, token):
    assert client.call("GET", "/api/v1/nothing", token=token).status == 404
    wrong = client.call("DELETE", "/api/v1/activities", token=token)
    assert wrong.status == 405 and "GET" in wrong.headers["Allow"]


def test_an_item_that_is_not_a_deletion_needs_its_fields(client, token):
    partial = {"source": "hubspot", "external_id": "call-9", "count": 1}
    answer = post(client, token, partial, {**CALL, "external_id": "ok"})
    bad, good = answer.json["results"]
    assert bad["status"] == "rejected" and good["status"] == "created"
    assert bad["reason"] == "activities[0]: occurred_at, owner, kpi required unless deleted is true"


def test_an_idempotency_key_is_kept_24_hours(engine, people, token, session):
    now = [NOW]
    client = Client(Api(engine, lambda: now[0], limiter=RateLimiter(1000)))
    key = {"Idempotency-Key": "k"}
    post(client, token, CALL, headers=key)
    now[0] = NOW + timedelta(hours=23)
    assert post(client, token, CALL, headers=key).headers.get("Idempotent-Replayed") == "true"
    now[0] = NOW + timedelta(hours=25)  # expired: the request runs again (and is unchanged)
    again = post(client, token, CALL, headers=key)
    assert "Idempotent-Replayed" not in again.headers
    assert again.json["results"][0]["status"] == "unchanged"
    assert len(session.exec(IdempotentResponse.__table__.select()).all()) == 1
