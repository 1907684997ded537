"""Shared pieces: percentiles, the result table, ports, a per-benchmark time budget, a throwaway
PostgreSQL database (the benchmarks' and the end-to-end tests')."""

import gc
import math
import os
import socket
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import normalize_url


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) — with few samples p99 is honestly near the worst."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ms(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


@dataclass
class Row:
    what: str
    n: str | int = ""
    p50: str = ""
    p99: str = ""  # p99, or the worst when n is small or the benchmark says "worst"
    ratio: str = ""
    target: str = ""
    result: str = ""  # pass / FAIL / info / skipped / error
    check: bool = False  # a correctness check (e.g. every acknowledged log counted), not a time


@dataclass
class Report:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    tail: str = "p99/worst"  # the heading of the p99 column (a benchmark may show p90 / worst)
    quick: bool = False  # small sizes, few samples: time targets are shown, not judged

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)

    def check(
        self, what: str, ok: bool, n: str | int = "", target: str = "", detail: str = ""
    ) -> Row:
        """A correctness check: its result is "pass" or "FAIL", whatever the mode."""
        result = verdict(ok) + (f" ({detail})" if detail else "")
        return self.add(what, n, "", "", "", target, result, check=True)

    def timing(self, ok: bool) -> str:
        """The result of a time target: "pass"/"FAIL", or "pass*"/"FAIL*" in quick mode, where
        too few samples are taken to judge it (the footnote says so)."""
        return verdict(ok) + ("*" if self.quick else "")

    def problems(self) -> list[Row]:
        """The rows that mean something is broken: a benchmark that raised, a failed check.
        (A missed time target is a result, not a problem.)"""
        return [
            r
            for r in self.rows
            if r.result == "error" or (r.check and not r.result.startswith("pass"))
        ]

    def render(self) -> str:
        headers = ("what", "n", "p50", self.tail, "ratio", "target", "result")
        cells = [headers] + [
            (r.what, str(r.n), r.p50, r.p99, r.ratio, r.target, r.result) for r in self.rows
        ]
        widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]

        def line(cols) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()

        out = [f"== {self.name}: {self.title}  ({self.seconds:.1f} s)"]
        out.append(line(headers))
        out.append(line(["-" * w for w in widths]))
        out += [line(c) for c in cells[1:]]
        out += [f"   note: {n}" for n in self.notes]
        if any(r.result.endswith("*") for r in self.rows):
            out.append(
                "   * quick mode: too few samples to judge a time target (run without --quick)"
            )
        return "\n".join(out)


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


class Budget:
    """A soft deadline for one benchmark: loops check it and stop early, saying so."""

    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.seconds = seconds

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def spent(self) -> float:
        return time.monotonic() - self.started


def filesystem_of(path: str) -> str:
    """The filesystem type holding `path` (from /proc/mounts), e.g. "ext4", "tmpfs"."""
    path = os.path.realpath(path)
    best, kind = "", "unknown"
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3 and path.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, kind = parts[1], parts[2]
    except OSError:
        pass
    return kind


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collect, then keep the cyclic garbage collector off while timing (as `timeit` does): a
    full collection after matplotlib's renders takes ~50-100 ms and would land on whichever
    timed line happened to allocate next."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """A fresh database named ``prefix`` + a random part on ``server_url``'s server: its URL,
    dropped afterwards (its connections cut)."""
    admin_url = make_url(normalize_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
