"""The faults of the fault-and-load benchmark: a gunicorn worker killed with SIGKILL, and
PostgreSQL going away (the server restarted, or the app's connections terminated).

Process look-ups read /proc (Linux), so no dependency is needed. Only processes the benchmark
started are signalled: the workers are found as children of the `pacer serve` master it runs."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from storage.db import normalize_url

PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name (state is [0], ppid [1],
    start time [19]); None when the process is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()  # the name may hold spaces and parentheses


def children(parent: int) -> list[int]:
    """Live child processes of `parent`, oldest first (zombies left out: already dead)."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields and int(fields[1]) == parent and fields[0] != "Z":
            found.append((int(fields[19]), int(entry.name)))
    return [pid for _, pid in sorted(found)]


@dataclass
class Kill:
    at: float  # seconds into the run
    pid: int
    replaced_in: float | None  # seconds until gunicorn had its workers back; None: it didn't


def kill_worker(master: int, workers: int, at: float, wait: float = 15.0) -> Kill:
    """SIGKILL the oldest worker of the gunicorn `master`, then wait until the master has
    `workers` live workers again, none of them the killed one."""
    pids = children(master)
    if not pids:
        raise RuntimeError(f"gunicorn master {master} has no workers to kill")
    victim = pids[0]
    began = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while time.monotonic() - began < wait:
        now = children(master)
        if victim not in now and len(now) >= workers:
            return Kill(at, victim, time.monotonic() - began)
        time.sleep(0.05)
    return Kill(at, victim, None)


@dataclass
class DatabaseFault:
    kind: str  # "restart" or "terminate"
    at: float
    took: float
    detail: str


def local_cluster(url: str) -> tuple[str, str] | None:
    """(version, cluster name) of the Debian-style cluster (`pg_lsclusters`) serving `url`,
    when it runs on this machine and its tools are here; else None."""
    u = make_url(normalize_url(url))
    if u.host not in (None, "", "127.0.0.1", "localhost", "::1"):
        return None
    try:
        listed = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in listed.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2] == str(u.port or 5432) and fields[3] == "online":
            return fields[0], fields[1]
    return None


def restart_postgres(cluster: tuple[str, str], at: float, output: Path) -> DatabaseFault:
    """`pg_ctlcluster VERSION NAME restart` (fast shutdown: every session is cut). Its output
    goes to a file, not a pipe: the new server must not hold a pipe this process waits on."""
    version, name = cluster
    began = time.monotonic()
    with open(output, "ab") as out:
        done = subprocess.run(
            ["pg_ctlcluster", version, name, "restart"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=120,
        )
    took = time.monotonic() - began
    if done.returncode != 0:
        said = output.read_text(errors="replace")[-300:].strip()
        raise RuntimeError(f"pg_ctlcluster {version} {name} restart failed: {said}")
    return DatabaseFault("restart", at, took, f"pg_ctlcluster {version} {name} restart")


def terminate_backends(admin: Engine, application_name: str, at: float) -> DatabaseFault:
    """pg_terminate_backend() for every connection of the app under test (its own
    application_name), as a restart would cut them, without touching anyone else's."""
    began = time.monotonic()
    with admin.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": application_name},
        ).scalar_one()
    took = time.monotonic() - began
    return DatabaseFault("terminate", at, took, f"{ended} connections of the app terminated")
