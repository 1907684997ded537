"""`pacer export all` and `pacer import all FILE`: a whole install moved between databases
(storage/moving.py). The export writes JSON Lines to stdout and what it wrote to stderr; the
import prints, per table, the rows in the file, written, and counted in the new database."""

import sys
from pathlib import Path

from storage.db import make_engine
from storage.migrate import upgrade
from storage.moving import MoveError, TableCount, export_all, import_all

NOT_FOR_ALL = {"start": "--from", "end": "--to", "team": "--team", "workspace": "--workspace"}


def run_export_all(settings, args) -> int:
    given = [flag for name, flag in NOT_FOR_ALL.items() if getattr(args, name, None)]
    if given:
        print(
            f"pacer export all: {', '.join(given)} doesn't apply: `export all` moves the whole "
            "install (every workspace, team and date). Use `pacer export activities|logs` for "
            "a part of it.",
            file=sys.stderr,
        )
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        out = sys.stdout.buffer
        counts = export_all(engine, out, settings.now())
        out.flush()
    finally:
        engine.dispose()
    filled = sum(1 for n in counts.values() if n)
    print(
        f"pacer export all: {sum(counts.values())} rows, in {filled} of the {len(counts)} "
        "tables moved (the others are empty).",
        file=sys.stderr,
    )
    return 0


def run_import_all(settings, args) -> int:
    name = "stdin" if args.file == "-" else args.file
    try:
        # closed by the `with source` below, after the database is reached
        source = sys.stdin.buffer if args.file == "-" else Path(args.file).open("rb")  # noqa: SIM115
    except OSError as error:
        print(
            f"pacer import all: can't read {name}: {error.strerror or error}; nothing was written.",
            file=sys.stderr,
        )
        return 1
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with source:
            counts = import_all(engine, source)
    except MoveError as error:
        where = f"{name} line {error.line}" if error.line else name
        print(f"pacer import all: {where}: {error.message}. Nothing was written.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(count_table(counts))
    bad = [c.table for c in counts if not c.ok]
    if bad:
        print(
            f"pacer import all: the counts differ for {', '.join(bad)}: the database doesn't "
            "hold what the file does; check it before using this install.",
            file=sys.stderr,
        )
        return 1
    return 0


def count_table(counts: list[TableCount]) -> str:
    rows = [("table", "in file", "written", "in database")]
    rows += [(c.table, str(c.in_file), str(c.written), str(c.in_database)) for c in counts]
    total = sum(c.in_file for c in counts), sum(c.written for c in counts)
    rows.append(
        ("total", str(total[0]), str(total[1]), str(sum(c.in_database or 0 for c in counts)))
    )
    width = max(len(r[0]) for r in rows)
    lines = [f"{r[0]:<{width}}  {r[1]:>9}  {r[2]:>9}  {r[3]:>11}" for r in rows]
    marks = ["", *("" if c.ok else "  ← differs" for c in counts), ""]
    return "\n".join(line + mark for line, mark in zip(lines, marks, strict=True))
