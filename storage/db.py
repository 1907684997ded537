"""The database engine: an SQLite file by default, PostgreSQL when DATABASE_URL says so."""

from sqlalchemy import event
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


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def insert_ignoring_duplicates(session: Session, table, keys: list[str]):
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` for ``table`` on SQLite and PostgreSQL (add
    ``.values(…)``): a row whose unique key is taken is skipped, and nothing is rolled back.
    None on any other database, where the caller falls back to its unique key."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(session.get_bind().dialect.name)
    if dialect is None:
        return None
    return dialect.insert(table).on_conflict_do_nothing(index_elements=keys)
