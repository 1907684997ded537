"""The HTTP API under /api/v1, a WSGI application that `pacer serve` mounts beside
/slack/events (bot/server.py). Every request: route, bearer token (401), scope (403), rate
(429), size (413), then the endpoint in one unit of work; a POST with an Idempotency-Key
answers a retry with the first answer, kept in the same transaction as the writes."""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from api import routes
from api.http import ApiProblem, Request, Response, problem_response, send
from api.openapi import document
from api.ratelimit import RateLimiter, SharedRateLimiter
from rituals.api_access import authenticate
from storage import api_queries
from storage.api_models import IdempotentResponse
from storage.unit_of_work import DatabaseUnavailable, unit_of_work

log = logging.getLogger("pacer")

PREFIX = "/api/v1"
MAX_BODY = 4 * 1024 * 1024  # 1,000 items of the longest fields fit with room to spare
IDEMPOTENCY_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # under /api/v1, with {name} parts
    handler: Callable[[Request, routes.Context], Response]
    scope: str | None  # None: no bearer token (the document; hooks that check a signature)

    @property
    def pattern(self) -> re.Pattern:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path) + "$")


ROUTES = [
    Route("POST", "/activities", routes.post_activities, "activities:write"),
    Route("GET", "/activities", routes.get_activities, "activities:read"),
    Route("GET", "/scorecards/{user_id}", routes.get_scorecard, "scorecards:read"),
    Route("GET", "/teams/{team}/leaderboard", routes.get_leaderboard, "scorecards:read"),
]


class KeptMeanwhile(Exception):
    """A concurrent request with the same Idempotency-Key stored its answer first."""


class Api:
    def __init__(
        self,
        engine,
        clock: Callable[[], datetime],
        *,
        rate: float = 20.0,
        limiter: RateLimiter | None = None,
        max_body: int = MAX_BODY,
        extra_routes: list[Route] = (),
    ):
        self.engine, self.clock, self.max_body = engine, clock, max_body
        self.limiter = limiter or SharedRateLimiter(rate)
        self.routes = [(r, r.pattern) for r in [*ROUTES, *extra_routes]]

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        try:
            response = self._answer(method, path, environ)
        except ApiProblem as problem:
            response = problem_response(problem)
        except DatabaseUnavailable:
            response = problem_response(
                ApiProblem(
                    503, "the database is unavailable; try again", headers=[("Retry-After", "1")]
                )
            )
        except Exception:  # a bug: logged with its traceback, answered as a problem, not HTML
            log.exception("request path=%s failed", path)
            response = problem_response(
                ApiProblem(500, "something went wrong on Pacer's side; nothing was stored")
            )
        log.info(
            "request path=%s outcome=http_%s duration_ms=%.1f",
            path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return send(response, start_response)

    def _answer(self, method: str, path: str, environ) -> Response:
        sub = path[len(PREFIX) :]
        if sub == "/openapi.json" and method in ("GET", "HEAD"):
            return Response(200, document())
        route, params = self._route(method, sub)
        request = Request(method, path, environ, params)
        if route.scope is None:
            request.body = self._body(environ)
            with unit_of_work(self.engine) as session:
                return route.handler(request, routes.Context(session, None, self.clock()))
        token = self._bearer(environ)
        # Who, whether they may, and their rate: one short transaction, apart from the work.
        with unit_of_work(self.engine) as session:
            caller = authenticate(session, token)
            if caller is None:
                raise ApiProblem(
                    401,
                    "this token is unknown or revoked",
                    headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')],
                )
            if route.scope not in caller.scopes:
                raise ApiProblem(
                    403,
                    f"this token lacks the scope {route.scope} (it has: {', '.join(sorted(caller.scopes))})",
                    headers=[
                        (
                            "WWW-Authenticate",
                            f'Bearer error="insufficient_scope" scope="{route.scope}"',
                        )
                    ],
                )
            wait = self.limiter.take(caller.token_id, session)
        if wait is not None:
            raise ApiProblem(
                429,
                f"more than {self.limiter.rate:g} requests per second with this token; retry later",
                headers=[("Retry-After", RateLimiter.retry_after(wait))],
            )
        if method == "POST":
            request.body = self._body(environ)
        key = request.header("Idempotency-Key") if method == "POST" else None
        if key is not None and not 1 <= len(key) <= 255:
            raise ApiProblem(400, "Idempotency-Key is 1 to 255 characters", field="Idempotency-Key")
        now = self.clock()
        if key is None:
            with unit_of_work(self.engine) as session:
                return route.handler(request, routes.Context(session, caller, now))
        return self._idempotent(route, request, caller, key, now)

    def _idempotent(self, route, request, caller, key, now) -> Response:
        digest = hashlib.sha256(
            f"{request.method} {request.path}\n".encode() + request.body
        ).hexdigest()
        since = now - IDEMPOTENCY_WINDOW
        for _ in range(2):
            try:
                with unit_of_work(self.engine) as session:
                    kept = api_queries.kept_response(session, caller.token_id, key, since)
                    if kept is not None:
                        return self._replay(kept, digest)
                    response = route.handler(request, routes.Context(session, caller, now))
                    row = IdempotentResponse(
                        token_id=caller.token_id,
                        key=key,
                        request_hash=digest,
                        status=response.status,
                        body=response.encoded().decode(),
                        created_at=now,
                    )
                    if not api_queries.keep_response(session, row, since):
                        raise KeptMeanwhile  # undoes this request's writes with the transaction
                    return response
            except KeptMeanwhile:
                continue
        raise ApiProblem(409, "a request with this Idempotency-Key is in progress; retry")

    @staticmethod
    def _replay(kept: IdempotentResponse, digest: str) -> Response:
        if kept.request_hash != digest:
            raise ApiProblem(
                422,
                "this Idempotency-Key was used with a different request in the last 24 hours",
                field="Idempotency-Key",
            )
        return Response(kept.status, kept.body.encode(), [("Idempotent-Replayed", "true")])

    def _route(self, method: str, sub: str):
        allowed = []
        for route, pattern in self.routes:
            found = pattern.match(sub)
            if found:
                if route.method == method:
                    return route, found.groupdict()
                allowed.append(route.method)
        if allowed:
            raise ApiProblem(
                405,
                f"{method} is not allowed here; use {' or '.join(allowed)}",
                headers=[("Allow", ", ".join(allowed))],
            )
        raise ApiProblem(404, f"no endpoint at {PREFIX}{sub}; see {PREFIX}/openapi.json")

    @staticmethod
    def _bearer(environ) -> str:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiProblem(
                401,
                "send a token: Authorization: Bearer <token> (create one with `pacer api token create`)",
                headers=[("WWW-Authenticate", "Bearer")],
            )
        return token.strip()

    def _body(self, environ) -> bytes:
        length = environ.get("CONTENT_LENGTH") or ""
        if length and not length.isdigit():
            raise ApiProblem(400, "Content-Length is not a number")
        if length and int(length) > self.max_body:
            raise ApiProblem(
                413, f"the body is over {self.max_body} bytes; send fewer items per request"
            )
        stream = environ["wsgi.input"]
        body = stream.read(int(length)) if length else stream.read(self.max_body + 1)
        if len(body) > self.max_body:
            raise ApiProblem(
                413, f"the body is over {self.max_body} bytes; send fewer items per request"
            )
        return body


def is_api(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


__all__ = ["ROUTES", "Api", "Route", "is_api"]
