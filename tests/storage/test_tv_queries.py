"""The TV's links (one per team, found by the token's hash) and the team's change marker,
which moves on a log, an undo, a contest or a settings change and on nothing else."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from storage import config_cache, db, log_queries, tv_queries
from storage.models import ActivityLog, ConfigStamp
from tests.storage.support import NOW, TODAY, make_log


@pytest.fixture
def stamped(engine):
    """The emptied database gets its stamp row back (the migration's)."""
    with engine.begin() as conn:
        conn.execute(insert(ConfigStamp.__table__).values(id=1, version=4242))
    config_cache.clear()
    return engine


def test_one_link_per_team_found_by_its_hash(session, ws, team):
    assert tv_queries.link_by_hash(session, "a" * 64) is None
    assert tv_queries.replace_link(session, ws.id, team.id, "a" * 64, "UM", NOW)
    assert tv_queries.link_by_hash(session, "a" * 64).team_id == team.id
    assert tv_queries.replace_link(session, ws.id, team.id, "b" * 64, "UM", NOW)
    session.commit()
    assert tv_queries.link_by_hash(session, "a" * 64) is None  # the old link is gone
    assert tv_queries.link_of_team(session, team.id).token_hash == "b" * 64
    assert tv_queries.delete_link(session, team.id)
    assert not tv_queries.delete_link(session, team.id)
    assert tv_queries.link_by_hash(session, "b" * 64) is None


def test_a_link_s_team_is_read_afresh_outside_the_session(engine, session, ws, team):
    """team_of_link reads on its own autocommit connection: what is committed, at once."""
    reader = tv_queries.link_reader(engine)
    assert tv_queries.team_of_link(reader, "c" * 64) is None
    assert tv_queries.replace_link(session, ws.id, team.id, "c" * 64, "UM", NOW)
    assert tv_queries.team_of_link(reader, "c" * 64) is None  # not committed yet
    session.commit()
    assert tv_queries.team_of_link(reader, "c" * 64) == team.id
    assert tv_queries.delete_link(session, team.id)
    session.commit()
    assert tv_queries.team_of_link(reader, "c" * 64) is None
    if reader.pool is not engine.pool:  # PostgreSQL: a pool of its own
        reader.dispose()


def test_a_dropped_connection_is_replaced_once_on_postgresql(engine, session, ws, team):
    """The lookup's pool pings nothing before a checkout: a connection the database dropped
    (a restart) fails once and the lookup is tried again on a new one."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite: the lookup uses the engine's own pool")
    assert tv_queries.replace_link(session, ws.id, team.id, "d" * 64, "UM", NOW)
    session.commit()
    reader = tv_queries.link_reader(engine)
    try:
        with reader.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        assert tv_queries.team_of_link(reader, "d" * 64) == team.id
        with reader.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        reader.dispose()


def test_the_lookups_own_pool_opens_its_connections_beside_the_engines(database, engine):
    """link_reader_connections is what the lookup's pool opens at most in a process beyond the
    engine's pool (`pacer serve` counts both per worker, bot/server.py): measured on PostgreSQL,
    every connection of both pools open at once is its own server backend."""
    if engine.dialect.name != "postgresql":
        assert tv_queries.link_reader_connections(engine) == 0  # it shares the engine's pool
        pytest.skip("SQLite: the lookup uses the engine's own pool")
    small = db.make_engine(
        database.url, connect_args=database.connect_args, pool_size=1, max_overflow=1
    )
    reader = tv_queries.link_reader(small)
    held = []
    try:
        assert tv_queries.link_reader_connections(small) == 4
        for pool in [reader] * 4 + [small] * 2:  # the reader's first: each opens through small
            held.append(pool.connect())
        pids = {conn.execute(text("SELECT pg_backend_pid()")).scalar() for conn in held}
        assert len(pids) == db.connections_per_process(small) + 4 == 6
    finally:
        for conn in held:
            conn.close()
        reader.dispose()
        small.dispose()


def test_the_marker_moves_on_what_the_tv_shows_and_only_then(stamped, session, ws, team):
    since = TODAY - timedelta(days=30)

    def marker():
        session.commit()
        return tv_queries.change_marker(session, team.id, since)

    first = marker()
    assert marker() == first  # nothing changed
    log = make_log(ws, team, count=3)
    log_queries.insert_logs(session, [log])
    logged = marker()
    assert logged != first
    # insert_logs stores through Core (the row gets its id, not a place in the session)
    assert log_queries.void_log(session, session.get(ActivityLog, log.id), "U_REP", NOW)
    voided = marker()
    assert voided not in (first, logged)  # an undo moves it although no row was added
    old = make_log(ws, team, occurred_on=since - timedelta(days=1))
    log_queries.insert_logs(session, [old])
    assert marker() == voided  # a log before the window shows nowhere on the TV
    team.name = "Closers"
    session.add(team)
    assert marker() != voided  # settings, names, roster: the config stamp


def test_recent_logs_newest_first_without_the_voided(session, ws, team):
    logs = [make_log(ws, team, count=n) for n in (1, 2, 3)]
    log_queries.insert_logs(session, logs)
    assert log_queries.void_log(session, logs[2], "U_REP", NOW)
    session.commit()
    recent = tv_queries.recent_logs(session, team.id, TODAY, 5)
    assert [r.count for r in recent] == [2, 1]
