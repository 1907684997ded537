"""The database engine: an SQLite file by default, PostgreSQL when DATABASE_URL says so; and
the two ways a storage function survives a taken unique key without ending the caller's
transaction (``insert_ignoring_duplicates``, ``savepoint``)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from storage import sqlite_writer, wal_sync

DEFAULT_URL = "sqlite:///pacer.db"


def normalize_url(url: str) -> str:
    """Heroku-style ``postgres://`` and plain ``postgresql://`` URLs use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_url_safe(url: str) -> str:
    """The database URL with its password hidden, to show in messages."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as the operator typed it
        return url


def sqlite_path(url: str):
    """The file of an SQLite URL (a Path), or None for an in-memory or a server database."""
    from pathlib import Path

    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = normalize_url(url or DEFAULT_URL)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs) -> Engine:
    path = make_url(url).database
    connect_args = {"check_same_thread": False, "timeout": sqlite_writer.WAIT_S}
    if path not in (None, "", ":memory:"):
        # Enough pooled connections for every request thread and after-ack worker of `pacer serve`.
        kwargs.setdefault("pool_size", 24)
        kwargs.setdefault("max_overflow", 16)
        # Writers of this process take turns (storage/sqlite_writer.py) instead of polling for
        # SQLite's lock.
        connect_args["factory"] = sqlite_writer.WriterConnection
    connect_args.update(kwargs.pop("connect_args", {}))
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    writer = issubclass(connect_args.get("factory", object), sqlite_writer.WriterConnection)

    def on_connect(dbapi_connection, _record) -> None:
        wal = _sqlite_pragmas(dbapi_connection)
        if isinstance(dbapi_connection, sqlite_writer.WriterConnection):
            # Looked up per connection: a forked worker gets its own, not its parent's.
            dbapi_connection.turn = sqlite_writer.turn_for(path)
            if wal:  # group commit: durable after the turn (storage/wal_sync.py)
                dbapi_connection.execute("PRAGMA synchronous=NORMAL").close()
                dbapi_connection.wal_sync = wal_sync.wal_sync_for(os.path.realpath(path))

    event.listen(engine, "connect", on_connect)
    if writer:
        event.listen(engine, "before_cursor_execute", sqlite_writer.before_cursor_execute)
        event.listen(engine, "after_cursor_execute", sqlite_writer.after_cursor_execute)
    return engine


def _sqlite_pragmas(dbapi_connection) -> bool:
    """The settings of every SQLite connection; True when the database is in WAL mode.

    WAL lets readers and one writer work at once. The busy timeout makes a writer wait for a
    write lock held by a program that doesn't take turns (storage/sqlite_writer.py) instead of
    failing, but less than Slack's 3 s: a jammed write fails and stores nothing, rather than
    landing after Slack gave up and the rep typed it again. synchronous=FULL makes every commit
    durable before /log is acknowledged (a turn-taking connection in WAL mode gets the same
    from a group fsync after its turn, storage/wal_sync.py)."""
    cursor = dbapi_connection.cursor()
    journal = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    cursor.execute(f"PRAGMA busy_timeout={int(sqlite_writer.WAIT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
    return str(journal).lower() == "wal"


def autocommit_reader(engine: Engine, size: int = 2) -> Engine:
    """An engine for one tiny read asked on every request (the TV's link lookup): autocommit,
    so no BEGIN and no COMMIT around it. On PostgreSQL it has a small pool of its own, without
    the ping before each checkout: the read is its own ping, tried again once on a fresh
    connection when the pooled one was dropped (a database restart). That halves its round
    trips (bench/tv.py: p50 of a poll 1.6-1.8 ms against 3.2-4.3 ms on a loaded machine). Its
    connections are made by ``engine`` (its URL and options) and taken out of ``engine``'s
    pool: at most ``size`` × 2 more per process, opened on first use (never before a fork)."""
    if engine.dialect.name != "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")

    def connect():
        pooled = engine.raw_connection()
        pooled.detach()
        return pooled.dbapi_connection

    return create_engine(
        engine.url,
        creator=connect,
        pool_size=size,
        max_overflow=size,
        pool_timeout=5,
        isolation_level="AUTOCOMMIT",
    )


def connections_per_process(engine: Engine) -> int:
    """The most connections one process's pool opens at once (pool size + overflow)."""
    pool = engine.pool
    return pool.size() + max(0, getattr(pool, "_max_overflow", 0))


def max_connections(engine: Engine) -> int | None:
    """PostgreSQL's max_connections (every client shares it); None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW max_connections")).scalar_one())


def ping(engine: Engine) -> None:
    """One round trip to the database (``SELECT 1``); raises when it is unreachable."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def session(engine: Engine) -> Session:
    """A bare session whose caller commits, for tests and benchmarks that set up data directly;
    Pacer itself works in units of work (storage/unit_of_work.py)."""
    return Session(engine, expire_on_commit=False)


def insert_ignoring_duplicates(session: Session, table, keys: list[str] | None):
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` for ``table`` on SQLite and PostgreSQL (add
    ``.values(…)``): a row whose unique key is taken is skipped, and nothing is rolled back.
    ``keys`` None: a row that would break any unique key or index is skipped. None on any other
    database, where the caller falls back to its unique key."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(session.get_bind().dialect.name)
    if dialect is None:
        return None
    return dialect.insert(table).on_conflict_do_nothing(index_elements=keys)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """``session.begin_nested()``, also on SQLite: what the block writes is undone alone if it
    raises (a unique key taken by a concurrent request), and the caller's transaction goes on.

    pysqlite opens a transaction only before a write, so a SAVEPOINT sent while none is open
    would start one of its own, and its RELEASE would commit it: half a unit of work would be
    durable. A BEGIN first keeps the savepoint inside the caller's transaction; IMMEDIATE takes
    the write lock at once, so a read in the block can't leave the transaction on a snapshot
    that is stale by the time it writes (SQLITE_BUSY_SNAPSHOT, which no busy timeout cures).
    What the session holds unflushed is flushed before, so it isn't undone with the block."""
    session.flush()
    connection = session.connection()
    if (
        connection.dialect.name == "sqlite"
        and not connection.connection.driver_connection.in_transaction
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    with session.begin_nested():
        yield
