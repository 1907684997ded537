"""Moving house: a whole install out to a JSON Lines file (`pacer export all`) and into an empty
database (`pacer import all`), SQLite or PostgreSQL on either side.

The file: a header line ``{"pacer_export": 1, "revision", "dialect", "exported_at", "tables"}``,
one line per row ``{"t": table, "r": {column: value}}`` (values as storage/moving_codec.py
writes them), tables in foreign-key order and rows in key order, then a trailer line
``{"end": {"counts": {table: rows}, "rows": total, "sha256": …}}`` whose checksum covers the
row lines' bytes. Which tables: storage/moving_tables.py.

Both ways stream: the export reads through a server-side cursor (PostgreSQL) in one snapshot,
the import writes a thousand rows at a time (COPY on PostgreSQL). The import is one transaction: a line it can't
take, a trailer that doesn't match, or a database that refuses a row leaves the target as it
was. Ids are kept, and PostgreSQL's sequences are moved past them. Encrypted columns are moved
as stored: the new install needs the same PACER_SECRET_KEY."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Integer, Table, create_engine, func, literal, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from storage.migrate import MIGRATIONS
from storage.models import ConfigStamp
from storage.moving_codec import BadValue, checker, decode, encode_row, is_json
from storage.moving_tables import moved_tables

FORMAT = 1
BATCH = 1000
SQLITE_CACHE_KIB = 64 * 1024
EXAMPLE_ROW = '{"t": "workspace", "r": {"id": 1, …}}'


class MoveError(Exception):
    """Why a file can't be imported (or a database can't take it); ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class TableCount:
    table: str
    in_file: int = 0
    written: int = 0
    in_database: int | None = None  # COUNT(*) after the commit

    @property
    def ok(self) -> bool:
        return self.in_file == self.written == self.in_database


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


# ---------------------------------------------------------------- export


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only view of the whole database while the export runs, writers going on."""
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        with engine.connect() as conn:  # a database in memory: only this engine reaches it
            yield conn
        return
    if engine.dialect.name == "sqlite":
        # A plain connection (not Pacer's turn-taking writer): its BEGIN holds a WAL read
        # snapshot without making the app's writers wait.
        reader = create_engine(engine.url, poolclass=NullPool)
        try:
            with reader.connect() as conn:
                conn.exec_driver_sql("BEGIN")
                yield conn
                conn.rollback()
        finally:
            reader.dispose()
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn
        conn.rollback()


def export_all(engine: Engine, out: BinaryIO, now: datetime) -> dict[str, int]:
    """Write the install to ``out``; the rows per table, in the order written."""
    tables = moved_tables()
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with _snapshot(engine) as conn:
        out.write(
            _dumps(
                {
                    "pacer_export": FORMAT,
                    "revision": MigrationContext.configure(conn).get_current_revision(),
                    "dialect": engine.dialect.name,
                    "exported_at": now.isoformat(),
                    "tables": [t.name for t in tables],
                }
            )
        )
        streaming = conn.execution_options(yield_per=BATCH)
        for table in tables:
            columns = [(c.name, is_json(c)) for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            n = 0
            for row in streaming.execute(select(table).order_by(*order)):
                line = _dumps({"t": table.name, "r": encode_row(columns, row)})
                digest.update(line)
                out.write(line)
                n += 1
            counts[table.name] = n
        out.write(
            _dumps(
                {
                    "end": {
                        "counts": counts,
                        "rows": sum(counts.values()),
                        "sha256": digest.hexdigest(),
                    }
                }
            )
        )
    return counts


# ---------------------------------------------------------------- import


def read_header(line: bytes | None) -> dict:
    """The header of a file, checked against this Pacer's migrations."""
    if line is None or not line.strip():
        raise MoveError("the file is empty; make one with `pacer export all > backup.jsonl`", 1)
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or "pacer_export" not in header:
        raise MoveError(
            'not a Pacer export: its first line should be the header {"pacer_export": 1, '
            '"revision": …}; make the file with `pacer export all > backup.jsonl`',
            1,
        )
    if header["pacer_export"] != FORMAT:
        raise MoveError(
            f"format {header['pacer_export']!r}; this Pacer reads format {FORMAT}: import it "
            "with the Pacer version that exported it",
            1,
        )
    revision, head = header.get("revision"), head_revision()
    if revision != head:
        if revision not in known_revisions():
            raise MoveError(
                f"the file was exported by a newer Pacer (schema revision {revision}; this "
                f"Pacer knows up to {head}): upgrade Pacer to that version, then import",
                1,
            )
        raise MoveError(
            f"the file was exported at schema revision {revision} and this Pacer is at {head}: "
            f"export again after upgrading the old install (its migrations bring the data to "
            f"{head}), or import with the Pacer version that exported it, then upgrade",
            1,
        )
    return header


def _refuse_non_empty(conn: Connection, tables: list[Table]) -> None:
    there = []
    for table in tables:
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            there.append(f"{table.name} ({n} row{'s' if n != 1 else ''})")
    if there:
        raise MoveError(
            "the target database isn't empty: it holds "
            + ", ".join(there)
            + ". `pacer import all` only fills an empty database, so nothing is overwritten: "
            "point DATABASE_URL at a new database (Pacer creates its tables), or drop and "
            "recreate this one"
        )


class _Loader:
    """Rows from the file into the open transaction, a batch per table at a time."""

    def __init__(self, conn: Connection, tables: list[Table]):
        self.conn = conn
        self.tables = {t.name: t for t in tables}
        self.counts = {t.name: TableCount(t.name) for t in tables}
        self.digest = hashlib.sha256()
        self.table: Table | None = None
        self.batch: list[dict] = []
        self.first_line = 0
        self.plans: dict[str, tuple] = {}

    def parse(self, number: int, raw: bytes):
        try:
            return json.loads(raw)
        except ValueError as error:
            raise MoveError(
                f"not JSON ({getattr(error, 'msg', error)}); each line after the header is "
                f"one row, like {EXAMPLE_ROW}",
                number,
            ) from None

    def row(self, number: int, raw: bytes, obj) -> None:
        self.digest.update(raw)
        if (
            not isinstance(obj, dict)
            or set(obj) != {"t", "r"}
            or not isinstance(obj["t"], str)
            or not isinstance(obj["r"], dict)
        ):
            raise MoveError(f"not a row line; a row line is like {EXAMPLE_ROW}", number)
        table = self.tables.get(obj["t"])
        if table is None:
            raise MoveError(
                f"unknown table {obj['t']!r}; this Pacer moves {', '.join(self.tables)}", number
            )
        self.add(number, table, self.values(number, table, obj["r"]))

    def values(self, number: int, table: Table, row: dict) -> dict:
        names, plan = self.plan(table)
        if row.keys() != names:
            unknown = [name for name in row if name not in names]
            if unknown:
                raise MoveError(
                    f"table {table.name} has no column {unknown[0]!r} (its columns: "
                    f"{', '.join(c.name for c in table.columns)})",
                    number,
                )
            missing = [c.name for c in table.columns if c.name not in row]
            raise MoveError(f"the {table.name} row lacks {', '.join(missing)}", number)
        out = {}
        for name, nullable, check in plan:
            value = row[name]
            if type(value) in (dict, list):
                try:
                    value = decode(value)
                except BadValue as error:
                    raise MoveError(f"{table.name}.{name}: {error}", number) from None
            if value is None:
                if not nullable:
                    raise MoveError(
                        f"{table.name}.{name} is NULL but the column is NOT NULL", number
                    )
            elif check is not None:
                why = check(value)
                if why:
                    raise MoveError(f"{table.name}.{name} {why}", number)
            out[name] = value
        return out

    def plan(self, table: Table):
        """The column names, and per column: name, nullable, a check of its values."""
        found = self.plans.get(table.name)
        if found is None:
            columns = list(table.columns)
            found = {c.name for c in columns}, [(c.name, c.nullable, checker(c)) for c in columns]
            self.plans[table.name] = found
        return found

    def add(self, number: int, table: Table, values: dict) -> None:
        if table is not self.table or len(self.batch) >= BATCH:
            self.flush(number - 1)
            self.table, self.first_line = table, number
        self.batch.append(values)
        self.counts[table.name].in_file += 1

    def flush(self, last_line: int) -> None:
        if not self.batch:
            return
        assert self.table is not None
        driver_error = self.conn.dialect.loaded_dbapi.Error
        try:
            if self.conn.dialect.name == "postgresql":
                self.copy(self.table, self.batch)
            else:
                self.conn.execute(self.table.insert(), self.batch)
        except (DBAPIError, driver_error) as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise MoveError(
                f"the database refused a {self.table.name} row of lines "
                f"{self.first_line}–{last_line}: {reason}"
            ) from None
        self.counts[self.table.name].written += len(self.batch)
        self.batch = []

    def copy(self, table: Table, rows: list[dict]) -> None:
        """PostgreSQL: the rows through COPY, several times faster than an INSERT per row. The
        values are first what SQLAlchemy would bind (SQLModel's UTCDateTime: in UTC, refusing
        a naive time; JSON: serialized)."""
        dialect = self.conn.dialect
        quote = dialect.identifier_preparer.quote
        columns = [(c.name, c.type.bind_processor(dialect)) for c in table.columns]
        sql = (
            f"COPY {quote(table.name)} ({', '.join(quote(name) for name, _ in columns)}) FROM STDIN"
        )
        driver = self.conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        row[name] if bind is None or row[name] is None else bind(row[name])
                        for name, bind in columns
                    ]
                )

    def trailer(self, number: int, end) -> None:
        if not isinstance(end, dict) or not isinstance(end.get("counts"), dict):
            raise MoveError('a trailer is {"end": {"counts": {table: rows}, "sha256": …}}', number)
        for name, n in end["counts"].items():
            if name not in self.counts:
                raise MoveError(f"the trailer counts unknown table {name!r}", number)
            if n != self.counts[name].in_file:
                raise MoveError(
                    f"the trailer counts {n} {name} rows but the file holds "
                    f"{self.counts[name].in_file}: it was changed or cut after export; "
                    "export it again",
                    number,
                )
        left_out = [
            c.table for c in self.counts.values() if c.in_file and c.table not in end["counts"]
        ]
        if left_out:
            raise MoveError(
                f"the trailer doesn't count {', '.join(left_out)}, which the file holds rows of: "
                "it was changed after export; export it again",
                number,
            )
        if end.get("sha256") != self.digest.hexdigest():
            raise MoveError(
                "the rows' checksum doesn't match the trailer's: the file was changed after "
                "export; export it again",
                number,
            )


def _after_rows(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL's sequences past the kept ids; the target's config stamp moved on."""
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        for table in tables:
            key = list(table.primary_key.columns)
            if len(key) != 1 or not isinstance(key[0].type, Integer):
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": quote(table.name), "c": key[0].name},
            ).scalar()
            if sequence:
                conn.execute(
                    text(
                        f"SELECT setval(:s, COALESCE((SELECT MAX({quote(key[0].name)}) "
                        f"FROM {quote(table.name)}), 0) + 1, false)"
                    ),
                    {"s": sequence},
                )
    stamp = ConfigStamp.__table__
    conn.execute(stamp.update().values(version=stamp.c.version + 1))


def import_all(engine: Engine, lines: Iterable[bytes]) -> list[TableCount]:
    """Load an export into ``engine``'s empty, migrated database in one transaction; the counts
    per table (in the file, written, and counted in the database after the commit). Raises
    MoveError, having written nothing, for anything that doesn't fit."""
    tables = moved_tables()
    numbered = enumerate(lines, start=1)
    first = next(numbered, (1, None))[1]
    revision = read_header(first)["revision"]
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # A big page cache while the indexes of a large table are built row by row.
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now: nobody slips in
        try:
            there = MigrationContext.configure(conn).get_current_revision()
            if there != revision:
                raise MoveError(
                    f"the target database is at schema revision {there or 'none'}, the file at "
                    f"{revision}: let Pacer migrate it first (`pacer import all` does, as "
                    "every command does)"
                )
            _refuse_non_empty(conn, tables)
            loader, last = _Loader(conn, tables), 1
            ended = False
            for number, raw in numbered:
                last = number
                if ended:
                    if raw.strip():
                        raise MoveError(
                            "a line after the trailer; the trailer ends the file", number
                        )
                    continue
                obj = loader.parse(number, raw)
                if isinstance(obj, dict) and "end" in obj:
                    loader.flush(number - 1)
                    loader.trailer(number, obj["end"])
                    ended = True
                    continue
                loader.row(number, raw, obj)
            if not ended:
                raise MoveError(
                    f"the file ends after line {last} without its trailer line "
                    '({"end": {"counts": …}}): it was cut short; export it again'
                )
            _after_rows(conn, tables)
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            if conn.dialect.name == "sqlite":
                with suppress(DBAPIError):  # never hides why the import stopped
                    conn.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default again
    counts = loader.counts
    with engine.connect() as conn:
        for table in tables:
            counts[table.name].in_database = conn.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
    return [counts[t.name] for t in tables]


__all__ = ["MoveError", "TableCount", "export_all", "import_all"]
