"""Acknowledgement time of `/log` over real HTTP: `pacer serve` (a subprocess on an SQLite file)
against a bare Bolt app that only acks, served by the same server class with the same options.

Only 127.0.0.1 is ever contacted: the servers listen locally, and Pacer's Web API calls (the
profile look-ups it makes after the ack) go to simulator.slack_standin.SlackStandin in this process.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.bare_app import DEFAULT_SECRET
from bench.common import Budget, Report, free_port, median, ms, percentile, verdict
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
CALLS_TOTAL = re.compile(r"Calls / Emails ([\d,]+)/")


def rep(i: int) -> str:
    return f"USDR{i:05d}"


class Served:
    """One server subprocess, waited for on GET /healthz."""

    def __init__(self, name: str, argv: list[str], env: dict, cwd: Path, log_path: Path):
        self.name, self.argv, self.env, self.cwd, self.log_path = name, argv, env, cwd, log_path
        self.port = free_port()
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process: subprocess.Popen | None = None
        self.started_in = 0.0

    def start(self) -> "Served":
        began = time.perf_counter()
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    self.started_in = time.perf_counter() - began
                    return self
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become healthy: {self.tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # only the process we started, by its id
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def _child_env(extra: dict) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
    }
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **extra)
    return env


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


class Rig:
    """Both servers, the Slack stand-in and the team, started once and shared by the two ack
    benchmarks of a run."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="pacer-bench-ack-"))
        self.standin = SlackStandin().start()
        self.expected: Counter[str] = Counter()  # calls each rep should have this week
        self.response_url = self.standin.new_response_url()
        db = f"sqlite:///{self.folder / 'pacer.db'}"
        self.pacer = Served(
            "pacer serve",
            [
                sys.executable,
                "-m",
                "cli.main",
                "serve",
                "--port",
                "{port}",
                "--threads",
                str(THREADS),
                "--host",
                "127.0.0.1",
            ],
            _child_env(
                dict(
                    SLACK_BOT_TOKEN=TOKEN,
                    SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_URL=self.standin.url,
                    DATABASE_URL=db,
                    PACER_ADMINS=ADMIN,
                    PACER_CLOCK=CLOCK,
                )
            ),
            self.folder,
            self.folder / "pacer-serve.log",
        )
        self.bare = Served(
            "bare Bolt app",
            [sys.executable, "-m", "bench.bare_app", "--port", "{port}", "--threads", str(THREADS)],
            _child_env(dict(SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=self.standin.url)),
            ROOT,
            self.folder / "bare-app.log",
        )
        self.ready = False

    def start(self, n_reps: int) -> None:
        self.pacer.start()
        self.bare.start()
        conn = self.connect(self.pacer)
        for i in range(n_reps + 1):
            status, data, _ = send(conn, self.req(ADMIN, "/pacer", f"team add <@{rep(i)}> sdr"))
            if status != 200 or b"added" not in data:
                raise RuntimeError(f"team add {rep(i)} failed: {status} {data[:300]!r}")
        # Warm-up: every rep logs once (caches their profile via the stand-in), and both servers
        # see some traffic before anything is timed.
        for i in range(n_reps + 1):
            self.log_ok(conn, rep(i))
        conn.close()
        bare = self.connect(self.bare)
        for _ in range(30):
            status, data, _ = send(bare, self.req(rep(1), "/log", "call 1"))
            if status != 200 or b"ok" not in data:
                raise RuntimeError(f"bare app failed: {status} {data[:300]!r} {self.bare.tail()}")
        bare.close()
        self.settle()
        self.ready = True

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
        return Request(user, command, text, self.response_url)

    def connect(self, server: Served) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.connect()
        return conn

    def log_ok(self, conn, user: str) -> float:
        status, data, took = send(conn, self.req(user, "/log", "call 1"))
        if status != 200 or b"Logged" not in data:
            raise RuntimeError(f"/log for {user} failed: {status} {data[:300]!r}")
        self.expected[user] += 1
        return took

    def counted(self, user: str) -> int | None:
        """The rep's calls this week, as /scorecard reports them."""
        conn = self.connect(self.pacer)
        try:
            status, data, _ = send(conn, self.req(user, "/scorecard", ""))
        finally:
            conn.close()
        if status != 200:
            return None
        found = CALLS_TOTAL.search(json.loads(data).get("text", ""))
        return int(found.group(1).replace(",", "")) if found else None

    def stop(self) -> None:
        self.pacer.stop()
        self.bare.stop()
        self.standin.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def sequential(
    server: Served, requests: list[Request], check: bytes
) -> tuple[list[float], int, int]:
    """One keep-alive connection, one request after another. Returns (latencies, errors,
    connections used)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.connect()
    latencies, errors, sockets = [], 0, {id(conn.sock)}
    for req in requests:
        status, data, took = send(conn, req)
        latencies.append(took)
        errors += status != 200 or check not in data
        if conn.sock is not None:
            sockets.add(id(conn.sock))
    conn.close()
    return latencies, errors, len(sockets)


def concurrent(
    server: Served, per_client: list[list[Request]], check: bytes
) -> tuple[list[float], int, float]:
    """One thread and one keep-alive connection per client, all released together. Returns
    (latencies, errors, wall seconds)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    gate = threading.Barrier(len(per_client) + 1)

    def client(requests: list[Request]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.connect()
        mine, bad = [], 0
        gate.wait()
        for req in requests:
            try:
                status, data, took = send(conn, req)
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                continue
            mine.append(took)
            bad += status != 200 or check not in data
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(r,), daemon=True) for r in per_client]
    for t in threads:
        t.start()
    gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join(120)
    return latencies, errors[0], time.perf_counter() - began


_RIG: Rig | None = None
LEVELS = (10, 50)


def rig(quick: bool) -> Rig:
    global _RIG
    if _RIG is None:
        _RIG = Rig()
        _RIG.start(max(LEVELS))
    return _RIG


def close() -> None:
    global _RIG
    if _RIG is not None:
        _RIG.stop()
        _RIG = None


def bench_sequential(report: Report, quick: bool, **_) -> None:
    budget = Budget(55)
    r = rig(quick)
    report.note(
        f"servers: pacer serve up in {r.pacer.started_in:.1f} s, bare app in {r.bare.started_in:.1f} s; "
        f"gunicorn gthread, the default workers ($WEB_CONCURRENCY or 2), {THREADS} threads each; SQLite file, synchronous=FULL"
    )
    n = 50 if quick else 200
    pacer_reqs = [r.req(SEQ_REP, "/log", "call 1") for _ in range(n)]
    lat, errors, conns = sequential(r.pacer, pacer_reqs, b"Logged")
    r.expected[SEQ_REP] += n - errors
    bare_reqs = [r.req(SEQ_REP, "/log", "call 1") for _ in range(n)]
    blat, berrors, bconns = sequential(r.bare, bare_reqs, b"ok")
    report.add(
        "Pacer /log ack (1 keep-alive conn)",
        n,
        ms(median(lat)),
        ms(max(lat)) + " (worst)",
        "",
        "worst < 3 s (Slack)",
        verdict(max(lat) < 3.0 and errors == 0),
    )
    report.add(
        "bare Bolt ack (same server)",
        n,
        ms(median(blat)),
        ms(max(blat)) + " (worst)",
        "",
        "",
        "reference" if berrors == 0 else f"{berrors} errors",
    )
    report.add(
        "Pacer / bare, sequential",
        n,
        "",
        "",
        f"{median(lat) / median(blat):.1f}× p50, {max(lat) / max(blat):.1f}× worst",
        "(info)",
        "info",
    )
    report.add("Pacer p99 (sequential)", n, "", ms(percentile(lat, 99)), "", "", "info")
    if errors:
        report.note(f"{errors} of {n} Pacer requests failed or did not say 'Logged'")
    if conns != 1 or bconns != 1:
        report.note(f"connections used: pacer {conns}, bare {bconns} (keep-alive broke)")
    r.settle(2)
    got = r.counted(SEQ_REP)
    want = r.expected[SEQ_REP]
    report.add(
        f"/scorecard counts every ack ({n} timed + 1 warm-up)",
        n,
        "",
        "",
        "",
        f"{want} calls",
        verdict(got == want) + f" ({got})",
    )
    if budget.left() < 0:
        report.note("took longer than its 55 s budget")


def bench_concurrent(report: Report, quick: bool, **_) -> None:
    budget = Budget(58)
    r = rig(quick)
    per_round = 5 if quick else 10
    rounds = 1 if quick else 2
    # The servers already ran the sequential benchmark (if it ran): both are equally warm.
    verified_reps: set[str] = set()
    for level in LEVELS:
        samples: dict[str, list[float]] = {"pacer": [], "bare": []}
        errs: Counter[str] = Counter()
        walls: Counter[str] = Counter()
        for rnd in range(rounds):
            order = ("bare", "pacer") if rnd % 2 == 0 else ("pacer", "bare")
            for which in order:
                if budget.left() < 3:
                    report.note(f"time budget reached: {level} clients stopped after round {rnd}")
                    break
                server = r.pacer if which == "pacer" else r.bare
                per_client = [
                    [r.req(rep(c + 1), "/log", "call 1") for _ in range(per_round)]
                    for c in range(level)
                ]
                lat, bad, wall = concurrent(
                    server, per_client, b"Logged" if which == "pacer" else b"ok"
                )
                samples[which] += lat
                errs[which] += bad
                walls[which] += wall
                if which == "pacer":
                    for c in range(level):
                        r.expected[rep(c + 1)] += per_round
                        verified_reps.add(rep(c + 1))
                    # failures are subtracted below, once we know per-rep results via /scorecard
        p, b = samples["pacer"], samples["bare"]
        if not p or not b:
            continue
        r50, r99 = median(p) / median(b), percentile(p, 99) / percentile(b, 99)
        for which, lat in (("Pacer /log", p), ("bare Bolt ack", b)):
            key = "pacer" if which.startswith("Pacer") else "bare"
            report.add(
                f"{which} @ {level} clients",
                len(lat),
                ms(median(lat)),
                ms(percentile(lat, 99)),
                "",
                "",
                f"{len(lat) / walls[key]:.0f} req/s"
                + (f", {errs[key]} errors" if errs[key] else ""),
            )
        report.add(
            f"Pacer / bare @ {level} clients",
            len(p),
            f"{r50:.1f}×",
            f"{r99:.1f}×",
            f"p50 {r50:.1f}×, p99 {r99:.1f}×",
            "≤ 1.5× (p50 and p99)",
            verdict(r50 <= 1.5 and r99 <= 1.5),
        )
    # Every acknowledged log must be counted (each client logs as its own rep).
    r.settle(2)
    wrong = []
    for user in sorted(verified_reps):
        got = r.counted(user)
        if got != r.expected[user]:
            wrong.append(f"{user}: {got} != {r.expected[user]}")
    report.add(
        f"/scorecard counts every ack ({len(verified_reps)} reps)",
        sum(r.expected[u] for u in verified_reps),
        "",
        "",
        "",
        "all counted",
        verdict(not wrong) + (f" ({'; '.join(wrong[:3])})" if wrong else ""),
    )
    report.note(
        f"{per_round * rounds} requests per client per server, in {rounds} round(s) alternating "
        "bare/Pacer; latency = request sent → full response read, measured in the client "
        "threads (the clients share the 2 cores with the servers)"
    )
