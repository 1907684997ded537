"""Run Pacer's speed benchmarks (DESIGN.md §9) and print one table per benchmark.

    .venv/bin/python -m bench.run [--quick] [--only NAME] [--postgres URL] [--big]

Benchmarks report; they don't fail CI: the exit status is 0 unless the harness itself broke.
Everything runs on 127.0.0.1. See bench/README.md.
"""

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ack, big, digest, lag_check, writes  # noqa: E402
from bench.common import Report  # noqa: E402

BENCHMARKS = {
    "ack_sequential": ("/log acknowledgement, one keep-alive connection", ack.bench_sequential),
    "ack_concurrent": (
        "/log acknowledgement vs a bare Bolt app, 10 and 50 clients",
        ack.bench_concurrent,
    ),
    "digest": (
        "the digests for 300 reps × 90 days: data vs one GROUP BY, rendered, charts",
        digest.bench_digest,
    ),
    "lag_check": (
        "the lag check for 50 teams: pace per KPI, suggestions stored",
        lag_check.bench_lag_check,
    ),
    "log_writes": ("durable log writes through the storage layer (SQLite)", writes.bench_writes),
    "scorecard_pg_10m": ("one scorecard with 10 M logs on PostgreSQL", big.bench_big),
}
ALIASES = {"digest_query": "digest"}  # the old name of `digest`, which it now includes


def environment(args) -> str:
    import sqlite3

    from slack_bolt.version import __version__ as bolt_version

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    parts = [
        f"python {sys.version.split()[0]}",
        f"slack_bolt {bolt_version}",
        f"SQLite {sqlite3.sqlite_version}",
        f"{os.cpu_count()} cores",
        f"load avg {load[0]:.2f}" if isinstance(load[0], float) else "",
        "quick" if args.quick else "full",
    ]
    if args.postgres:
        from bench.data import describe

        parts.append(f"PostgreSQL {describe(args.postgres)}")
    return " · ".join(p for p in parts if p)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests and repetitions")
    parser.add_argument(
        "--only",
        choices=sorted([*BENCHMARKS, *ALIASES]),
        action="append",
        help="run only NAME (repeatable)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="PostgreSQL URL for the storage benchmarks (default: $TEST_DATABASE_URL)",
    )
    parser.add_argument("--big", action="store_true", help="also run scorecard_pg_10m (minutes)")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(ALIASES.get(n, n) for n in args.only or BENCHMARKS))
    if args.big and "scorecard_pg_10m" not in names:
        names.append("scorecard_pg_10m")

    print(f"Pacer benchmarks · {environment(args)}\n", flush=True)
    began = time.perf_counter()
    try:
        for name in names:
            title, run = BENCHMARKS[name]
            report = Report(name, title)
            t0 = time.perf_counter()
            try:
                run(report, quick=args.quick, postgres=args.postgres, big=args.big)
            except Exception as error:  # report the breakage, carry on with the others
                report.add("benchmark raised", "", "", "", "", "", "error")
                report.note(f"{type(error).__name__}: {error}")
                report.note(traceback.format_exc(limit=3).replace("\n", " | "))
            report.seconds = time.perf_counter() - t0
            print(report.render() + "\n", flush=True)
    finally:
        ack.close()
    print(f"total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
