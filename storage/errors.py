"""Errors storage raises that callers above it may handle, without importing SQLAlchemy."""


class DatabaseUnavailable(Exception):
    """The database is busy (an SQLite write lock held past the busy timeout) or unreachable:
    nothing of the unit of work was stored."""
