"""The TV's WSGI app, mounted by `pacer serve` under /tv/: the page (one self-contained HTML
file, tv/page.html) and its data endpoint, which the page polls with If-None-Match.

Cost per poll: the link is looked up on every request (one query on a unique index), so once
`/pacer tv revoke` has answered, the old link gets 403 from every worker of every replica; a
per-process cache could only say "stops within a second". The board stays cached: a team's
change marker (storage.tv_queries.change_marker) is read at most once per ``ttl`` seconds per
process, whatever the number of TVs; the board is built again only when the marker moved (or
the minute turned: pace and time left move with the clock), once, while concurrent polls wait
for it. An unchanged poll inside the ttl costs that one lookup and nothing else."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from importlib import resources

from rituals import tv
from storage.unit_of_work import DatabaseUnavailable, unit_of_work

log = logging.getLogger("pacer")

PREFIX = "/tv/"
TTL = 1.0  # seconds a team's change marker is trusted without asking again
_PAGE = resources.files("tv").joinpath("page.html").read_bytes()
_SECURITY = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),  # the token is in the path: never pass it on
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
    ),
]


class TvApp:
    def __init__(
        self,
        engine,
        clock: Callable[[], datetime],
        ttl: float = TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.engine, self.clock, self.ttl, self.monotonic = engine, clock, ttl, monotonic
        self.reader = tv.link_reader(engine)  # the per-request link lookup's: lean
        self._markers: dict[int, tuple[float, tuple]] = {}  # team -> (read at, marker)
        self._boards: dict[int, tuple[tuple, bytes, str]] = {}  # team -> (key, body, etag)
        self._locks: dict[int, threading.Lock] = {}
        self._lock = threading.Lock()
        self.builds = 0  # boards built: the bench and the tests read it

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        rest = path[len(PREFIX) :].split("/")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", "The TV only reads.\n")
        if len(rest) == 1 or (len(rest) == 2 and rest[1] == ""):
            page = True
        elif len(rest) == 2 and rest[1] == "data":
            page = False
        else:
            return _plain(start_response, "404 Not Found", "No such TV page.\n")
        try:
            return self._answer(environ, start_response, rest[0], page)
        except DatabaseUnavailable:  # the page says "Reconnecting…" and keeps polling
            log.warning("tv: database unavailable")
            return _plain(start_response, "503 Service Unavailable", "Back in a moment.\n")

    def _answer(self, environ, start_response, token: str, page: bool):
        team_id = self.team_of(token)
        if team_id is None:
            return _plain(
                start_response,
                "403 Forbidden",
                "This TV link is not valid (it may have been revoked). A manager gets a new one "
                "with /pacer tv in Slack.\n",
            )
        if page:
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Cache-Control", "no-store"),
                    *_SECURITY,
                ],
            )
            return [_PAGE]
        body, etag = self.data(team_id)
        headers = [("ETag", etag), ("Cache-Control", "no-cache"), *_SECURITY]
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", headers)
            return [b""]
        start_response("200 OK", [("Content-Type", "application/json"), *headers])
        return [body]

    def close(self) -> None:
        """Closes the link lookup's own connections (a bench or a test that is done with it)."""
        if self.reader.pool is not self.engine.pool:
            self.reader.dispose()

    def team_of(self, token: str) -> int | None:
        """Asked on every request, never cached: a revoked link is refused at once everywhere."""
        return tv.team_for(self.reader, token)

    def data(self, team_id: int) -> tuple[bytes, str]:
        """The board's JSON and its ETag, built only when something changed."""
        with self._lock:
            lock = self._locks.setdefault(team_id, threading.Lock())
        now = self.clock()
        minute = int(now.timestamp() // 60)
        fresh = self._fresh(team_id, minute)
        if fresh is not None:
            return fresh
        built = self._boards.get(team_id)
        # One refresh per team at a time. Meanwhile the other polls get the board they would
        # have got a moment ago, rather than waiting; only the very first build is waited for.
        if not lock.acquire(blocking=built is None):
            return built[1], built[2]  # type: ignore[index]
        try:
            fresh = self._fresh(team_id, minute)
            if fresh is not None:
                return fresh
            built = self._boards.get(team_id)
            with unit_of_work(self.engine) as session:
                ctx = tv.context(session, team_id, now)
                if ctx is None:
                    return b"{}", '"gone"'
                self._markers[team_id] = (self.monotonic(), ctx.marker)
                key = (ctx.marker, minute)
                if built is not None and built[0] == key:
                    return built[1], built[2]
                board = tv.board(session, ctx, now)
            body = json.dumps(board, separators=(",", ":"), ensure_ascii=False).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            self._boards[team_id] = (key, body, etag)
            self.builds += 1
            return body, etag
        finally:
            lock.release()

    def _fresh(self, team_id: int, minute: int) -> tuple[bytes, str] | None:
        """The board built for the marker read within the ttl, this minute; None: ask."""
        seen, built = self._markers.get(team_id), self._boards.get(team_id)
        if seen is None or built is None or self.monotonic() - seen[0] >= self.ttl:
            return None
        return (built[1], built[2]) if built[0] == (seen[1], minute) else None


def _plain(start_response, status: str, text: str):
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), *_SECURITY])
    return [text.encode()]
