"""storage/db.py on SQLite and PostgreSQL: what was committed survives a restart (a new engine,
migrated again as every start does)."""

from datetime import date

from storage import db, log_queries, people_queries, process_queries
from storage.migrate import upgrade
from tests.storage.support import NOW, add_member, fresh, make_batch, make_version

TUE = date(2026, 11, 24)


def test_everything_survives_a_restart(database, engine, session, ws, team):
    add_member(session, ws, team, "U_REP", "sdr")
    people_queries.save_profile(session, ws.id, "U_REP", "Rita", "America/New_York", NOW)
    process_queries.add_process_version(session, make_version(ws.id, team.id, "sales 1"))
    log_queries.insert_logs(
        session, make_batch(ws, team, {"calls": 30, "deals": 1}, trigger_id="A")
    )
    undone = make_batch(ws, team, {"calls": 9}, trigger_id="B")
    log_queries.insert_logs(session, undone)
    log_queries.void_batch(session, undone[0].batch_id, "U_REP", NOW)
    session.commit()
    session.close()
    engine.dispose()

    restarted = database.make_engine()
    upgrade(restarted)  # every start migrates
    with db.session(restarted) as s:
        assert people_queries.workspace_for(s, "T0001", None, NOW).id == ws.id
        assert people_queries.default_team(s, ws.id, NOW).id == team.id
        member = people_queries.get_member(s, ws.id, "U_REP")
        assert (member.role, member.active, member.team_id) == ("sdr", True, team.id)
        assert people_queries.get_profile(s, ws.id, "U_REP").tz == "America/New_York"
        assert process_queries.latest_process_version(s, team.id).name == "sales 1"
        assert log_queries.kpi_totals(s, ws.id, "U_REP", TUE, TUE) == {"calls": 30, "deals": 1}
        logs = log_queries.logs_for(s, ws.id, "U_REP", "calls", TUE, TUE)
        assert [(r.count, r.voided_by) for r in logs] == [(30, None), (9, "U_REP")]
        assert (
            log_queries.insert_logs(s, make_batch(ws, team, {"calls": 30}, trigger_id="A")) is False
        )
        assert [r.trigger_id for r in log_queries.last_batch(s, ws.id, "U_REP")] == ["A", "A"]
        assert log_queries.count_logs(s) == 3


def test_a_savepoint_undoes_only_its_block_and_commits_nothing_itself(engine, session, ws, team):
    """What storage functions rely on: a block that raises is undone alone and the caller's
    transaction goes on; a block that ends well is released, not committed (on SQLite too,
    where the savepoint may be the first thing the transaction sends)."""
    with db.savepoint(session):
        log_queries.insert_logs(session, make_batch(ws, team, {"calls": 1}, trigger_id="kept"))
    try:
        with db.savepoint(session):
            session.add(make_batch(ws, team, {"calls": 2}, trigger_id="undone")[0])
            raise RuntimeError("the block fails")
    except RuntimeError:
        pass
    with fresh(engine) as other:
        assert log_queries.count_logs(other) == 0  # nothing committed yet
    session.rollback()
    with fresh(engine) as other:
        assert log_queries.count_logs(other) == 0  # the released block went with the rollback
    with db.savepoint(session):
        log_queries.insert_logs(session, make_batch(ws, team, {"calls": 3}, trigger_id="last"))
    session.commit()
    with fresh(engine) as other:
        assert [r.count for r in log_queries.logs_by_trigger(other, ws.id, "last")] == [3]
        assert log_queries.count_logs(other) == 1


def test_ping_reaches_the_database(engine):
    db.ping(engine)  # raises when the database is unreachable
