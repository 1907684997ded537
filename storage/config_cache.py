"""The reads every request makes and almost no request changes — a team's process version, its
settings and roster, admins, days away, people's profiles — cached in memory, per process, under
the database's config stamp (models.ConfigStamp).

Every transaction that writes one of those tables moves the stamp on as it commits (the
session events below see every write, ORM or statement), so the next request in any worker,
reading the stamp at its start, misses the old entries. A request that has changed one of the
tables itself reads them from the database for the rest of its transaction."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import chain
from typing import TypeVar

from sqlalchemy import event, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from storage.models import ConfigStamp

T = TypeVar("T")

CONFIG_TABLES = frozenset(
    {"workspace", "sales_team", "member", "admin", "process_version", "time_off", "user_profile"}
)
MAX_ENTRIES = 4096

# _CHANGED: a change the stamp has yet to count (counted at the next commit, a savepoint's
# included); _READ_OWN: the transaction changed something, so it reads from the database to its end.
_CHANGED, _READ_OWN, _STAMP = "pacer.config_changed", "pacer.read_own", "pacer.config_stamp"
_entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
_lock = threading.Lock()
# Databases whose stamp row is missing (emptied by a test fixture): nothing is cached for them,
# and they are not asked again until clear().
_unstamped: set[str] = set()


def stamp(session: Session) -> int | None:
    """The config stamp as this transaction sees it (read once per transaction); None where
    the table has no row (a schema made without migrations): nothing is cached then."""
    if _STAMP not in session.info:
        url = str(session.get_bind().url)
        if url in _unstamped:
            return None
        session.info[_STAMP] = session.exec(
            select(ConfigStamp.version).where(ConfigStamp.id == 1)
        ).first()
        if session.info[_STAMP] is None:
            _unstamped.add(url)
    return session.info[_STAMP]


def stamp_column():
    """The stamp as a column of another query (the first query of a request reads it free)."""
    return select(ConfigStamp.version).where(ConfigStamp.id == 1).scalar_subquery()


def remember_stamp(session: Session, value: int | None) -> None:
    session.info.setdefault(_STAMP, value)


def cached(session: Session, key: tuple, load: Callable[[], T]) -> T:
    """``load()``'s value, from the cache when it was stored under the current stamp. Values
    must be immutable (tuples, frozensets, parsed processes); rows go through ``cached_rows``."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # what a query would autoflush, so a pending change counts
    current = None if session.info.get(_READ_OWN) else stamp(session)
    if current is None:
        return load()
    key = (str(session.get_bind().url), *key)
    with _lock:
        found = _entries.get(key)
        if found is not None and found[0] == current:
            _entries.move_to_end(key)
            return found[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _entries[key] = (current, value)
        if len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def cached_rows(
    session: Session, key: tuple, model: type[T], load: Callable[[], list[T]]
) -> list[T]:
    """Like ``cached`` for ORM rows: the cache keeps their column values, and each session gets
    its own instances (merged without a query), so no row object is shared between threads."""
    columns, key_columns = _columns(model)
    values = cached(
        session, key, lambda: tuple({c: getattr(row, c) for c in columns} for row in load())
    )
    rows = []
    for fields in values:
        # A row this session holds already is returned as it is: merging the cached copy onto
        # it would overwrite what the session changed and has yet to flush.
        identity = model.__mapper__.identity_key_from_primary_key(  # type: ignore[attr-defined]
            [fields[c] for c in key_columns]
        )
        held = session.identity_map.get(identity)
        if held is not None:
            rows.append(held)
            continue
        row = model(**fields)
        make_transient_to_detached(row)
        rows.append(session.merge(row, load=False))
    return rows


@functools.cache
def _columns(model: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A model's column attributes, and those of its primary key."""
    mapper = model.__mapper__  # type: ignore[attr-defined]
    return tuple(c.key for c in mapper.column_attrs), tuple(c.key for c in mapper.primary_key)


def unstamped(engine) -> None:
    """The database has no stamp row (a test emptied every table): cache nothing for it."""
    with _lock:
        _unstamped.add(str(engine.url))


def clear() -> None:
    with _lock:
        _entries.clear()
        _unstamped.clear()


# -- seeing the changes -------------------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    for row in chain(session.new, session.dirty, session.deleted):
        if getattr(row, "__tablename__", None) in CONFIG_TABLES:
            session.info[_CHANGED] = session.info[_READ_OWN] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in CONFIG_TABLES:
            state.session.info[_CHANGED] = state.session.info[_READ_OWN] = True


@event.listens_for(Session, "before_commit")
def _bump(session) -> None:
    session.flush()  # the commit's own flush comes after this event
    if session.info.pop(_CHANGED, False):
        session.execute(
            update(ConfigStamp)
            .where(ConfigStamp.id == 1)
            .values(version=ConfigStamp.version + 1)
            .execution_options(synchronize_session=False)
        )


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session, transaction) -> None:
    # Only the outermost: a savepoint rolled back must not forget what the transaction changed
    # before it (the stamp would not move on, and other workers would keep stale reads).
    if transaction.parent is None:
        for key in (_STAMP, _CHANGED, _READ_OWN):
            session.info.pop(key, None)
