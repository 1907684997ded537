"""storage/time_off_queries.py on SQLite and PostgreSQL: days away added once per rep and day
(a second request, or two at once, store nothing more), cancelled and kept, listed."""

import threading
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import select

from storage import time_off_queries as q
from storage.models import TimeOff
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, fresh

MON, TUE, WED, FRI = date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 25)


def _live(session) -> int:
    return session.exec(
        select(func.count()).select_from(TimeOff).where(TimeOff.cancelled_at.is_(None))
    ).one()


def test_days_are_added_once_each(engine, session, ws):
    first = q.add_days(session, ws.id, "U1", [TUE, MON], note="Ski", entered_by="U1", now=NOW)
    again = q.add_days(session, ws.id, "U1", [MON, TUE, WED], note="", entered_by="U1", now=NOW)
    other = q.add_days(session, ws.id, "U2", [MON], note="", entered_by="UM", now=NOW)
    session.commit()
    assert first == [MON, TUE] and again == [WED] and other == [MON]
    assert q.add_days(session, ws.id, "U1", [], note="", entered_by="U1", now=NOW) == []
    with fresh(engine) as s:
        assert _live(s) == 4
        rows = q.entries(s, ws.id, ["U1"], MON, FRI)
        assert [(r.day, r.note, r.entered_by) for r in rows] == [
            (MON, "Ski", "U1"),
            (TUE, "Ski", "U1"),
            (WED, "", "U1"),
        ]
        assert q.days_away(s, ws.id, ["U1", "U2", "U3"], MON, MON) == {
            "U1": frozenset({MON}),
            "U2": frozenset({MON}),
        }


def test_cancelled_days_stay_marked_and_can_be_added_again(engine, session, ws):
    q.add_days(session, ws.id, "U1", [MON, TUE, WED], note="", entered_by="U1", now=NOW)
    later = NOW + timedelta(hours=1)
    assert q.cancel_days(session, ws.id, "U1", MON, TUE, cancelled_by="UM", now=later) == [
        MON,
        TUE,
    ]
    assert q.cancel_days(session, ws.id, "U1", MON, TUE, cancelled_by="UM", now=later) == []
    assert q.add_days(session, ws.id, "U1", [MON], note="back", entered_by="U1", now=later) == [MON]
    session.commit()
    with fresh(engine) as s:
        assert q.days_away(s, ws.id, ["U1"], MON, FRI) == {"U1": frozenset({MON, WED})}
        rows = s.exec(select(TimeOff).where(TimeOff.day == TUE)).all()
        assert [(r.cancelled_by, r.cancelled_at is not None) for r in rows] == [("UM", True)]
        assert s.exec(select(func.count()).select_from(TimeOff)).one() == 4
    assert q.entries(session, ws.id, [], MON, FRI) == []


def test_two_requests_at_once_store_each_day_once(engine, ws):
    barrier = threading.Barrier(2)
    stored: list[list[date]] = []

    def add() -> None:
        with unit_of_work(engine) as s:
            barrier.wait()
            stored.append(q.add_days(s, ws.id, "U1", [MON, TUE], note="", entered_by="U1", now=NOW))

    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(days) for days in stored) == [0, 2]
    with fresh(engine) as s:
        assert _live(s) == 2
