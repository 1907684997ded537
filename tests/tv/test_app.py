"""The TV's WSGI app in-process (tv/app.py), time injected: the token opens one team's board,
anything else is refused; the board is built once per change; a poll while nothing changed
costs one lookup of its link and nothing else; a revoked link is refused at once by every
process (two apps on one database stand for two workers or replicas)."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from bench import data
from bench.tv import add_log, poll
from rituals import tv
from rituals.process import default_process
from storage import people_queries
from storage.unit_of_work import unit_of_work
from tv.app import TvApp

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def team(tmp_path):
    with data.sqlite_engine(str(tmp_path / "tv.db")) as engine:
        ws, team_id = data.add_team(engine)
        roles = data.rep_roles(3)
        data.add_reps(engine, ws, team_id, roles)
        rows = data.log_rows(default_process(), ws, team_id, roles, NOW.date(), 3)
        data.insert_rows(engine, rows)
        with unit_of_work(engine) as session:
            token = tv.new_link(session, people_queries.get_team(session, team_id), "UM", NOW)
        queries = []
        event.listen(engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
        yield engine, ws, team_id, token, queries


def call(app, path, method="GET", etag=None):
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, dict(headers)

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"], body


def test_only_the_token_opens_the_board(team):
    engine, _, _, token, _ = team
    app = TvApp(engine, clock=lambda: NOW)
    assert call(app, f"/tv/{token}")[0] == "200 OK"
    assert call(app, f"/tv/{token}/data")[0] == "200 OK"
    # The last character changed to one it cannot already be (1 in 64 tokens ends in "x").
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")
    assert call(app, f"/tv/{wrong}/data")[0] == "403 Forbidden"
    assert call(app, "/tv/")[0] == "403 Forbidden"
    assert call(app, f"/tv/{token}/other")[0] == "404 Not Found"
    assert call(app, f"/tv/{token}/data", method="POST")[0] == "405 Method Not Allowed"
    status, headers, _ = call(app, f"/tv/{token}")
    assert (
        headers["Referrer-Policy"] == "no-referrer"
        and "default-src 'none'" in (headers["Content-Security-Policy"])
    )


def test_built_once_per_change_and_free_while_nothing_changed(team):
    engine, ws, team_id, token, queries = team
    clock = Clock()
    app = TvApp(engine, clock=lambda: NOW, ttl=1.0, monotonic=clock)
    status, etag = poll(app, token, None)
    assert status == "200 OK" and app.builds == 1
    board = json.loads(call(app, f"/tv/{token}/data")[2])
    assert board["names"] is True and len(board["week"]) == 3

    queries.clear()
    for _ in range(50):  # many TVs within the ttl: each poll looks up its link, nothing else
        assert poll(app, token, etag) == ("304 Not Modified", etag)
    assert len(queries) == 50 and all("FROM tv_link" in q for q in queries), set(queries)
    assert all("WHERE tv_link.token_hash" in q for q in queries)

    queries.clear()
    clock.t += 1.5  # past the ttl, nothing changed: the link and the marker are read, no build
    assert poll(app, token, etag) == ("304 Not Modified", etag)
    assert "FROM tv_link" in queries[0] and 2 <= len(queries) <= 4 and app.builds == 1

    add_log(engine, ws, team_id)
    assert poll(app, token, etag) == ("304 Not Modified", etag)  # still within the ttl
    clock.t += 1.5
    status, new = poll(app, token, etag)
    assert status == "200 OK" and new != etag and app.builds == 2


def test_a_revoked_link_is_refused_at_once_by_every_process(team):
    engine, _, team_id, token, _ = team
    clock = Clock()  # never moves: nothing may wait for a cache to expire
    workers = [TvApp(engine, clock=lambda: NOW, ttl=1.0, monotonic=clock) for _ in range(2)]
    for app in workers:
        status, etag = poll(app, token, None)
        assert status == "200 OK" and poll(app, token, etag)[0] == "304 Not Modified"
        assert call(app, f"/tv/{token}")[0] == "200 OK"
    with unit_of_work(engine) as session:
        assert tv.revoke(session, team_id)
    for app in workers:
        assert poll(app, token, etag)[0] == "403 Forbidden"
        assert poll(app, token, None)[0] == "403 Forbidden"
        assert call(app, f"/tv/{token}")[0] == "403 Forbidden"
    with unit_of_work(engine) as session:  # a new link works at once, the old stays dead
        new = tv.new_link(session, people_queries.get_team(session, team_id), "UM", NOW)
    for app in workers:
        assert poll(app, new, None)[0] == "200 OK"
        assert poll(app, token, None)[0] == "403 Forbidden"


def test_the_database_down_answers_503_and_the_page_keeps_trying(team, tmp_path):
    engine, _, _, token, _ = team
    app = TvApp(engine, clock=lambda: NOW)
    assert poll(app, token, None)[0] == "200 OK"
    engine.dispose()
    (tmp_path / "tv.db").rename(tmp_path / "gone")
    (tmp_path / "tv.db").mkdir()  # a database that can't be opened
    status, headers, body = call(app, f"/tv/{token}/data")
    assert status == "503 Service Unavailable" and b"moment" in body


def test_the_token_is_stored_hashed(team):
    engine, _, team_id, token, _ = team
    with unit_of_work(engine) as session:
        link = tv.link_for(session, token)
        assert link is not None and link.team_id == team_id
        assert token not in link.token_hash and link.token_hash == tv.hash_token(token)
        assert len(token) >= 32  # 192 random bits
