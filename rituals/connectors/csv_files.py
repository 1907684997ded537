"""Activity as CSV: reading a file into ingest items (every problem named by line and column)
and writing rows out so that what `pacer export activities` writes, `pacer import activities`
reads back.

The columns are the API's item: ``source, external_id, occurred_at, owner, kpi, count`` and,
optionally, ``deleted`` (true voids what that key stored). Column names match in any case and
order; columns Pacer doesn't know (the extra ones of `pacer export logs`) are named and left
out. A file saved by a spreadsheet in Europe (``;``) or as tab-separated reads as well, a UTF-8
byte-order mark is ignored."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

COLUMNS = ("source", "external_id", "occurred_at", "owner", "kpi", "count")
OPTIONAL = ("deleted",)
MAX_BYTES = 20 * 1024 * 1024  # a year of a big team's activity is a few MB
MAX_ROWS = 200_000
_TRUE = ("true", "yes", "y", "1", "deleted", "x")
_FALSE = ("false", "no", "n", "0", "")
# A cell a spreadsheet would run as a formula: written with a leading ' (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvItem:
    """One row, as rituals.ingest.IngestItem takes it (IngestItem(**vars(row)))."""

    source: str
    external_id: str
    occurred_at: datetime
    owner: str
    kpi: str
    count: int
    deleted: bool = False


@dataclass(frozen=True)
class CsvProblem:
    line: int  # 1 is the header; 0 the file as a whole
    column: str | None  # the column's name as written in the header
    message: str

    def where(self) -> str:
        if self.line == 0:
            return "the file"
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class CsvRead:
    items: list[CsvItem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line each item came from
    problems: list[CsvProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (blank lines not counted)
    header: dict[str, str] = field(default_factory=dict)  # our name -> the header's spelling


def decode(raw: bytes) -> str:
    """The file's text; ValueError names what to do when it is not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise ValueError(
            f"the file is {len(raw) // (1024 * 1024)} MB; split it into files under "
            f"{MAX_BYTES // (1024 * 1024)} MB"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ValueError(
            f"line {line} is not UTF-8 text; save the file as 'CSV UTF-8' and try again"
        ) from None


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," not in first:
        for delimiter in (";", "\t"):
            if delimiter in first:
                return delimiter
    return ","


def read_activities(text: str) -> CsvRead:
    """Every row of an activities file as an item, or the problems that keep it out. A file
    whose header is wrong has its problems on line 1 and no items."""
    out = CsvRead()
    text = text.lstrip("\ufeff")
    if not text.strip():
        out.problems.append(
            CsvProblem(
                0, None, "the file is empty; its first line is the header: " + ",".join(COLUMNS)
            )
        )
        return out
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        out.problems.append(CsvProblem(1, None, f"the header can't be read: {error}"))
        return out
    index = _header(header, out)
    if index is None:
        return out
    line = reader.line_num
    try:
        for row in reader:
            first_line, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            out.rows += 1
            if out.rows > MAX_ROWS:
                out.problems.append(
                    CsvProblem(first_line, None, f"more than {MAX_ROWS:,} rows; split the file")
                )
                break
            item = _item(row, index, first_line, len(header), out)
            if item is not None:
                out.items.append(item)
                out.lines.append(first_line)
    except csv.Error as error:
        out.problems.append(
            CsvProblem(reader.line_num, None, f"{error} (a quote opened and never closed?)")
        )
    return out


def _header(header: list[str], out: CsvRead) -> dict[str, int] | None:
    index: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_")
        if name in COLUMNS + OPTIONAL:
            if name in index:
                out.problems.append(
                    CsvProblem(1, raw.strip(), f"the column {raw.strip()!r} appears twice")
                )
                continue
            index[name] = position
            out.header[name] = raw.strip()
        elif raw.strip():
            out.ignored_columns.append(raw.strip())
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        out.problems.append(
            CsvProblem(
                1,
                None,
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the "
                f"header is {','.join(COLUMNS)} (and optionally deleted)",
            )
        )
    return None if missing or out.problems else index


def _item(
    row: list[str], index: dict[str, int], line: int, width: int, out: CsvRead
) -> CsvItem | None:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        out.problems.append(
            CsvProblem(
                line, None, f"{len(row)} cells for {width} columns (a comma in a value? quote it)"
            )
        )
        return None
    values = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
    before = len(out.problems)

    def problem(name: str, message: str) -> None:
        out.problems.append(CsvProblem(line, out.header.get(name, name), message))

    deleted = values.get("deleted", "").lower()
    if deleted not in _TRUE + _FALSE:
        problem("deleted", f"{values['deleted']!r} is not true or false")
    deleted_flag = deleted in _TRUE
    for name, limit in (("source", 64), ("external_id", 200)):
        if not values[name]:
            problem(name, f"{name} is empty")
        elif len(values[name]) > limit:
            problem(name, f"{name} is longer than {limit} characters")
    occurred = _time(values["occurred_at"])
    if isinstance(occurred, str):
        problem("occurred_at", occurred)
    count = 0
    if not deleted_flag:
        for name in ("owner", "kpi"):
            if not values[name]:
                problem(name, f"{name} is empty")
        try:
            count = int(values["count"].replace("_", ""))
        except ValueError:
            problem(
                "count",
                f"{values['count']!r} is not a whole number"
                if values["count"]
                else "count is empty",
            )
        else:
            if count < 1:
                problem(
                    "count",
                    f"{count} is not a count of 1 or more (to remove a row, set deleted to true)",
                )
    elif values["count"]:
        try:
            count = int(values["count"])
        except ValueError:
            count = 0
    if len(out.problems) > before:
        return None
    assert isinstance(occurred, datetime)
    return CsvItem(
        source=values["source"],
        external_id=values["external_id"],
        occurred_at=occurred,
        owner=values["owner"],
        kpi=values["kpi"],
        count=count,
        deleted=deleted_flag,
    )


def _time(text: str) -> datetime | str:
    if not text:
        return "occurred_at is empty"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return f"{text!r} is not a date and time; write ISO 8601 with an offset, e.g. 2026-12-01T14:02:00-05:00"
    if moment.utcoffset() is None:
        return (
            f"{text!r} has no UTC offset, so its day is unknown; add one, e.g. "
            f"{moment.isoformat(timespec='minutes')}-05:00 or {moment.isoformat(timespec='minutes')}Z"
        )
    return moment


# Which column an ingestion reason is about, for the report (reasons name their subject).
_REASON_COLUMNS = (
    ("occurred_at", "occurred_at"),
    ("kpi", "kpi"),
    ("scorecard", "kpi"),
    ("count", "count"),
    ("owner", "owner"),
    ("not a rep", "owner"),
    ("role", "owner"),
    ("not on the team", "occurred_at"),
    ("backdate", "occurred_at"),
    ("future", "occurred_at"),
)


def column_of(reason: str | None) -> str | None:
    text = (reason or "").lower()
    for word, column in _REASON_COLUMNS:
        if word in text:
            return column
    return None


# -- writing ------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """Text a spreadsheet shows as written, never runs: a cell starting like a formula gets '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_rows(header: Sequence[str], rows: Iterable[Sequence[object]], out) -> int:
    """CSV to ``out`` (a text stream); returns the rows written. Text cells are written as is
    except that a cell a spreadsheet would run as a formula is defused (safe_cell)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    written = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        written += 1
    return written
