"""The API in-process (its WSGI callable, no server), on SQLite and PostgreSQL; tokens are made
the way `pacer api token create` makes them."""

import io
import json
from dataclasses import dataclass

import pytest

from api.app import Api
from api.ratelimit import RateLimiter
from rituals.api_access import create_token
from storage.unit_of_work import unit_of_work
from tests.rituals.ingest.support import NOW, add_people
from tests.storage.conftest import database, engine, pg_admin, session, team, ws

__all__ = ["database", "engine", "pg_admin", "session", "team", "ws"]

ALL = "activities:write,activities:read,scorecards:read"


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


class Client:
    def __init__(self, app):
        self.app = app

    def call(self, method, path, body=None, token=None, headers=None, raw: bytes | None = None):
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path.split("?")[0],
            "QUERY_STRING": path.split("?", 1)[1] if "?" in path else "",
            "CONTENT_LENGTH": str(len(payload)) if payload else "",
            "wsgi.input": io.BytesIO(payload),
        }
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

        body_out = b"".join(self.app(environ, start_response))
        return Answer(seen["status"], seen["headers"], body_out)


class FakeTime:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    return ws


@pytest.fixture
def ticks():
    return FakeTime()


@pytest.fixture
def client(engine, people, ticks):
    return Client(Api(engine, lambda: NOW, limiter=RateLimiter(20, clock=ticks)))


def make_token(engine, ws, name="sync", scopes=ALL) -> str:
    with unit_of_work(engine) as s:
        _, token = create_token(s, ws.id, name, scopes, "cli", NOW)
    return token


@pytest.fixture
def token(engine, people):
    return make_token(engine, people)
