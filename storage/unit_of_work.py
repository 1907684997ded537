"""One unit of work = one transaction: what a request (or one step of a ritual) writes lands
together, or, on any refusal or error, not at all. Nothing else in Pacer commits or rolls back.

    with unit_of_work(engine) as session:
        log_queries.insert_logs(session, rows)   # storage functions flush, never commit
    # committed here; an exception inside the block rolled everything back and propagates
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from storage.errors import DatabaseUnavailable

__all__ = ["DatabaseUnavailable", "Session", "rehearsal", "unit_of_work"]


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as error:
        session.rollback()
        raise DatabaseUnavailable(str(error.orig or error)) from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def rehearsal(engine: Engine) -> Iterator[Session]:
    """A unit of work that is always rolled back: a dry run (`pacer import … --dry-run`, the
    summary of a CSV shared in Slack) does exactly what the real run would, and keeps nothing."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except OperationalError as error:
        raise DatabaseUnavailable(str(error.orig or error)) from error
    finally:
        session.rollback()
        session.close()
