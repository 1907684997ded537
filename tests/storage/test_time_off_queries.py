"""Days away (storage/time_off_queries.py), on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from storage import time_off_queries
from storage.models import TimeOff
from tests.storage.support import NOW, Statements

WED, FRI = date(2026, 11, 25), date(2026, 11, 27)


def day_off(ws, user_id, day, **kw) -> TimeOff:
    return TimeOff(
        workspace_id=ws.id, user_id=user_id, day=day, entered_by=user_id, entered_at=NOW, **kw
    )


def test_days_away_in_one_statement_without_cancelled_days(engine, session, ws):
    session.add_all(
        [
            day_off(ws, "UA", WED),
            day_off(ws, "UA", FRI, cancelled_at=NOW, cancelled_by="UA"),
            day_off(ws, "UB", FRI),
            day_off(ws, "UC", date(2026, 12, 24)),  # outside the dates asked
        ]
    )
    session.commit()
    with Statements(engine) as sql:
        found = time_off_queries.days_away(
            session, ws.id, ["UA", "UB", "UC"], date(2026, 11, 23), date(2026, 11, 29)
        )
    assert len(sql) == 1
    assert found == {"UA": frozenset({WED}), "UB": frozenset({FRI})}
    assert time_off_queries.days_away(session, ws.id, [], WED, FRI) == {}


def test_one_live_row_per_rep_and_day_but_a_cancelled_one_can_be_added_again(session, ws):
    session.add_all([day_off(ws, "UA", WED, cancelled_at=NOW), day_off(ws, "UA", WED)])
    session.commit()  # a cancelled and a live row for the same day: fine
    session.add(day_off(ws, "UA", WED))
    with pytest.raises(IntegrityError):
        session.commit()
