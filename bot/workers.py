"""How many processes and threads `pacer serve` runs, and why.

Workers: `--workers`, else $WEB_CONCURRENCY (as gunicorn reads it), else
- PostgreSQL: one per usable CPU. Python runs one thread at a time per process (the GIL), so a
  process keeps one core busy and its threads cover the waits (the database, Slack); one process
  per core uses every core, and more only add memory and database connections (gunicorn's
  "2 × cores + 1" is for workers with a single thread, which sit idle while they wait).
- SQLite: 1. SQLite has one writer at a time for the whole file. Inside a process the writers
  queue for it in order (storage/sqlite_writer.py); a second process's writers can only poll
  for SQLite's file lock with sleeps, lose most races to the process that holds it, and answer
  "busy" when they lose for 2.5 s. One process with threads writes as fast and never does.
Threads: 16 per process unless `--threads`: CPU work doesn't scale with threads (the GIL), but a
request that waits (on Slack, up to 2.5 s when it opens a modal, or on the database) holds one,
and 16 leave plenty for the others.
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
    if database == "sqlite":
        return 1, "SQLite: one process, its threads taking turns to write"
    cpus = cpus or usable_cpus()
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


def warnings(workers: int, database: str, connections_each: int, max_connections: int | None):
    """What an operator should hear about the chosen count, one line each."""
    if database == "sqlite" and workers > 1:
        yield (
            f"{workers} workers on SQLite: only one process writes at a time, and the others "
            "poll for SQLite's lock and may answer 'busy' under load. One worker (the default on "
            "SQLite) is faster; for more than one process, use PostgreSQL (README: Serving)."
        )
    if max_connections and workers * connections_each > max_connections:
        yield (
            f"{workers} workers may open up to {workers * connections_each} PostgreSQL "
            f"connections ({connections_each} each), more than the server's max_connections "
            f"({max_connections}): lower --workers, raise max_connections, or put a pooler "
            "(PgBouncer) in front."
        )
