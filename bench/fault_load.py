"""Faults under load: the real `pacer serve` (gunicorn, 2 workers) on PostgreSQL, 50 clients
sending mixed traffic (80% /log, 15% /scorecard, 5% /leaderboard and app_home_opened), while a
worker is killed with SIGKILL every minute and PostgreSQL is restarted once. Afterwards every
acknowledged /log must be in the database exactly once.

Each /log carries a trace in its note ("fl-07-00042": client 7, its 42nd log), echoed in the
reply, so acknowledgements are matched to stored rows. A /log that fails (connection reset,
HTTP 5xx, a "database busy" answer) is sent once more, a second later, as the same delivery
(same trigger_id, signed anew) — as Slack redelivers: it must be stored once, not twice.

Quick mode (CI): 20 s of traffic, a worker killed every 8 s, and instead of restarting the
PostgreSQL server (shared with other tests) the app's own connections are terminated with
pg_terminate_backend(), which cuts them as a restart does; `--restart-postgres` restarts it
anyway. Everything runs on 127.0.0.1 (bench/servers.py, the Slack stand-in in this process)."""

import http.client
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench import data, faults
from bench.ack import ADMIN, CLOCK, SECRET, TEAM, THREADS, TOKEN, rep
from bench.common import Budget, Report
from bench.fault_report import SETTLE, Delivery, Sample, Window, tabulate
from bench.servers import Served, child_env, stop_all
from simulator.signed_requests import (
    command_body,
    event_body,
    json_headers,
    new_trigger_id,
    signed_headers,
)
from simulator.slack_standin import SlackStandin
from storage.db import make_engine
from storage.models import ActivityLog

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 50
WORKERS = 2
MIX = (("/log", 0.80), ("/scorecard", 0.15), ("/leaderboard", 0.025), ("home", 0.025))
TIMEOUT = 10.0  # the client gives up on an answer (Slack itself gives up after 3 s)
RETRY_AFTER = 1.0  # a failed /log is delivered again once, this much later
TWICE = b"reached Pacer twice"  # the answer to a delivery already stored


@dataclass(frozen=True)
class Plan:
    seconds: float  # of traffic
    kill_every: float
    first_kill: float
    db_fault_at: float
    restart: bool  # restart the PostgreSQL server (else: terminate the app's connections)

    def events(self) -> list[tuple[float, str]]:
        kills = [(t, "kill") for t in _steps(self.first_kill, self.kill_every, self.seconds)]
        return sorted(kills + [(self.db_fault_at, "database")])


def _steps(first: float, every: float, until: float) -> list[float]:
    n = int((until - first) // every) + 1 if until > first else 0
    return [first + i * every for i in range(n)]


def plan_for(quick: bool, seconds: float | None = None, restart: bool | None = None) -> Plan:
    """10 minutes, a kill every minute, PostgreSQL restarted half-way; quick: 20 s, a kill
    every 8 s, the app's connections terminated. Another length keeps ~10 kills (every 8 s at
    least) and the database fault half-way."""
    plan = Plan(20, 8, 3, 7, False) if quick else Plan(600, 60, 30, 300, True)
    if seconds is not None and seconds != plan.seconds:
        every = min(60.0, max(8.0, seconds / 10))
        plan = replace(
            plan, seconds=seconds, kill_every=every, first_kill=every / 2, db_fault_at=seconds / 2
        )
    return plan if restart is None else replace(plan, restart=restart)


class Client(threading.Thread):
    """One of the 50: a keep-alive connection, logging as its own rep, until `until`."""

    def __init__(self, run: "Run", index: int):
        super().__init__(daemon=True, name=f"fault-load-client-{index}")
        self.run_, self.index, self.user = run, index, rep(index)
        self.rng = random.Random(index)
        self.conn: http.client.HTTPConnection | None = None
        self.samples: list[Sample] = []
        self.deliveries: list[Delivery] = []
        self.last = b""  # the last answer's body

    def run(self) -> None:
        kinds, weights = zip(*MIX, strict=True)
        while time.monotonic() < self.run_.until:
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "/log":
                self.log()
            elif kind == "home":
                self.post("home", *self.run_.home_opened(self.user), self.answered_ok)
            else:
                body = self.run_.command(kind, self.user, "")
                self.post(kind, body.encode(), signed_headers(SECRET, body), self.answered_ok)
        if self.conn is not None:
            self.conn.close()

    def log(self) -> None:
        delivery = Delivery(f"fl-{self.index:02d}-{len(self.deliveries):05d}", new_trigger_id())
        self.deliveries.append(delivery)
        body = self.run_.command("/log", self.user, f'call 1 "{delivery.trace}"', delivery.trigger)
        trace = delivery.trace.encode()
        for attempt in range(2):
            if attempt:
                time.sleep(RETRY_AFTER)
            error = self.post(
                "/log",
                body.encode(),
                signed_headers(SECRET, body),  # signed anew: the same delivery, a new timestamp
                lambda data: _log_answer(data, trace),
            )
            if not error:
                delivery.acked = True
                delivery.answers.append("duplicate" if TWICE in self.last else "ok")
                return
            delivery.answers.append(error)
            if error.startswith("refusal"):  # a mistake is not worth sending again
                return

    def post(self, kind: str, body: bytes, headers: dict, judge) -> str:
        """Send one request; record and return its error ("" when answered as it should be)."""
        began = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.run_.served.port, timeout=TIMEOUT
                )
            self.conn.request("POST", "/slack/events", body=body, headers=headers)
            response = self.conn.getresponse()
            data, status = response.read(), response.status
            self.last = data
            error = f"HTTP {status}" if status != 200 else judge(data)
        except (OSError, http.client.HTTPException) as failure:
            error = _transport_error(failure)
            self.conn.close()
            self.conn = None  # a fresh connection next time
        took = time.monotonic() - began
        self.samples.append(Sample(kind, began - self.run_.began, took, error))
        return error

    @staticmethod
    def answered_ok(data: bytes) -> str:
        return _problem(data) or ""


def _problem(data: bytes) -> str | None:
    """The kind of error a 200 answer carries (Pacer's problem replies start with ⚠️)."""
    if b":warning:" not in data:
        return None
    if b"database is busy" in data:
        return "answer: database busy"
    if b"unexpected error" in data:
        return "answer: unexpected error"
    return "refusal: " + data[data.find(b":warning:") + 10 :][:60].decode(errors="replace")


def _log_answer(data: bytes, trace: bytes) -> str:
    problem = _problem(data)
    if problem:
        return problem
    if b"Logged" not in data or trace not in data:
        return "answer: no 'Logged' with the trace"
    return ""


def _transport_error(failure: BaseException) -> str:
    if isinstance(failure, TimeoutError | socket.timeout):
        return f"timeout (> {TIMEOUT:.0f} s)"
    if isinstance(failure, ConnectionRefusedError):
        return "connection refused"
    reset = ConnectionResetError | BrokenPipeError | http.client.RemoteDisconnected
    if isinstance(failure, reset | http.client.IncompleteRead):
        return "connection reset"
    return type(failure).__name__


class Run:
    """The server, its database schema, the stand-in, and the clients."""

    def __init__(self, postgres: str, schema: str, folder: Path, standin: SlackStandin):
        self.schema, self.standin = schema, standin
        url = make_url(postgres).update_query_dict(
            {"options": f"-csearch_path={schema}", "application_name": schema}
        )
        self.served = Served(
            "pacer serve (fault load)",
            [sys.executable, "-m", "cli.main", "serve", "--port", "{port}", "--host", "127.0.0.1"]
            + ["--workers", str(WORKERS), "--threads", str(THREADS)],
            child_env(
                ROOT,
                dict(
                    SLACK_BOT_TOKEN=TOKEN,
                    SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=standin.url,
                    DATABASE_URL=url.render_as_string(hide_password=False),
                    PACER_ADMINS=ADMIN,
                    PACER_CLOCK=CLOCK,
                ),
            ),
            folder,
            folder / "pacer-serve.log",
        )
        self.began = self.until = 0.0

    def command(self, command: str, user: str, text: str, trigger: str | None = None) -> str:
        return command_body(
            command,
            text,
            user,
            team_id=TEAM,
            # its own, as Slack gives: Pacer answers a /log's standings there (5 uses each)
            response_url=self.standin.new_response_url(),
            trigger_id=trigger,
        )

    def home_opened(self, user: str) -> tuple[bytes, dict]:
        event = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"}
        body = event_body(event, team_id=TEAM)
        return body.encode(), json_headers(SECRET, body)

    def setup(self) -> None:
        """The team (every client's rep, added by the admin), and each kind of request once,
        so a broken setup fails here rather than showing as errors."""
        self.served.start()
        conn = http.client.HTTPConnection("127.0.0.1", self.served.port, timeout=30)
        try:
            for i in range(CLIENTS):
                self._expect(conn, ADMIN, "/pacer", f"team add <@{rep(i)}> sdr", b"added")
                self._expect(conn, rep(i), "/log", "call 1", b"Logged")
            for kind in ("/scorecard", "/leaderboard"):
                self._expect(conn, rep(0), kind, "", b"")
            conn.request("POST", "/slack/events", *self.home_opened(rep(0)))
            response = conn.getresponse()
            if response.status != 200:
                raise RuntimeError(f"app_home_opened: HTTP {response.status} {response.read()!r}")
            response.read()
        finally:
            conn.close()

    def _expect(self, conn, user: str, command: str, text: str, needle: bytes) -> None:
        body = self.command(command, user, text)
        conn.request("POST", "/slack/events", body.encode(), signed_headers(SECRET, body))
        response = conn.getresponse()
        data = response.read()
        if response.status != 200 or _problem(data) or needle.lower() not in data.lower():
            raise RuntimeError(f"{command} {text!r} as {user}: {response.status} {data[:300]!r}")

    def healthy(self) -> bool:
        return self.served._healthy()


def bench_fault_load(
    report: Report,
    quick: bool,
    postgres: str | None = None,
    seconds: float | None = None,
    restart_postgres: bool | None = None,
    **_,
) -> None:
    if not postgres:
        report.add("fault load (PostgreSQL only)", "", "", "", "", "", "skipped")
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")
        return
    plan = plan_for(quick, seconds, restart_postgres)
    budget = Budget(plan.seconds + 120)  # a hard limit: traffic + setup, faults and the count
    folder = Path(tempfile.mkdtemp(prefix="pacer-bench-fault-"))
    standin = SlackStandin().start()
    admin = make_engine(postgres)
    try:
        with data.pg_schema_engine(postgres, "fault") as (engine, schema):
            run = Run(postgres, schema, folder, standin)
            try:
                run.setup()
                clients, events, windows, methods = _drive(run, plan, admin, budget, report)
            finally:
                run.until = 0.0  # the clients stop, should anything above have raised
                stop_all([run.served])
            stored = _stored(engine)
            server_log = run.served.log_path.read_text(errors="replace")
        report.note(
            f"pacer serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads, on a fresh "
            f"PostgreSQL schema; {CLIENTS} clients (a thread and a keep-alive connection each, "
            f"each its own rep), no pause between requests; {plan.seconds:.0f} s of traffic; "
            f"a failed /log is sent again {RETRY_AFTER:.0f} s later"
        )
        tabulate(
            report,
            [kind for kind, _ in MIX],
            [s for c in clients for s in c.samples],
            [d for c in clients for d in c.deliveries],
            stored,
            (plan.kill_every, events, windows),
            server_log,
        )
        report.note(
            "Slack stand-in calls: " + ", ".join(f"{m} {n}" for m, n in methods.most_common(5))
        )
    finally:
        admin.dispose()
        standin.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _drive(run: Run, plan: Plan, admin, budget: Budget, report: Report):
    """The traffic, and the faults on schedule. Returns the clients, what was injected, the
    fault windows and the stand-in's calls per method."""
    methods: Counter[str] = Counter()
    clients = [Client(run, i) for i in range(CLIENTS)]
    run.began = time.monotonic()
    run.until = run.began + plan.seconds
    for client in clients:
        client.start()
    events: list = []
    windows: list[Window] = []
    master = run.served.process.pid
    cluster = faults.local_cluster(str(admin.url)) if plan.restart else None
    if plan.restart and cluster is None:
        report.note("no local PostgreSQL cluster to restart (pg_lsclusters): connections cut")
    trimmed = time.monotonic()
    for at, what in plan.events():
        while time.monotonic() < run.began + at:
            time.sleep(min(0.2, max(0.0, run.began + at - time.monotonic())))
            if time.monotonic() - trimmed > 5:  # the stand-in keeps every call: count, forget
                trimmed = _trim(run.standin, methods)
        now = time.monotonic() - run.began
        if what == "kill":
            kill = faults.kill_worker(master, WORKERS, now)
            events.append(kill)
            end = now + (kill.replaced_in if kill.replaced_in is not None else 15)
            windows.append(Window("kill", now, end + SETTLE))
        elif cluster is not None:
            fault = faults.restart_postgres(cluster, now, run.served.cwd / "pg_ctlcluster.log")
            events.append(fault)
            windows.append(Window("restart", now, now + fault.took + SETTLE))
        else:
            fault = faults.terminate_backends(admin, run.schema, now)
            events.append(fault)
            windows.append(Window("terminate", now, now + fault.took + SETTLE))
    while time.monotonic() < run.until:
        time.sleep(0.2)
        if time.monotonic() - trimmed > 5:
            trimmed = _trim(run.standin, methods)
    for client in clients:
        client.join(max(1.0, min(TIMEOUT * 2 + RETRY_AFTER, budget.left())))
    stuck = [c.name for c in clients if c.is_alive()]
    if stuck:
        report.note(f"{len(stuck)} clients still waiting at the time limit (left behind)")
    _trim(run.standin, methods)
    report.note(f"server healthy after the run: {run.healthy()}")
    return clients, events, windows, methods


def _trim(standin: SlackStandin, methods: Counter) -> float:
    with standin._lock:
        methods.update(c.method for c in standin.calls)
    standin.reset()
    return time.monotonic()


def _stored(engine) -> Counter[str]:
    """How many rows each trace has in activity_log."""
    table = ActivityLog.__table__
    with engine.connect() as conn:
        notes = conn.execute(
            select(table.c.note).where(table.c.note.like("fl-%"), table.c.voided_at.is_(None))
        ).scalars()
        return Counter(notes)
