"""The clock's heartbeat rows (storage/heartbeat_queries.py), on SQLite and PostgreSQL."""

from datetime import timedelta

from storage import heartbeat_queries
from tests.storage.support import NOW


def test_a_beat_creates_then_stamps_the_clocks_row(session):
    heartbeat_queries.beat(session, "host:1", NOW, NOW)
    heartbeat_queries.beat(session, "host:1", NOW, NOW + timedelta(minutes=1))
    heartbeat_queries.beat(session, "host:2", NOW, NOW + timedelta(seconds=30))
    session.commit()
    beats = heartbeat_queries.beats(session)
    assert [(b.owner, b.beat_at) for b in beats] == [
        ("host:1", NOW + timedelta(minutes=1)),
        ("host:2", NOW + timedelta(seconds=30)),
    ]
    assert all(b.started_at == NOW and b.beat_at.tzinfo is not None for b in beats)


def test_rows_of_clocks_silent_for_a_day_are_pruned_by_the_next_beat(session):
    heartbeat_queries.beat(session, "old:1", NOW, NOW)
    heartbeat_queries.beat(session, "new:2", NOW, NOW + timedelta(days=1, minutes=1))
    session.commit()
    assert [b.owner for b in heartbeat_queries.beats(session)] == ["new:2"]
