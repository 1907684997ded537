"""HTTP mode: a WSGI application (POST /slack/events, GET /healthz) served by gunicorn."""

import gc
import logging
import os
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime

from gunicorn.app.base import BaseApplication
from slack_bolt.adapter.wsgi import SlackRequestHandler

from api.app import Api, is_api
from api.hooks import hubspot_route
from bot import edge
from bot.app import build_app
from bot.identity import identify_at_start
from bot.listeners import request_started
from bot.oauth.setup import make_oauth, token_source
from bot.ritual_deliveries import DELIVERIES
from bot.services import Services, make_client
from bot.settings import Settings, parse_instant
from bot.workers import DEFAULT_THREADS, choose_workers
from bot.workers import warnings as worker_warnings
from storage.db import connections_per_process, make_engine, max_connections, ping
from storage.migrate import upgrade
from storage.tv_queries import link_reader_connections
from tv.app import PREFIX as TV_PREFIX
from tv.app import TvApp

log = logging.getLogger("pacer")
OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")


def make_services(settings: Settings) -> Services:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    oauth = make_oauth(settings, engine)  # None: single workspace (SLACK_BOT_TOKEN)
    return Services(
        settings=settings,
        engine=engine,
        client=make_client(settings),
        clock=clock_for(settings),
        deliveries=DELIVERIES,
        home_refresh_delay=settings.home_refresh_delay,
        quiet_wait=settings.after_ack_wait,
        # Whose token each workspace's calls use: SLACK_BOT_TOKEN for all (single workspace), or
        # each installation's (OAuth, bot/oauth).
        tokens=token_source(settings, engine, oauth),
        installations=oauth.installations if oauth else None,
        oauth=oauth,
    )


def clock_for(settings: Settings):
    if settings.clock:
        fixed = parse_instant(settings.clock)  # fail at start, not on the first request
        return lambda: fixed
    return lambda: datetime.now(UTC)


def make_wsgi(services: Services):
    # bot/edge.py verifies every POST before Bolt sees it (only Slack's unsigned ssl_check
    # passes, which Bolt's first middleware answers): one verification, not two.
    bolt = SlackRequestHandler(build_app(services, verified_at_edge=True), path="/slack/events")
    verifier = edge.RawBodyVerifier(services.settings.signing_secret or "unset")
    # The HTTP API (api/): bearer tokens, not Slack signatures; requests per second per token.
    api = Api(
        services.engine,
        services.clock,
        rate=api_rate(os.environ),
        extra_routes=[hubspot_route(os.environ)],  # signed by HubSpot, not by a token
    )
    tv = TvApp(services.engine, services.clock)  # the sales-floor TV: tv/app.py

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            return healthz(services, start_response)
        if oauth_page(services, environ, path):
            # "Add to Slack" and Slack's redirect back: GETs a browser sends, never signed by
            # Slack; Bolt's OAuthFlow checks its own state (bot/oauth/flow.py).
            return bolt(environ, start_response)
        if path == "/slack/events":
            # Counted, so that work after the ack waits for a quiet moment (bot/after_ack.py)
            services.in_flight.enter()
            request_started()
            try:
                return _at_the_edge(verifier, bolt, environ, start_response)
            finally:
                services.in_flight.leave()
        if is_api(path):
            return api(environ, start_response)
        if path.startswith(TV_PREFIX):
            return tv(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found. Slack sends requests to POST /slack/events.\n"]

    return application


def oauth_page(services: Services, environ, path: str) -> bool:
    return (
        services.oauth is not None
        and path in (OAUTH_PATHS)
        and environ.get("REQUEST_METHOD", "GET") == "GET"
    )


def api_rate(env) -> float:
    """PACER_API_RATE: requests per second per token (default 20)."""
    text = env.get("PACER_API_RATE", "20")
    try:
        rate = float(text)
    except ValueError:
        rate = 0
    if rate <= 0:
        raise ValueError(f"PACER_API_RATE is requests per second per token, e.g. 20; got {text!r}")
    return rate


def _at_the_edge(verifier, bolt, environ, start_response):
    """Signature first, then the body's shape (bot/edge.py), then Bolt: a refused request
    answers 401/400/413 with one log line and never reaches a listener."""
    if environ.get("REQUEST_METHOD", "POST") != "POST":
        return _log_refusals(bolt, environ, start_response)  # Bolt answers GETs (404)
    started = time.perf_counter()
    refused = edge.check(verifier, environ)
    if refused is None:
        return _log_refusals(bolt, environ, start_response)
    log.info(
        "request path=/slack/events outcome=http_%s duration_ms=%.1f reason=%s",
        refused.status.split()[0],
        (time.perf_counter() - started) * 1000,
        refused.reason,
    )
    start_response(refused.status, [("Content-Type", "text/plain")])
    return [refused.status.split(" ", 1)[1].encode() + b"\n"]


def _log_refusals(bolt, environ, start_response):
    """Commands log their own line; a request Bolt turns away (bad signature, stale timestamp)
    gets one here, so every request leaves exactly one line."""
    started = time.perf_counter()

    def recording_start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            log.info(
                "request path=/slack/events outcome=http_%s duration_ms=%.1f",
                status.split()[0],
                (time.perf_counter() - started) * 1000,
            )
        return start_response(status, headers, exc_info)

    return bolt(environ, recording_start_response)


def healthz(services: Services, start_response):
    try:
        ping(services.engine)
    except Exception as error:  # report, don't crash: the load balancer just needs a 503
        log.warning("healthz: database not ready: %s", type(error).__name__)
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"database not ready\n"]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


class PacerServer(BaseApplication):
    """gunicorn, configured in code: threads serve concurrent requests in one process, so a
    request never waits on another's database commit or Slack call."""

    def __init__(self, application, options: dict):
        self.application, self.options = application, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(
    settings: Settings,
    port: int,
    threads: int = DEFAULT_THREADS,
    host: str = "0.0.0.0",
    workers: int | None = None,
    with_clock: bool = False,
) -> None:
    """``workers`` None: $WEB_CONCURRENCY, else one per usable CPU (bot/workers.py)."""
    # In OAuth mode SLACK_BOT_TOKEN stands for SLACK_CLIENT_SECRET and PACER_SECRET_KEY.
    settings.require("pacer serve", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    services = make_services(settings)
    if not settings.oauth:
        identify_at_start(services.identity, services.modal_client)  # the workers inherit it
    database = services.engine.dialect.name
    workers, why = choose_workers(workers, os.environ, database)
    for warning in connection_warnings(services.engine, workers, with_clock):
        log.warning("pacer serve: %s", warning)
    services.engine.dispose()  # the worker is forked: it must open its own connections
    log.info(
        "pacer serve: listening on port %s: %s worker%s × %s threads (workers: %s; database: %s)",
        port,
        workers,
        "" if workers == 1 else "s",
        threads,
        why,
        database,
    )
    options = server_options(host, port, threads, workers)
    if with_clock:
        # One clock for the whole server: it runs in gunicorn's master process, which forks the
        # workers but serves no requests itself.
        options["when_ready"] = lambda _server: start_background_clock(services)
    application = make_wsgi(services)
    # Everything loaded so far lives as long as the server: moved out of the collector's reach,
    # a full collection no longer walks it (one took ~250 ms under a 1,000-item API batch,
    # bench/ingest.py), and forked workers share those pages instead of copying them.
    gc.collect()
    gc.freeze()
    PacerServer(application, options).run()


def connection_warnings(engine, workers: int, with_clock: bool = False) -> list[str]:
    """What `pacer serve` warns about the PostgreSQL connections its processes may open: each
    worker's (worker_connections), and with --with-clock the clock's in gunicorn's master (an
    engine like the workers', its own pool)."""
    master = connections_per_process(engine) if with_clock else 0
    limit = max_connections(engine)
    return list(worker_warnings(workers, worker_connections(engine), limit, master))


def worker_connections(engine) -> int:
    """The most database connections one worker opens: its engine's pool, plus the TV's link
    lookups' own small pool (storage/tv_queries.py link_reader, PostgreSQL only)."""
    return connections_per_process(engine) + link_reader_connections(engine)


def start_background_clock(services: Services) -> None:
    """The clock in gunicorn's master: its own engine, whose pooled connections a forked worker
    drops without closing (a child must never touch its parent's database connections)."""
    # Deferred on purpose: only `pacer serve --with-clock` needs the scheduler.
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.delivery.clock import Clock

    engine = make_engine(services.settings.database_url)
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    # A fork (gunicorn's master starting or replacing a worker) waits for the clock's running
    # job, and no job starts during one: a thread inside SQLite at the moment of a fork leaves
    # the child its mutexes locked, and the worker hangs on its first query.
    guard = threading.Lock()
    os.register_at_fork(before=guard.acquire, after_in_parent=guard.release)
    os.register_at_fork(after_in_child=guard.release)
    Clock(
        replace(services, engine=engine),
        BackgroundScheduler(timezone=UTC),
        in_server=True,
        fork_guard=guard,
    ).start()


def server_options(host: str, port: int, threads: int, workers: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,  # Python runs one thread at a time: a process per core adds CPU
        # (bot/workers.py chooses how many)
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,  # our own one-line-per-request log replaces it
        "errorlog": "-",
        "loglevel": "warning",
    }
