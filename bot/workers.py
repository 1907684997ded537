"""How many processes and threads `pacer serve` runs, and why.

Workers: `--workers`, else $WEB_CONCURRENCY (as gunicorn reads it), else one per usable CPU, on
PostgreSQL and on SQLite alike. Python runs one thread at a time per process (the GIL), so a
process keeps about one core busy and its threads cover the waits (the database, Slack); one
process per core uses every core, and more only add memory and database connections
(gunicorn's "2 × cores + 1" is for workers with a single thread, which sit idle while they
wait). On SQLite the writes of all processes still go one at a time (storage/sqlite_writer.py:
a queue within a process, a file lock between processes, so nobody is told "busy"); what a
second process adds is the parsing, reading and rendering around the writes, and measured on a
2-core machine two workers answered 50 concurrent /log at 79–90 a second against 62–63 for one,
p99 0.75–0.78 s against 0.92–1.04 s. Past what one writer can take, move to PostgreSQL
(README: Serving).
Threads: 16 per process unless `--threads`: CPU work doesn't scale with threads (the GIL), but a
request that waits (on Slack, up to 2.5 s when it opens a modal, or on the database) holds one,
and 16 leave plenty for the others. (8 and 32 measured within the noise of 16.)
"""

import math
import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_THREADS = 16
CGROUP = Path("/sys/fs/cgroup")


def usable_cpus(cgroup: Path = CGROUP) -> int:
    """The CPUs this process may run on (its affinity: taskset, cpuset), capped by a container's
    CPU quota (cgroup v2 cpu.max or v1 cfs_quota_us), which os.cpu_count() ignores."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    quota = _cpu_quota(cgroup)
    return max(1, min(cpus, quota) if quota else cpus)


def _cpu_quota(cgroup: Path) -> int | None:
    """The container's CPU limit rounded up (1.5 CPUs → 2), or None when there is none."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()[:2]  # v2: "max 100000"
    except (OSError, ValueError):
        try:  # v1: -1 for no limit
            quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max"
        return None
    if quota_us <= 0 or period_us <= 0:
        return None
    return math.ceil(quota_us / period_us)


def choose_workers(
    flag: int | None, environ: Mapping[str, str], database: str, cpus: int | None = None
) -> tuple[int, str]:
    """The worker count and where it came from, for the start log. ``database`` is the
    engine's dialect name ("sqlite", "postgresql")."""
    if flag is not None:
        return flag, "--workers"
    given = web_concurrency(environ)
    if given is not None:
        return given, "$WEB_CONCURRENCY"
    cpus = cpus or usable_cpus()
    if database == "sqlite":
        return cpus, f"one per usable CPU ({cpus}); SQLite's writers take turns"
    return cpus, f"one per usable CPU ({cpus})"


def web_concurrency(environ: Mapping[str, str]) -> int | None:
    """$WEB_CONCURRENCY as a process count, None when unset; a clear exit when it is not one
    (gunicorn itself would fail on it with a traceback)."""
    given = environ.get("WEB_CONCURRENCY", "").strip()
    if not given:
        return None
    if not given.isdigit() or int(given) < 1:
        raise SystemExit(
            f"pacer serve: WEB_CONCURRENCY must be a whole number of processes, 1 or more "
            f"(it is {given!r}); fix it, or unset it and pass --workers or let Pacer choose."
        )
    return int(given)


def warnings(workers: int, connections_each: int, max_connections: int | None, master: int = 0):
    """What an operator should hear about the chosen count (PostgreSQL's connections).
    ``connections_each``: the most one worker opens (bot/server.py worker_connections);
    ``master``: the most gunicorn's master opens (`--with-clock`: the clock's pool)."""
    total = workers * connections_each + master
    if max_connections and total > max_connections:
        clock = f", and {master} for the clock in the master process" if master else ""
        yield (
            f"{workers} workers may open up to {total} PostgreSQL connections "
            f"({connections_each} each{clock}), more than the server's max_connections "
            f"({max_connections}): lower --workers, raise max_connections, or put a pooler "
            "(PgBouncer) in front."
        )
