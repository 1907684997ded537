"""The table of the fault-and-load benchmark (bench/fault_load.py): what the clients saw, what
the database holds, and the faults injected. The records the clients keep are defined here."""

import re
from collections import Counter
from dataclasses import dataclass, field

from bench import faults
from bench.common import Report, median, ms, percentile

SLACK_DEADLINE = 3.0
SETTLE = 5.0  # a fault window lasts until the fault is over (worker back, database up) + this


@dataclass
class Sample:
    kind: str  # /log, /scorecard, /leaderboard, home
    began: float  # seconds into the run
    took: float
    error: str  # "" when it was answered as it should be


@dataclass
class Delivery:
    """One /log as the client sent it (once, or twice when the first try failed)."""

    trace: str
    trigger: str
    answers: list[str] = field(default_factory=list)  # per attempt: "ok", "duplicate" or error
    acked: bool = False


@dataclass
class Window:
    what: str
    start: float
    end: float


def tabulate(
    report: Report,
    kinds: list[str],
    samples: list[Sample],
    deliveries: list[Delivery],
    stored: Counter[str],
    faults_seen: tuple[float, list, list[Window]],
    server_log: str,
) -> None:
    """The rows: requests by kind, acknowledged vs stored logs (the checks), errors, faults.
    `stored`: rows per trace; `faults_seen`: (kill interval, what was injected, windows)."""
    kill_every, events, windows = faults_seen
    acked = {d.trace for d in deliveries if d.acked}
    sent = {d.trace for d in deliveries}
    lost = sorted(t for t in acked if stored[t] != 1)
    dups = sorted(t for t, n in stored.items() if n > 1)
    unacked_stored = sorted(t for t in sent - acked if stored[t])
    strangers = sorted(t for t in stored if t not in sent)
    wall = max((s.began + s.took for s in samples), default=0.0)

    for kind in kinds:
        mine = [s for s in samples if s.kind == kind]
        good = [s.took for s in mine if not s.error]
        bad = sum(1 for s in mine if s.error)
        report.add(
            f"{kind} requests",
            len(mine),
            ms(median(good)),
            ms(percentile(good, 99)),
            "",
            "",
            f"{len(mine) / wall:.1f} req/s, {bad} errors" if wall else "",
        )
    report.add(
        "all requests",
        len(samples),
        "",
        "",
        "",
        "",
        f"{len(samples) / wall:.0f} req/s" if wall else "",
    )
    # The logs: acknowledged vs stored.
    report.add("/log sent (distinct traces)", len(sent), "", "", "", "", "info")
    report.add("/log acknowledged ('Logged' + its trace)", len(acked), "", "", "", "", "info")
    report.add("/log stored (traces in activity_log)", len(stored), "", "", "", "", "info")
    report.check(
        "every acknowledged /log stored exactly once",
        bool(acked) and not lost,
        len(acked),
        "0 missing",
        f"{len(lost)} missing or doubled: {', '.join(lost[:3])}" if lost else "",
    )
    report.check(
        "no /log stored twice (duplicates)",
        not dups and not strangers,
        len(dups),
        "0",
        ", ".join(dups[:3] + strangers[:3]),
    )
    report.add(
        "stored but not acknowledged (the client saw an error)",
        len(unacked_stored),
        "",
        "",
        "",
        "allowed",
        "info",
    )
    retried = [d for d in deliveries if len(d.answers) > 1]
    again = [d for d in retried if d.answers[-1] == "duplicate"]
    report.add(
        "/log sent again (same delivery) after an error",
        len(retried),
        "",
        "",
        f"{sum(d.acked for d in retried)} acknowledged, {len(again)} 'counted once'",
        "",
        "info",
    )
    # Pacer said "nothing was stored" but the log was: the retry found it, or it is stored.
    untrue = [
        d
        for d in deliveries
        if "answer: database busy" in d.answers
        and (
            d.answers.index("answer: database busy") < len(d.answers) - 1
            and d.answers[-1] == "duplicate"
            or d.trace in unacked_stored
        )
    ]
    report.add(
        "answered 'nothing was stored', yet stored",
        len(untrue),
        "",
        "",
        ", ".join(d.trace for d in untrue[:2]),
        "0",
        "info",
    )
    _errors(report, samples, windows)
    _faults(report, kill_every, events)
    report.note(f"a fault window runs from the fault until it is over + {SETTLE:.0f} s")
    report.note("server log: " + _log_summary(server_log))


def _errors(report: Report, samples: list[Sample], windows: list[Window]) -> None:
    def in_window(s: Sample) -> bool:
        return any(s.began < w.end and s.began + s.took > w.start for w in windows)

    errors = [s for s in samples if s.error]
    outside = [s for s in samples if not in_window(s)]
    outside_errors = [s for s in outside if s.error]
    late = [s for s in samples if not s.error and s.took > SLACK_DEADLINE]
    rate = len(errors) / len(samples) if samples else 0.0
    report.add("error rate, all requests", len(errors), "", "", f"{rate:.2%}", "", "info")
    out_rate = len(outside_errors) / len(outside) if outside else 0.0
    report.add(
        "error rate outside the fault windows",
        f"{len(outside_errors)}/{len(outside)}",
        "",
        "",
        f"{out_rate:.2%}",
        "< 1%",
        report.timing(out_rate < 0.01),
    )
    for kind, n in Counter(s.error for s in errors).most_common(6):
        inside = sum(1 for s in errors if s.error == kind and in_window(s))
        report.add(f"  error: {kind}", n, "", "", f"{inside} in fault windows", "", "info")
    report.add(
        f"answers later than {SLACK_DEADLINE:.0f} s (Slack's deadline)",
        len(late),
        "",
        ms(max((s.took for s in late), default=None)),
        f"{sum(1 for s in late if in_window(s))} in fault windows" if late else "",
        "",
        "info",
    )


def _faults(report: Report, kill_every: float, events: list) -> None:
    kills = [e for e in events if isinstance(e, faults.Kill)]
    back = [k.replaced_in for k in kills if k.replaced_in is not None]
    report.add(
        f"fault: a worker killed (SIGKILL) every {kill_every:.0f} s",
        len(kills),
        ms(median(back)),
        ms(max(back, default=None)) + " (worst)",
        "",
        "",
        "info",
    )
    report.check(
        "gunicorn replaced every killed worker",
        bool(kills) and len(back) == len(kills),
        len(kills),
        "all",
        f"{len(kills) - len(back)} not replaced" if len(back) < len(kills) else "",
    )
    for e in events:
        if isinstance(e, faults.DatabaseFault):
            what = "PostgreSQL restarted" if e.kind == "restart" else "app's connections cut"
            report.add(f"fault: {what} at {e.at:.0f} s", 1, ms(e.took), "", "", "", "info")
            report.note(f"database fault at {e.at:.0f} s: {e.detail}")
    report.note(
        "kills at "
        + ", ".join(f"{k.at:.0f}" for k in kills)
        + " s (the oldest worker each time: gunicorn respawns it)"
    )


EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Unavailable|Shutdown))\b")


def _log_summary(text: str) -> str:
    """What went wrong in the server, in a line: exceptions by type and gunicorn's notices."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        if m := EXCEPTION.match(line):
            found[m.group(1)] += 1
        elif "Worker (pid:" in line and "SIGKILL" in line:
            found["gunicorn: worker killed"] += 1
        elif "outcome=database_unavailable" in line:
            found["database_unavailable answers"] += 1
    return ", ".join(f"{k} ×{n}" for k, n in found.most_common(8)) or "nothing went wrong"
