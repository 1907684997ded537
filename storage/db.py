"""The database engine: an SQLite file by default, PostgreSQL when DATABASE_URL says so; and
the two ways a storage function survives a taken unique key without ending the caller's
transaction (``insert_ignoring_duplicates``, ``savepoint``)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

DEFAULT_URL = "sqlite:///pacer.db"


def normalize_url(url: str) -> str:
    """Heroku-style ``postgres://`` and plain ``postgresql://`` URLs use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = normalize_url(url or DEFAULT_URL)
    if make_url(url).get_backend_name() == "sqlite":
        # Enough pooled connections for every request thread and after-ack worker of `pacer serve`.
        if make_url(url).database not in (None, "", ":memory:"):
            kwargs.setdefault("pool_size", 24)
            kwargs.setdefault("max_overflow", 16)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 2.5}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and one writer work at once. The busy timeout makes a second writer wait
    # instead of failing, but less than Slack's 3 s: a jammed write fails and stores nothing,
    # rather than landing after Slack gave up and the rep typed it again. synchronous=FULL makes
    # every commit durable before /log is acknowledged.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=2500")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


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
    durable. A deferred BEGIN first (it takes no lock) keeps the savepoint inside the caller's
    transaction. What the session holds unflushed is flushed before, so it isn't undone with
    the block."""
    session.flush()
    connection = session.connection()
    if (
        connection.dialect.name == "sqlite"
        and not connection.connection.driver_connection.in_transaction
    ):
        connection.exec_driver_sql("BEGIN")
    with session.begin_nested():
        yield
