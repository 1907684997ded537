"""Days away (storage/time_off_queries.py), on SQLite and PostgreSQL: read in one statement
without cancelled days; added once per rep and day (a second request, or two at once, store
nothing more), cancelled and kept, listed."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import time_off_queries
from storage.models import TimeOff
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, Statements, fresh

WED, FRI = date(2026, 11, 25), date(2026, 11, 27)
DEC21, DEC22, DEC23, DEC25 = (
    date(2026, 12, 21),
    date(2026, 12, 22),
    date(2026, 12, 23),
    date(2026, 12, 25),
)


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


def _live(session) -> int:
    return session.exec(
        select(func.count()).select_from(TimeOff).where(TimeOff.cancelled_at.is_(None))
    ).one()


def test_days_are_added_once_each(engine, session, ws):
    first = time_off_queries.add_days(
        session, ws.id, "U1", [DEC22, DEC21], note="Ski", entered_by="U1", now=NOW
    )
    again = time_off_queries.add_days(
        session, ws.id, "U1", [DEC21, DEC22, DEC23], note="", entered_by="U1", now=NOW
    )
    other = time_off_queries.add_days(
        session, ws.id, "U2", [DEC21], note="", entered_by="UM", now=NOW
    )
    session.commit()
    assert first == [DEC21, DEC22] and again == [DEC23] and other == [DEC21]
    assert (
        time_off_queries.add_days(session, ws.id, "U1", [], note="", entered_by="U1", now=NOW) == []
    )
    with fresh(engine) as s:
        assert _live(s) == 4
        rows = time_off_queries.entries(s, ws.id, ["U1"], DEC21, DEC25)
        assert [(r.day, r.note, r.entered_by) for r in rows] == [
            (DEC21, "Ski", "U1"),
            (DEC22, "Ski", "U1"),
            (DEC23, "", "U1"),
        ]
        assert time_off_queries.days_away(s, ws.id, ["U1", "U2", "U3"], DEC21, DEC21) == {
            "U1": frozenset({DEC21}),
            "U2": frozenset({DEC21}),
        }


def test_cancelled_days_stay_marked_and_can_be_added_again(engine, session, ws):
    time_off_queries.add_days(
        session, ws.id, "U1", [DEC21, DEC22, DEC23], note="", entered_by="U1", now=NOW
    )
    later = NOW + timedelta(hours=1)
    assert time_off_queries.cancel_days(
        session, ws.id, "U1", DEC21, DEC22, cancelled_by="UM", now=later
    ) == [
        DEC21,
        DEC22,
    ]
    assert (
        time_off_queries.cancel_days(
            session, ws.id, "U1", DEC21, DEC22, cancelled_by="UM", now=later
        )
        == []
    )
    assert time_off_queries.add_days(
        session, ws.id, "U1", [DEC21], note="back", entered_by="U1", now=later
    ) == [DEC21]
    session.commit()
    with fresh(engine) as s:
        assert time_off_queries.days_away(s, ws.id, ["U1"], DEC21, DEC25) == {
            "U1": frozenset({DEC21, DEC23})
        }
        rows = s.exec(select(TimeOff).where(TimeOff.day == DEC22)).all()
        assert [(r.cancelled_by, r.cancelled_at is not None) for r in rows] == [("UM", True)]
        assert s.exec(select(func.count()).select_from(TimeOff)).one() == 4
    assert time_off_queries.entries(session, ws.id, [], DEC21, DEC25) == []


def test_two_requests_at_once_store_each_day_once(engine, ws):
    barrier = threading.Barrier(2)
    stored: list[list[date]] = []

    def add() -> None:
        with unit_of_work(engine) as s:
            barrier.wait()
            stored.append(
                time_off_queries.add_days(
                    s, ws.id, "U1", [DEC21, DEC22], note="", entered_by="U1", now=NOW
                )
            )

    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(days) for days in stored) == [0, 2]
    with fresh(engine) as s:
        assert _live(s) == 2
