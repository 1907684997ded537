"""Create or upgrade the schema with Alembic, on every start."""

import fcntl
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the database to the newest revision; the revisions before and after, read under
    the lock. On PostgreSQL an advisory lock keeps a web process and a clock process (or several
    web replicas) that start together from migrating at the same time."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(7402)"))
            try:
                return _upgrade(engine)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(7402)"))
                conn.commit()
    elif engine.url.database and engine.url.database != ":memory:":
        # SQLite has no advisory locks: an exclusive lock on a file beside the database does the
        # same for a web and a clock process starting together.
        with open(f"{engine.url.database}.migrate-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return _upgrade(engine)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return _upgrade(engine)


def _upgrade(engine: Engine) -> tuple[str | None, str | None]:
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision of the migrations shipped with this Pacer."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
