"""Importing an activities CSV: read it, send its rows through the same upsert as the HTTP API
(rituals.ingest), and report by line.

A file is all or nothing: when any line has a problem (unreadable, or refused by the upsert)
nothing is stored and every problem is listed by line and column, so the file can be fixed and
imported again (the upsert makes a second run change only what changed). ``partial`` stores the
good lines anyway. Held lines (an owner Pacer can't match yet) are not problems: they wait in
the review queue. A dry run does exactly what the import would, in a transaction it rolls back.

A row exported from Pacer for a log typed in Slack (``pacer, log-ID``) whose log is here is
that log: it is reported unchanged, never counted a second time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from rituals.connectors.csv_files import CsvProblem, column_of, decode, read_activities
from rituals.connectors.export import TYPED_PREFIX, TYPED_SOURCE
from rituals.ingest import STATUSES, IngestItem, ingest
from storage import export_queries
from storage.unit_of_work import Session, rehearsal, unit_of_work

BATCH = 1000  # the API's batch size: the upsert's statements stay small
SHOWN = 50  # problems listed in a report; the count says how many more


class _Undo(Exception):
    """Rolls a refused import back (carried out of the unit of work)."""


@dataclass
class ImportReport:
    rows: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list[CsvProblem] = field(default_factory=list)  # unreadable or refused, by line
    held: list[CsvProblem] = field(default_factory=list)  # waiting for an owner mapping
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    stored: bool = False  # whether anything was kept

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def counts(self) -> str:
        parts = [f"{self.statuses[s]} {s}" for s in STATUSES if self.statuses[s]]
        return ", ".join(parts) or "nothing to do"

    def lines(self, limit: int = SHOWN) -> list[str]:
        """The report, one line per entry: the totals, then each problem and held line."""
        rows = f"{self.rows} row{'' if self.rows == 1 else 's'}"
        if self.dry_run:
            verdict = "dry run, nothing was stored"
            if self.failed:
                verdict += f"; as it is, the import would store nothing ({len(self.problems)} problem{'s' if len(self.problems) > 1 else ''})"
        elif self.failed and not self.stored:
            verdict = "nothing was stored: fix the lines below and import the file again"
        elif self.failed:
            verdict = "stored, except the lines below"
        else:
            verdict = "stored"
        out = [f"{rows}: {self.counts()} ({verdict})."]
        if self.ignored_columns:
            out.append(f"Columns not read: {', '.join(self.ignored_columns)}.")
        entries = [str(p) for p in self.problems] + [f"{p} (held)" for p in self.held]
        out.extend(entries[:limit])
        if len(entries) > limit:
            out.append(f"… and {len(entries) - limit} more.")
        return out


def run_import(
    engine,
    raw: bytes,
    workspace_id: int,
    now: datetime,
    *,
    by: str,
    dry_run: bool = False,
    partial: bool = False,
) -> ImportReport:
    """Import a file's bytes into a workspace; ``by``: who, as the drill-down shows it."""
    try:
        text = decode(raw)
    except ValueError as error:
        return ImportReport(problems=[CsvProblem(0, None, str(error))], dry_run=dry_run)
    if dry_run:
        with rehearsal(engine) as session:
            report = import_text(session, workspace_id, text, now, by=by)
        report.dry_run = True
        return report
    try:
        with unit_of_work(engine) as session:
            report = import_text(session, workspace_id, text, now, by=by)
            if report.failed and not partial:
                raise _Undo
            report.stored = True
    except _Undo:
        report.stored = False
    return report


def import_text(
    session: Session,
    workspace_id: int,
    text: str,
    now: datetime,
    *,
    by: str,
    apply: Callable = ingest,
) -> ImportReport:
    """The import's work inside the caller's transaction (flushed, not committed)."""
    read = read_activities(text)
    report = ImportReport(
        rows=read.rows, problems=list(read.problems), ignored_columns=read.ignored_columns
    )
    if not read.items:
        return report
    header = read.header
    own = _own_logs(session, workspace_id, read.items)
    pending: list[tuple[int, IngestItem]] = []
    for line, row in zip(read.lines, read.items, strict=True):
        if (row.source, row.external_id) in own:
            report.statuses["unchanged"] += 1
            continue
        pending.append((line, IngestItem(**vars(row))))
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        results = apply(
            session, workspace_id, [item for _, item in chunk], now, via="import", entered_by=by
        )
        for (line, _), result in zip(chunk, results, strict=True):
            report.statuses[result.status] += 1
            column = column_of(result.reason)
            named = header.get(column, column) if column else None
            if result.status == "rejected":
                report.problems.append(CsvProblem(line, named, result.reason or "refused"))
            elif result.status == "held":
                report.held.append(CsvProblem(line, header.get("owner"), result.reason or "held"))
    report.problems.sort(key=lambda p: p.line)
    return report


def _own_logs(session: Session, workspace_id: int, rows) -> set[tuple[str, str]]:
    """Keys of exported rows that name a log of this workspace (typed in Slack) with the same
    rep, KPI and count: that log itself, already counted here."""
    wanted: dict[int, object] = {}
    for row in rows:
        if row.source == TYPED_SOURCE and row.external_id.startswith(TYPED_PREFIX):
            number = row.external_id[len(TYPED_PREFIX) :]
            if number.isdigit():
                wanted[int(number)] = row
    if not wanted:
        return set()
    logs = export_queries.logs_by_ids(session, workspace_id, wanted)
    out = set()
    for log_id, row in wanted.items():
        log = logs.get(log_id)
        if log is None or getattr(log, "ext_source", None):
            continue
        if (log.rep_id, log.kpi, log.count) == (row.owner, row.kpi, row.count) or row.deleted:
            out.add((row.source, row.external_id))
    return out
