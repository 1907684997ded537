"""Ingested activity: the set-based reads and writes behind rituals/ingest. A batch of items
costs a fixed handful of statements (what is stored under the batch's keys, the owners, one
executemany per kind of write), never one round trip per item.

Keys are (source, external_id) within a workspace: activity_log's ``uq_log_external`` and
held_activity's ``uq_held_key``."""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, TypeVar

from sqlalchemy import String, any_, bindparam, cast, delete, func, true, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from storage import db
from storage.api_models import HeldActivity, OwnerAlias
from storage.models import ActivityLog, Member, UserProfile

T = TypeVar("T")
Key = tuple[str, str]  # (source, external_id)

# Bound parameters per IN list: far under SQLite's and PostgreSQL's limits.
CHUNK = 2000

LOG = ActivityLog.__table__
HELD = HeldActivity.__table__


class StoredLog(NamedTuple):
    """What activity_log holds under one key (voided rows too: a deletion is kept)."""

    id: int
    rep_id: str
    team_id: int
    kpi: str
    count: int
    occurred_on: date
    voided: bool
    voided_by: str | None
    process_version_id: int | None


def _in(session: Session, column, values: list):
    """``column IN (values)``; on PostgreSQL ``column = ANY(%s)`` with one array parameter: a
    thousand bound parameters cost SQLAlchemy more to render than the query costs to run."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def _keyed(session: Session, table, source_column, columns, workspace_id, source, ids):
    """The rows of ``table`` under (workspace, source, external_id in ``ids``), one index probe
    per id. On PostgreSQL the ids are an unnest()ed array, each looked up by a LATERAL
    subquery with LIMIT 1 (the key is unique): a filter ``= ANY(array)``, or a plain join, let
    the planner read every row of the workspace and source whenever its statistics said the
    table was small — a table still filling up (a first import) was read whole for every
    batch, 330 ms a batch at 10,000 rows (bench/ingest.py)."""
    dialect = session.get_bind().dialect.name
    key = (table.name, dialect)  # one set of columns per table (stored_logs, held_items)
    query = _keyed_queries.get(key)
    if query is None:
        query = _keyed_queries[key] = _keyed_query(dialect, table, source_column, columns)
    values = list(ids) if dialect == "postgresql" else json.dumps(list(ids))
    return session.connection().execute(
        query, {"k_ws": workspace_id, "k_source": source, "k_ids": values}
    )


# Built once per table and dialect: building the LATERAL query anew cost ~1-2 ms a batch.
_keyed_queries: dict[tuple[str, str], object] = {}


def _keyed_query(dialect: str, table, source_column, columns):
    c = table.c
    where = (c.workspace_id == bindparam("k_ws"), source_column == bindparam("k_source"))
    if dialect == "postgresql":
        keys = (
            func.unnest(bindparam("k_ids", type_=ARRAY(String)))
            .table_valued("external_id")
            .render_derived(name="k")
        )
        found = (
            select(*columns)
            .where(*where, c.external_id == keys.c.external_id)
            .limit(1)
            .lateral("found")
        )
        return select(*found.c).select_from(keys.join(found, true()))
    # One JSON parameter rather than a thousand: SQLAlchemy renders each of those (9 ms a
    # batch); SQLite reads the list into a table and probes the unique index with it.
    keys = func.json_each(bindparam("k_ids", type_=String)).table_valued("value")
    return select(*columns).where(*where, c.external_id.in_(select(keys.c.value)))


_LOG_KEYED = (
    LOG.c.ext_source,
    LOG.c.external_id,
    LOG.c.id,
    LOG.c.rep_id,
    LOG.c.team_id,
    LOG.c.kpi,
    LOG.c.count,
    cast(LOG.c.occurred_on, String),
    LOG.c.voided_at.is_not(None),
    LOG.c.voided_by,
    LOG.c.process_version_id,
)
_HELD_KEYED = (
    HELD.c.source,
    HELD.c.external_id,
    HELD.c.id,
    HELD.c.owner,
    HELD.c.kpi,
    HELD.c.count,
    HELD.c.occurred_at,
)


def _by_source(keys: Iterable[Key]) -> Iterator[tuple[str, list[str]]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for source, external_id in keys:
        grouped[source].add(external_id)
    for source, ids in grouped.items():
        ordered = sorted(ids)
        for i in range(0, len(ordered), CHUNK):
            yield source, ordered[i : i + CHUNK]


def stored_logs(session: Session, workspace_id: int, keys: Iterable[Key]) -> dict[Key, StoredLog]:
    """What is stored under the keys. The date comes as text and "voided" as a flag: turning
    SQLite's stored text into date and datetime objects row by row cost more than the query."""
    out: dict[Key, StoredLog] = {}
    c = LOG.c
    for source, ids in _by_source(keys):
        rows = _keyed(session, LOG, c.ext_source, _LOG_KEYED, workspace_id, source, ids)
        for row in rows.fetchall():
            day = date.fromisoformat(row[7][:10])
            out[(row[0], row[1])] = StoredLog(*row[2:7], day, bool(row[8]), row[9], row[10])
    return out


# The columns of a new ingested row, in the order insert_logs takes them (the rest are
# NULL: trigger_id, replaces_id).
LOG_INSERT = (
    "workspace_id",
    "team_id",
    "rep_id",
    "entered_by",
    "kpi",
    "count",
    "occurred_on",
    "created_at",
    "source",
    "batch_id",
    "note",
    "process_version_id",
    "voided_at",
    "voided_by",
    "ext_source",
    "external_id",
)


def insert_logs(session: Session, rows: list[tuple]) -> None:
    """Every new row (a tuple in ``LOG_INSERT``'s order) straight to the driver: SQLAlchemy's
    per-row parameter handling cost more than the insert itself, and so did building a dict
    per row (bench/ingest.py). Values pass through the columns' own bind processors where the
    dialect has one (SQLite's dates and times), so they are stored exactly as the ORM stores
    them."""
    if rows:
        _executemany(session, LOG, LOG_INSERT, rows)


def _executemany(session: Session, table, names: tuple[str, ...], rows: list[tuple]) -> None:
    connection = session.connection()
    dialect = connection.dialect
    mark = {"qmark": "?", "numeric": "?", "format": "%s", "pyformat": "%s"}[dialect.paramstyle]
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join([mark] * len(names))})"
    )
    processors = [table.c[n].type._cached_bind_processor(dialect) for n in names]
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    values = rows
    if convert:  # SQLite's dates and times; on both, the UTC conversion of aware times
        # Memoized per value object: a batch's rows share one "now" (created_at, voided_at),
        # converted 2,000 times a batch before (~0.5 ms of CPU on PostgreSQL).
        memo = [(i, process, {}) for i, process in convert]  # a dict per column
        values = []
        for row in rows:
            one = list(row)
            for i, process, seen in memo:
                value = one[i]
                hit = seen.get(id(value))
                if hit is None or hit[0] is not value:
                    hit = seen[id(value)] = (value, process(value))
                one[i] = hit[1]
            values.append(tuple(one))
    if dialect.name != "postgresql":
        connection.exec_driver_sql(sql, values)  # SQLite: in-process, executemany is cheapest
        return
    # PostgreSQL: COPY, in the request's transaction. executemany sends a statement per row;
    # a multi-row VALUES makes the driver parse 13,000 markers, and unnest()ed arrays are
    # built in Python; COPY streams the rows in the driver's C code (bench/ingest.py). Binary,
    # with the columns' types given: the driver then formats a row without looking up each
    # value's type (1.2 ms of CPU a batch of 1,000 instead of 3.1 ms).
    quoted = ", ".join(quote(n) for n in names)
    types = _copy_types(table, names)
    binary = " (FORMAT BINARY)" if types else ""
    statement = f"COPY {quote(table.name)} ({quoted}) FROM STDIN{binary}"
    driver = connection.dialect.loaded_dbapi
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            if types:
                copy.set_types(types)
            for row in values:
                copy.write_row(row)
    except driver.IntegrityError as error:  # a key a concurrent request took: retrying() retries
        raise IntegrityError(statement, None, error) from error
    except driver.OperationalError as error:  # the unit of work answers "database unavailable"
        raise OperationalError(statement, None, error) from error
    finally:
        cursor.close()


# PostgreSQL's names of the column types a binary COPY formats (by the start of the type's DDL).
_PG_TYPES = (
    ("INTEGER", "int4"),
    ("BIGINT", "int8"),
    ("VARCHAR", "varchar"),
    ("TEXT", "text"),
    ("DATE", "date"),
    ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
    ("BOOLEAN", "bool"),
)
_copy_types_cache: dict[tuple, list[str] | None] = {}


def _copy_types(table, names: tuple[str, ...]) -> list[str] | None:
    """The columns' PostgreSQL type names, or None when one is not in _PG_TYPES (then the COPY
    is text, which PostgreSQL parses whatever the type)."""
    key = (table.name, names)
    if key not in _copy_types_cache:
        out: list[str] | None = []
        for name in names:
            ddl = table.c[name].type.compile(dialect=postgresql.dialect())
            found = next((pg for start, pg in _PG_TYPES if ddl.startswith(start)), None)
            if found is None:
                out = None
                break
            out.append(found)
        _copy_types_cache[key] = out
    return _copy_types_cache[key]


_LOG_SET = ("rep_id", "team_id", "kpi", "count", "occurred_on", "process_version_id")


def update_logs(session: Session, rows: list[dict]) -> None:
    """Rows whose values changed, in place, by id: each dict has ``id`` and the columns in
    ``_LOG_SET``. Voiding and restoring are void_logs / unvoid_logs."""
    if not rows:
        return
    statement = (
        update(LOG)
        .where(LOG.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in _LOG_SET})
    )
    session.connection().execute(
        statement, [{f"b_{k}": row[k] for k in ("id", *_LOG_SET)} for row in rows]
    )


def unvoid_logs(session: Session, ids: list[int]) -> None:
    """Count these rows again (an item deleted at the source, then sent again)."""
    if ids:
        session.connection().execute(
            update(LOG).where(LOG.c.id == bindparam("b_id")).values(voided_at=None, voided_by=None),
            [{"b_id": i} for i in ids],
        )


def void_logs(session: Session, ids: list[int], by: str, now: datetime) -> None:
    if ids:
        session.connection().execute(
            update(LOG)
            .where(LOG.c.id == bindparam("b_id"))
            .values(voided_at=bindparam("b_at"), voided_by=bindparam("b_by")),
            [{"b_id": i, "b_at": now, "b_by": by} for i in ids],
        )


def retrying(session: Session, work: Callable[[], T], attempts: int = 3) -> T:
    """Run ``work`` inside a savepoint; when a unique key it writes was taken by a concurrent
    request meanwhile, undo its writes and run it again on what is stored now."""
    for attempt in range(attempts):
        try:
            with db.savepoint(session):
                return work()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# -- the held queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldItem:
    id: int
    owner: str
    kpi: str
    count: int
    occurred_at: datetime


def held_items(session: Session, workspace_id: int, keys: Iterable[Key]) -> dict[Key, HeldItem]:
    """What is held under the keys that are held."""
    out: dict[Key, HeldItem] = {}
    c = HELD.c
    for source, ids in _by_source(keys):
        rows = _keyed(session, HELD, c.source, _HELD_KEYED, workspace_id, source, ids)
        for row in rows:
            out[(row[0], row[1])] = HeldItem(*row[2:])
    return out


def delete_held(session: Session, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        session.connection().execute(
            delete(HELD).where(_in(session, HELD.c.id, ids[i : i + CHUNK]))
        )


def hold(session: Session, rows: list[dict]) -> None:
    """Insert held items (their keys are free: the caller deleted what was held under them)."""
    if rows:
        names = tuple(rows[0])
        _executemany(session, HELD, names, [tuple(row[n] for n in names) for row in rows])


def has_held(session: Session, workspace_id: int) -> bool:
    return (
        session.exec(
            select(HeldActivity.id).where(HeldActivity.workspace_id == workspace_id).limit(1)
        ).first()
        is not None
    )


def held_for_owner(session: Session, workspace_id: int, owner_key: str) -> list[HeldActivity]:
    return list(
        session.exec(
            select(HeldActivity)
            .where(HeldActivity.workspace_id == workspace_id, HeldActivity.owner_key == owner_key)
            .order_by(HeldActivity.received_at, HeldActivity.id)
        )
    )


@dataclass(frozen=True)
class HeldOwner:
    owner: str  # as first sent
    owner_key: str
    items: int
    total: int  # the counts, summed
    first_received: datetime
    last_received: datetime
    sources: tuple[str, ...]


def held_summary(session: Session, workspace_id: int) -> list[HeldOwner]:
    """One line per unmatched owner, the most items first."""
    h = HeldActivity
    rows = session.exec(
        select(
            func.min(h.owner),
            h.owner_key,
            func.count(),
            func.sum(h.count),
            func.min(h.received_at),
            func.max(h.received_at),
        )
        .where(h.workspace_id == workspace_id)
        .group_by(h.owner_key)
        .order_by(func.count().desc(), h.owner_key)
    ).all()
    sources: dict[str, set[str]] = defaultdict(set)
    for key, source in session.exec(
        select(h.owner_key, h.source).where(h.workspace_id == workspace_id).distinct()
    ):
        sources[key].add(source)
    return [
        HeldOwner(o, k, int(n), int(t or 0), a, b, tuple(sorted(sources[k])))
        for o, k, n, t, a, b in rows
    ]


# -- owners -----------------------------------------------------------------------------------


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(values))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _pairs(session: Session, workspace_id: int, key, value, keys: Iterable[str]) -> dict[str, str]:
    """``key`` -> ``value`` for the workspace's rows whose ``key`` is in ``keys`` (two columns
    of one table with a workspace_id), looked up a chunk at a time."""
    table = key.class_
    out: dict[str, str] = {}
    for chunk in _chunks(keys):
        out.update(
            session.exec(
                select(key, value).where(
                    table.workspace_id == workspace_id, _in(session, key, chunk)
                )
            ).all()
        )
    return out


def aliases(session: Session, workspace_id: int, keys: Iterable[str]) -> dict[str, str]:
    """alias (lowercased) -> Slack user ID."""
    return _pairs(session, workspace_id, col(OwnerAlias.alias), col(OwnerAlias.user_id), keys)


def users_by_email(session: Session, workspace_id: int, emails: Iterable[str]) -> dict[str, str]:
    """email (lowercased) -> Slack user ID, from the cached Slack profiles."""
    return _pairs(session, workspace_id, col(UserProfile.email), col(UserProfile.user_id), emails)


def members(session: Session, workspace_id: int, user_ids: Iterable[str]) -> dict[str, Member]:
    out: dict[str, Member] = {}
    for chunk in _chunks(user_ids):
        for member in session.exec(
            select(Member).where(
                Member.workspace_id == workspace_id, _in(session, col(Member.user_id), chunk)
            )
        ):
            out[member.user_id] = member
    return out


def members_and_timezones(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> tuple[dict[str, Member], dict[str, str]]:
    """The members among ``user_ids`` and the timezones Slack gave them, in one query."""
    members_: dict[str, Member] = {}
    zones: dict[str, str] = {}
    for chunk in _chunks(user_ids):
        query = (
            select(Member, UserProfile.tz)
            .outerjoin(
                UserProfile,
                (UserProfile.workspace_id == Member.workspace_id)
                & (UserProfile.user_id == Member.user_id),
            )
            .where(Member.workspace_id == workspace_id, _in(session, col(Member.user_id), chunk))
        )
        for member, tz in session.exec(query):
            members_[member.user_id] = member
            if tz:
                zones[member.user_id] = tz
    return members_, zones


def save_alias(
    session: Session, workspace_id: int, alias: str, user_id: str, by: str, now: datetime
) -> str | None:
    """Map ``alias`` to ``user_id`` (replacing an earlier mapping); the user it meant before,
    or None."""
    row = session.exec(
        select(OwnerAlias).where(OwnerAlias.workspace_id == workspace_id, OwnerAlias.alias == alias)
    ).first()
    before = row.user_id if row else None
    if row is None:
        row = OwnerAlias(workspace_id=workspace_id, alias=alias, user_id=user_id, mapped_by=by)
    row.user_id, row.mapped_by, row.mapped_at = user_id, by, now
    session.add(row)
    session.flush()
    return before


def list_aliases(session: Session, workspace_id: int) -> list[OwnerAlias]:
    return list(
        session.exec(
            select(OwnerAlias)
            .where(OwnerAlias.workspace_id == workspace_id)
            .order_by(OwnerAlias.alias)
        )
    )


def set_email(session: Session, workspace_id: int, user_id: str, email: str | None) -> bool:
    """Record a person's email on their cached profile; False when no profile is cached."""
    result = session.exec(
        update(UserProfile)
        .where(UserProfile.workspace_id == workspace_id, UserProfile.user_id == user_id)
        .values(email=email.strip().lower() if email else None)
    )
    return result.rowcount == 1
