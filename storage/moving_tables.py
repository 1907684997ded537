"""Which tables `pacer export all` and `pacer import all` move: every table of every MetaData
in ``MOVED``, in foreign-key order, except the few named in ``NOT_MOVED`` with the reason.

A feature whose tables live on a MetaData of their own (slack_sdk's SQLAlchemy installation
and OAuth state stores build theirs) adds that MetaData to ``MOVED``, or names its tables in
``NOT_MOVED``. tests/storage/test_moving_tables.py fails for any table of the migrated
database that is neither, so a new table is never left behind by a move without a decision."""

from sqlalchemy import MetaData, Table
from sqlalchemy.schema import sort_tables
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers Pacer's tables on SQLModel.metadata)

MOVED: tuple[MetaData, ...] = (SQLModel.metadata,)

NOT_MOVED: dict[str, str] = {
    "alembic_version": "the schema's revision: the target is migrated by its own Pacer, and "
    "the file's header carries the revision it must match",
    "config_stamp": "a per-database cache stamp that starts at a random number; the import "
    "moves the target's own on instead, so no process's cache survives the move",
    "api_rate": "each API token's rate-limit bucket: a second or so of request history, "
    "refilled within a second on the new install",
    "slack_oauth_states": "OAuth states of installs in progress, each good for 10 minutes: an "
    "install under way during the move is started again",
    "clock_heartbeat": "the beat of a clock process on the old install, not data: moved, it "
    "would tell `pacer doctor` on the new install that a clock runs there when none may",
}


def moved_tables() -> list[Table]:
    """The tables to move, parents before children (a row's foreign keys point at rows
    already moved)."""
    tables: dict[str, Table] = {}
    for metadata in MOVED:
        for table in metadata.tables.values():
            if table.name in NOT_MOVED:
                continue
            if table.name in tables and tables[table.name] is not table:
                raise RuntimeError(f"two MetaData in MOVED define table {table.name}")
            tables[table.name] = table
    return sort_tables(tables.values())
