"""Acknowledgement time of `/log` over real HTTP: `pacer serve` (a subprocess on an SQLite file,
and one on PostgreSQL when a URL is given) against a bare Bolt app that only acks, served by the
same server class with the same options.

Only 127.0.0.1 is ever contacted: the servers listen locally, and Pacer's Web API calls (the
profile look-ups it makes after the ack) go to simulator.slack_standin.SlackStandin in this process.
"""

import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import data
from bench.bare_app import DEFAULT_SECRET
from bench.common import Budget, Report, median, ms, percentile
from bench.servers import Served, child_env, stop_all
from bot.workers import choose_workers
from simulator.signed_requests import command_body, signed_headers
from simulator.slack_standin import SlackStandin

ROOT = Path(__file__).resolve().parents[1]
SECRET = DEFAULT_SECRET
TOKEN = "xoxb-bench-token"
ADMIN = "UADMIN0001"
TEAM = "TBENCH0001"
# Tuesday 24 Nov 2026, 11:00 in New York (the e2e tests' clock): calls' week goal is 300.
CLOCK = "2026-11-24T11:00:00-05:00"
THREADS = 16  # `pacer serve`'s default --threads; the bare app gets the same
SEQ_REP = "USDR00000"
LEVELS = (10, 50)  # concurrent clients
# After a Pacer round: its after-ack work (Home refreshes wait 1 s for more logs) is CPU of it.
AFTER_ACK_WAIT = 1.5
# The rep's calls this week in /scorecard's reply: its fallback text ("Calls / Emails 12/300"),
# else its blocks ("*Calls / Emails* · leading\n12 of 300").
CALLS_IN_TEXT = re.compile(r"Calls / Emails ([\d,]+)/")
CALLS_IN_BLOCKS = re.compile(r"\*Calls / Emails\*[^\n]*\n([\d,]+) of")
# Pacer's request log line: the CPU its thread spent before acknowledging (bot/listeners.py)
CPU_BEFORE_ACK = re.compile(r"command=/log .*cpu_ms=([\d.]+)")


def _workers(n: int) -> str:
    return f"{n} worker" + ("" if n == 1 else "s")


def rep(i: int) -> str:
    return f"USDR{i:05d}"


def calls_in(reply: dict) -> int | None:
    texts = [reply.get("text", "")] + [
        b["text"]["text"] for b in reply.get("blocks", []) if isinstance(b.get("text"), dict)
    ]
    for pattern in (CALLS_IN_TEXT, CALLS_IN_BLOCKS):
        for text in texts:
            if found := pattern.search(text):
                return int(found.group(1).replace(",", ""))
    return None


class Request:
    __slots__ = ("body", "headers", "user")

    def __init__(self, user: str, command: str, text: str, response_url: str):
        self.user = user
        body = command_body(command, text, user, team_id=TEAM, response_url=response_url)
        self.body = body.encode()
        self.headers = signed_headers(SECRET, body)  # signed now: use within 5 minutes


def send(conn: http.client.HTTPConnection, req: Request) -> tuple[int, bytes, float]:
    began = time.perf_counter()
    conn.request("POST", "/slack/events", body=req.body, headers=req.headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data, time.perf_counter() - began


def connect(server: Served) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.connect()
    return conn


class Pacer:
    """One `pacer serve` on one database, and what it acknowledged. ``workers``: its processes,
    the count `pacer serve` chooses for that database (bot/workers.py), also given to the bare
    app it is compared with."""

    def __init__(self, label: str, served: Served, workers: int):
        self.label, self.served, self.workers = label, served, workers
        self.sent: Counter[str] = Counter()  # /log requests per rep
        self.acked: Counter[str] = Counter()  # ... answered 200 "Logged"


class Rig:
    """The servers, the Slack stand-in and the team, started once and shared by the two ack
    benchmarks of a run."""

    def __init__(self, postgres: str | None = None):
        self.postgres = postgres
        self.folder = Path(tempfile.mkdtemp(prefix="pacer-bench-ack-"))
        self.exits = ExitStack()  # the PostgreSQL schema, dropped after the servers stop
        self.standin = SlackStandin().start()
        self.pacers = [self._pacer("SQLite", f"sqlite:///{self.folder / 'pacer.db'}")]
        self.schema = ""
        if postgres:
            engine, self.schema = self.exits.enter_context(data.pg_schema_engine(postgres, "ack"))
            engine.dispose()
            url = make_url(postgres).update_query_dict({"options": f"-csearch_path={self.schema}"})
            self.pacers.append(self._pacer("PostgreSQL", url.render_as_string(hide_password=False)))
        # A bare app per worker count, so each Pacer is compared under its own server settings.
        self.bares = {w: self._bare(w) for w in sorted({p.workers for p in self.pacers})}
        for pacer in self.pacers:
            pacer.bare = self.bares[pacer.workers]
        self.bare = self.pacers[0].bare

    def _bare(self, workers: int) -> Served:
        return Served(
            f"bare Bolt app ({_workers(workers)})",
            [sys.executable, "-m", "bench.bare_app", "--port", "{port}"]
            + ["--workers", str(workers), "--threads", str(THREADS)],
            child_env(ROOT, dict(SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=self.standin.url)),
            ROOT,
            self.folder / f"bare-app-{workers}.log",
        )

    def _pacer(self, label: str, database_url: str) -> Pacer:
        backend = make_url(database_url).get_backend_name()
        workers, _why = choose_workers(None, os.environ, backend)  # as `pacer serve` would
        name = "pacer-serve-" + backend
        served = Served(
            "pacer serve",
            [sys.executable, "-m", "cli.main", "serve", "--port", "{port}"]
            + ["--workers", str(workers), "--threads", str(THREADS), "--host", "127.0.0.1"],
            child_env(
                ROOT,
                dict(
                    SLACK_BOT_TOKEN=TOKEN,
                    SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=self.standin.url,
                    DATABASE_URL=database_url,
                    PACER_ADMINS=ADMIN,
                    PACER_CLOCK=CLOCK,
                ),
            ),
            self.folder,
            self.folder / f"{name}.log",
        )
        return Pacer(label, served, workers)

    @property
    def servers(self) -> list[Served]:
        return [p.served for p in self.pacers] + list(self.bares.values())

    def start(self, n_reps: int) -> None:
        for server in self.servers:
            server.start()
        for pacer in self.pacers:
            conn = connect(pacer.served)
            for i in range(n_reps + 1):
                status, body, _ = send(conn, self.req(ADMIN, "/pacer", f"team add <@{rep(i)}> sdr"))
                if status != 200 or b"added" not in body.lower():
                    raise RuntimeError(f"team add {rep(i)} failed: {status} {body[:300]!r}")
            # Warm-up: every rep logs once (caches their profile via the stand-in), and both
            # servers see some traffic before anything is timed.
            for i in range(n_reps + 1):
                self.log_ok(conn, pacer, rep(i))
            conn.close()
        for served in self.bares.values():
            bare = connect(served)
            for _ in range(30):
                status, body, _ = send(bare, self.req(rep(1), "/log", "call 1"))
                if status != 200 or b"ok" not in body:
                    raise RuntimeError(f"bare app failed: {status} {body[:300]!r} {served.tail()}")
            bare.close()
        self.settle()

    def settle(self, timeout: float = 5.0) -> None:
        """Let the after-ack profile look-ups finish before timing."""
        deadline, seen = time.monotonic() + timeout, -1
        while time.monotonic() < deadline:
            now = len(self.standin.calls_to("users.info"))
            if now == seen:
                return
            seen = now
            time.sleep(0.3)

    def req(self, user: str, command: str, text: str) -> Request:
        # Each command its own response_url, as Slack gives (Pacer answers /log's there)
        return Request(user, command, text, self.standin.new_response_url())

    def log_ok(self, conn, pacer: Pacer, user: str) -> None:
        status, body, _ = send(conn, self.req(user, "/log", "call 1"))
        pacer.sent[user] += 1
        if status != 200 or b"Logged" not in body:
            raise RuntimeError(f"/log for {user} failed: {status} {body[:300]!r}")
        pacer.acked[user] += 1

    def counted(self, pacer: Pacer, user: str) -> int | None:
        """The rep's calls this week, as /scorecard reports them."""
        conn = connect(pacer.served)
        try:
            status, body, _ = send(conn, self.req(user, "/scorecard", ""))
        finally:
            conn.close()
        return calls_in(json.loads(body)) if status == 200 else None

    def miscounted(self, pacer: Pacer, users: list[str]) -> list[str]:
        """Reps whose /scorecard misses an acknowledged log (or counts more than was sent)."""
        wrong = []
        for user in users:
            got = self.counted(pacer, user)
            if got is None or not pacer.acked[user] <= got <= pacer.sent[user]:
                wrong.append(f"{user}: {got}, acked {pacer.acked[user]}")
        return wrong

    def stop(self) -> None:
        try:
            stop_all(self.servers)
            self.standin.stop()
        finally:
            self.exits.close()
            shutil.rmtree(self.folder, ignore_errors=True)


def sequential(server: Served, requests: list[Request], check: bytes):
    """One keep-alive connection, one request after another. Returns (latencies, acknowledged,
    connections used)."""
    conn = connect(server)
    latencies, acked, sockets = [], 0, {id(conn.sock)}
    for req in requests:
        status, body, took = send(conn, req)
        latencies.append(took)
        acked += status == 200 and check in body
        if conn.sock is not None:
            sockets.add(id(conn.sock))
    conn.close()
    return latencies, acked, len(sockets)


def concurrent(server: Served, per_client: list[list[Request]], check: bytes, seen: list[str]):
    """One thread and one keep-alive connection per client, all released together. Returns
    (latencies, acknowledged per user, errors, wall seconds); the first error goes to `seen`."""
    latencies: list[float] = []
    acked: Counter[str] = Counter()
    errors = [0]
    lock = threading.Lock()
    gate = threading.Barrier(len(per_client) + 1)

    def client(requests: list[Request]) -> None:
        conn = connect(server)
        mine, bad, ok = [], 0, Counter()
        gate.wait()
        for req in requests:
            try:
                status, body, took = send(conn, req)
            except (OSError, http.client.HTTPException) as error:
                bad += 1
                seen.append(f"{type(error).__name__}: {error}")
                conn.close()
                continue
            mine.append(took)
            if status == 200 and check in body:
                ok[req.user] += 1
            else:
                bad += 1
                seen.append(f"{status} {body[:160].decode(errors='replace')}")
        conn.close()
        with lock:
            latencies.extend(mine)
            acked.update(ok)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(r,), daemon=True) for r in per_client]
    for t in threads:
        t.start()
    gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join(120)
    return latencies, acked, errors[0], time.perf_counter() - began


def log_offset(server: Served) -> int:
    try:
        return server.log_path.stat().st_size
    except OSError:
        return 0


def cpu_before_ack(server: Served, since: int) -> list[float]:
    """Pacer's cpu_ms per /log (its request log lines) written after offset ``since``."""
    try:
        with open(server.log_path, "rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
    except OSError:
        return []
    return [float(m.group(1)) for m in CPU_BEFORE_ACK.finditer(text)]


def cpu_seconds(server: Served) -> float:
    """User + system CPU of the server's processes (gunicorn's master and workers: its process
    group), from /proc; 0 where /proc is missing."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[2]) == server.group:  # fields[2]: pgrp; [11], [12]: utime, stime
            total += int(fields[11]) + int(fields[12])
    return total / tick


_RIG: Rig | None = None


def rig(postgres: str | None) -> Rig:
    """The running rig, started on first use (again if the PostgreSQL URL changed)."""
    global _RIG
    if _RIG is not None and _RIG.postgres != postgres:
        close()
    if _RIG is None:
        _RIG = Rig(postgres)
        try:
            _RIG.start(max(LEVELS))
        except BaseException:
            close()
            raise
    return _RIG


def running() -> Rig | None:
    return _RIG


def close() -> None:
    global _RIG
    if _RIG is not None:
        try:
            _RIG.stop()
        finally:
            _RIG = None


def _skipped_postgres(report: Report, postgres: str | None) -> None:
    if not postgres:
        report.note("PostgreSQL: skipped (no --postgres URL and TEST_DATABASE_URL unset)")


def bench_sequential(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    budget = Budget(55)
    r = rig(postgres)
    started = ", ".join(f"pacer serve ({p.label}) {p.served.started_in:.1f} s" for p in r.pacers)
    report.note(
        f"servers up in: {started}, bare app {r.bare.started_in:.1f} s; gunicorn gthread, "
        + ", ".join(f"{p.label} {_workers(p.workers)}" for p in r.pacers)
        + f" (`pacer serve`'s default, the bare app alike), {THREADS} threads each; "
        "SQLite file with synchronous=FULL"
    )
    n = 20 if quick else 200
    bare_reqs = [r.req(SEQ_REP, "/log", "call 1") for _ in range(n)]
    blat, backed, bconns = sequential(r.bare, bare_reqs, b"ok")
    report.add(
        "bare Bolt ack (same server)",
        n,
        ms(median(blat)),
        ms(max(blat)) + " (worst)",
        "",
        "",
        "reference" if backed == n else f"{n - backed} errors",
    )
    for pacer in r.pacers:
        reqs = [r.req(SEQ_REP, "/log", "call 1") for _ in range(n)]
        lat, acked, conns = sequential(pacer.served, reqs, b"Logged")
        pacer.sent[SEQ_REP] += n
        pacer.acked[SEQ_REP] += acked
        name = f"Pacer ({pacer.label})"
        report.add(
            f"{name} /log ack (1 keep-alive conn)",
            n,
            ms(median(lat)),
            ms(max(lat)) + " (worst)",
            "",
            "worst < 3 s (Slack)",
            report.timing(max(lat) < 3.0),
        )
        report.add(
            f"{name} / bare, sequential",
            n,
            "",
            "",
            f"{median(lat) / median(blat):.1f}× p50, {max(lat) / max(blat):.1f}× worst",
            "(info)",
            "info",
        )
        report.add(f"{name} p99 (sequential)", n, "", ms(percentile(lat, 99)), "", "", "info")
        report.check(
            f"{name}: every /log answered 'Logged'", acked == n, n, f"{n} acks", f"{acked}"
        )
        if conns != 1 or bconns != 1:
            report.note(f"connections used: {name} {conns}, bare {bconns} (keep-alive broke)")
        r.settle(2)
        got = r.counted(pacer, SEQ_REP)
        report.check(
            f"{name}: /scorecard counts every ack ({n} timed + 1 warm-up)",
            got == pacer.acked[SEQ_REP],
            n,
            f"{pacer.acked[SEQ_REP]} calls",
            str(got),
        )
    _skipped_postgres(report, postgres)
    if budget.left() < 0:
        report.note("took longer than its 55 s budget")


def bench_concurrent(report: Report, quick: bool, postgres: str | None = None, **_) -> None:
    budget = Budget(58 + 30 * bool(postgres))
    r = rig(postgres)
    per_round = 2 if quick else 10
    rounds = 1 if quick else 2
    bare_of = {p.label: f"bare ({_workers(p.workers)})" for p in r.pacers}
    servers = {bare_of[p.label]: p.bare for p in r.pacers} | {p.label: p.served for p in r.pacers}
    pacers = {p.label: p for p in r.pacers}
    # The servers already ran the sequential benchmark (if it ran): all are equally warm.
    clients_of: set[str] = set()
    for level in LEVELS:
        samples: dict[str, list[float]] = {k: [] for k in servers}
        errs: Counter[str] = Counter()
        walls: Counter[str] = Counter()
        cpu: Counter[str] = Counter()  # server CPU seconds, the after-ack work included
        before_ack: dict[str, list[float]] = {k: [] for k in servers}  # Pacer's cpu_ms lines
        seen: dict[str, list[str]] = {k: [] for k in servers}  # the errors' answers
        for rnd in range(rounds):
            # Alternate the order, so drifting load hits every server alike.
            order = list(servers) if rnd % 2 == 0 else list(servers)[::-1]
            for which in order:
                if budget.left() < 3:
                    report.note(f"time budget reached: {level} clients stopped after round {rnd}")
                    break
                users = [rep(c + 1) for c in range(level)]
                per_client = [[r.req(u, "/log", "call 1") for _ in range(per_round)] for u in users]
                cpu_before, offset = cpu_seconds(servers[which]), log_offset(servers[which])
                lat, acked, bad, wall = concurrent(
                    servers[which], per_client, b"Logged" if which in pacers else b"ok", seen[which]
                )
                if which in pacers:
                    time.sleep(AFTER_ACK_WAIT)  # the debounced Home refreshes run, and count
                cpu[which] += cpu_seconds(servers[which]) - cpu_before
                if which in pacers:
                    before_ack[which] += cpu_before_ack(servers[which], offset)
                samples[which] += lat
                errs[which] += bad
                walls[which] += wall
                if which in pacers:
                    pacers[which].sent.update({u: per_round for u in users})
                    pacers[which].acked.update(acked)
                    clients_of.update(users)
        for which, lat in samples.items():
            if not lat:
                continue
            name = f"Pacer ({which}) /log" if which in pacers else f"{which} Bolt ack"
            report.add(
                f"{name} @ {level} clients",
                len(lat),
                ms(median(lat)),
                ms(percentile(lat, 99)),
                "",
                "",
                f"{len(lat) / walls[which]:.0f} req/s, CPU {cpu[which] * 1000 / len(lat):.1f} ms/req"
                + (
                    f" ({median(before_ack[which]):.1f} before the ack)"
                    if before_ack.get(which)
                    else ""
                )
                + (f", {errs[which]} errors" if errs[which] else ""),
            )
        for which, answers in seen.items():
            if answers:
                report.note(f"{which} @ {level} clients, first error: {answers[0]}")
        for label in pacers:
            p, b = samples[label], samples[bare_of[label]]
            if not p or not b:
                continue
            r50, r99 = median(p) / median(b), percentile(p, 99) / percentile(b, 99)
            report.add(
                f"Pacer ({label}) / bare @ {level} clients",
                len(p),
                f"{r50:.1f}×",
                f"{r99:.1f}×",
                f"p50 {r50:.1f}×, p99 {r99:.1f}×",
                "≤ 1.5× (p50 and p99)",
                report.timing(r50 <= 1.5 and r99 <= 1.5),
            )
    # Every acknowledged log must be counted (each client logs as its own rep).
    r.settle(2)
    for pacer in r.pacers:
        users = sorted(clients_of)
        wrong = r.miscounted(pacer, users)
        report.check(
            f"Pacer ({pacer.label}): /scorecard counts every ack ({len(users)} reps)",
            bool(users) and not wrong,
            sum(pacer.acked[u] for u in users),
            "all counted",
            "; ".join(wrong[:3]),
        )
    report.note(
        f"{per_round * rounds} requests per client per server, in {rounds} round(s) alternating "
        "the servers; latency = request sent → full response read, measured in the client "
        "threads (the clients share the 2 cores with the servers); CPU = user + system time of "
        "the server's processes (/proc) over its rounds, after-ack work included, per request; "
        "'before the ack' = the median of Pacer's cpu_ms log field (the request thread's CPU "
        "from the HTTP edge to the ack: signature, parse, the transaction); the bare app does "
        "nothing after its ack, so all its CPU is before it"
    )
    _skipped_postgres(report, postgres)
