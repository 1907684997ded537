"""Run Pacer's speed benchmarks (DESIGN.md §9) and print one table per benchmark.

    .venv/bin/python -m bench.run [--quick] [--only NAME] [--postgres URL] [--big]
                                  [--seconds N] [--[no-]restart-postgres]   (fault_load)

Benchmarks report; a missed time target doesn't fail CI. The exit status is 1 only when
something is broken: a benchmark raised, or one of its correctness checks failed (e.g. an
acknowledged log not counted). Everything runs on 127.0.0.1. See bench/README.md.
"""

import argparse
import os
import sqlite3
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt.version import __version__ as bolt_version  # noqa: E402

from bench import ack, big, digest, fault_load, ingest, lag_check, tv, writes  # noqa: E402
from bench.common import Report  # noqa: E402
from bench.data import describe  # noqa: E402

BENCHMARKS = {
    "ack_sequential": ("/log acknowledgement, one keep-alive connection", ack.bench_sequential),
    "ack_concurrent": (
        "/log acknowledgement vs a bare Bolt app, 10 and 50 clients",
        ack.bench_concurrent,
    ),
    "digest": (
        "the digests for 300 reps × 90 days (quick: 60 × 63): data vs one GROUP BY, rendered, charts",
        digest.bench_digest,
    ),
    "lag_check": (
        "the lag check for 50 teams (quick: 10): pace per KPI, suggestions stored",
        lag_check.bench_lag_check,
    ),
    "log_writes": ("durable log writes through the storage layer (SQLite)", writes.bench_writes),
    "scorecard_pg_10m": (
        "one scorecard with 10 M logs on PostgreSQL (quick: 10,000)",
        big.bench_big,
    ),
    "ingest": (
        "activity ingestion: POST /api/v1/activities, batches of 1,000, vs a plain executemany; "
        "a replay (quick: 3 × 200)",
        ingest.bench_ingest,
    ),
    "tv": (
        "the TV's data endpoint: 200 TVs polling every 5 s, a log halfway (quick: 20 × 0.25 s)",
        tv.bench_tv,
    ),
    "fault_load": (
        "mixed traffic at 50 clients on PostgreSQL, a worker killed every minute, PostgreSQL "
        "restarted (quick: 20 s, connections cut)",
        fault_load.bench_fault_load,
    ),
}
# Ten minutes at full size: a full run includes it only when named (`--only fault_load`).
NAMED_ONLY = {"fault_load"}
ALIASES = {"digest_query": "digest"}  # the old name of `digest`, which it now includes
QUICK = (
    "quick mode: small sizes and few repetitions, to show every benchmark still runs and its "
    "checks hold; times marked * are not judged"
)


def environment(quick: bool, postgres: str | None) -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    parts = [
        f"python {sys.version.split()[0]}",
        f"slack_bolt {bolt_version}",
        f"SQLite {sqlite3.sqlite_version}",
        f"{os.cpu_count()} cores",
        f"load avg {load[0]:.2f}" if isinstance(load[0], float) else "",
        "quick" if quick else "full",
        f"PostgreSQL {describe(postgres)}" if postgres else "no PostgreSQL",
    ]
    return " · ".join(p for p in parts if p)


def run_benchmark(
    name: str, quick: bool = False, postgres: str | None = None, big: bool = False, **options
) -> Report:
    """One benchmark, its breakage reported in its table rather than raised. The ack servers
    stay up for the next ack benchmark: `ack.close()` stops them."""
    name = ALIASES.get(name, name)
    title, run = BENCHMARKS[name]
    report = Report(name, title, quick=quick)
    began = time.perf_counter()
    try:
        run(report, quick=quick, postgres=postgres, big=big, **options)
    except Exception as error:  # report the breakage, carry on with the others
        report.add("benchmark raised", "", "", "", "", "", "error")
        report.note(f"{type(error).__name__}: {error}")
        report.note(traceback.format_exc(limit=3).replace("\n", " | "))
    report.seconds = time.perf_counter() - began
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, a couple of repetitions, times not judged: seconds per benchmark",
    )
    parser.add_argument(
        "--only",
        choices=sorted([*BENCHMARKS, *ALIASES]),
        action="append",
        help="run only NAME (repeatable)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="PostgreSQL URL for the PostgreSQL variants (default: $TEST_DATABASE_URL; "
        "without one they are skipped)",
    )
    parser.add_argument(
        "--big", action="store_true", help="run scorecard_pg_10m at full size (10 M rows, minutes)"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        help="fault_load: seconds of traffic instead of 600 (quick: 20); faults spread to fit",
    )
    parser.add_argument(
        "--restart-postgres",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fault_load: restart the local PostgreSQL server (pg_ctlcluster) once, or cut the "
        "app's connections instead (default: restart in a full run, cut in --quick)",
    )
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(ALIASES.get(n, n) for n in args.only or BENCHMARKS))
    left_out = [] if args.only or args.quick else [n for n in names if n in NAMED_ONLY]
    names = [n for n in names if n not in left_out]
    options = {"seconds": args.seconds, "restart_postgres": args.restart_postgres}
    if args.big and "scorecard_pg_10m" not in names:
        names.append("scorecard_pg_10m")

    print(f"Pacer benchmarks · {environment(args.quick, args.postgres)}", flush=True)
    if args.quick:
        print(QUICK, flush=True)
    for name in left_out:
        print(f"{name}: not run (10 minutes; `--only {name}` runs it)", flush=True)
    print(flush=True)
    began = time.perf_counter()
    broken: list[str] = []
    try:
        for name in names:
            report = run_benchmark(name, args.quick, args.postgres, args.big, **options)
            print(report.render() + "\n", flush=True)
            if report.problems():
                broken.append(name)
    finally:
        ack.close()
    print(f"total {time.perf_counter() - began:.0f} s")
    if broken:
        print(f"broken: {', '.join(broken)} (a benchmark raised or a check failed)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
