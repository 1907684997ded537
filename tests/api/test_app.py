"""The WSGI application around the endpoints: the order of checks, 503 and 500 as problems."""

from api.app import Api, is_api
from api.ratelimit import RateLimiter
from storage.unit_of_work import DatabaseUnavailable
from tests.api.conftest import Client
from tests.api.test_routes import CALL, post
from tests.rituals.ingest.support import NOW


def test_is_api():
    assert is_api("/api/v1") and is_api("/api/v1/activities")
    assert not is_api("/api/v10") and not is_api("/slack/events")


def test_the_token_is_checked_before_the_body(client):
    # An unauthenticated request is refused before its body is read: no 413, a 401.
    answer = client.call("POST", "/api/v1/activities", raw=b" " * (5 * 1024 * 1024))
    assert answer.status == 401 and answer.headers["WWW-Authenticate"] == "Bearer"


def test_a_database_outage_is_a_503_and_a_bug_a_500(engine, people, token, monkeypatch):
    import api.routes

    client = Client(Api(engine, lambda: NOW, limiter=RateLimiter(100)))

    def down(*_, **__):
        raise DatabaseUnavailable("gone")

    monkeypatch.setattr(api.routes, "ingest", down)
    answer = post(client, token, CALL)
    assert answer.status == 503, answer.json
    assert answer.headers["Retry-After"] == "1"

    def bug(*_, **__):
        raise KeyError("oops")

    monkeypatch.setattr(api.routes, "ingest", bug)
    answer = post(client, token, CALL)
    assert answer.status == 500 and answer.json["title"] == "Internal Server Error"
