"""The cache of teams, people and processes (storage/config_cache.py): a change made anywhere —
this process, another worker process — is seen by the next transaction; until then, reads are
served from memory without a query."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, insert, text

from storage import config_cache, people_queries, time_off_queries
from storage.models import ConfigStamp, Member
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, TODAY

ROOT = Path(__file__).resolve().parents[2]

# Another worker: its own process and engine, a storage function, one unit of work.
OTHER_WORKER = """
import json, sys
from storage import db, people_queries
from storage.unit_of_work import unit_of_work
url, connect_args, workspace_id, user_id = json.loads(sys.argv[1])
engine = db.make_engine(url, **({"connect_args": connect_args} if connect_args else {}))
with unit_of_work(engine) as session:
    member = people_queries.get_member(session, workspace_id, user_id)
    member.role = "ae"
    session.add(member)
"""


@pytest.fixture
def stamped(engine):
    """The emptied database gets its stamp row back (the migration's): caching is on."""
    with engine.begin() as conn:
        conn.execute(insert(ConfigStamp.__table__).values(id=1, version=4242))
    config_cache.clear()
    return engine


@pytest.fixture
def member_queries(stamped):
    """Counts the SELECTs that read member rows."""
    seen = []

    def count(_conn, _cursor, statement, *_):
        if statement.lstrip().startswith("SELECT") and "FROM member" in statement:
            seen.append(statement)

    event.listen(stamped, "before_cursor_execute", count)
    yield seen
    event.remove(stamped, "before_cursor_execute", count)


def _setup(engine):
    with unit_of_work(engine) as session:
        ws = people_queries.workspace_for(session, "T0001", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        session.add(
            Member(
                workspace_id=ws.id,
                team_id=team.id,
                user_id="U1",
                role="sdr",
                added_by="U0",
                added_at=NOW,
            )
        )
    return ws.id, team.id


def _roles(engine, team_id):
    with unit_of_work(engine) as session:
        config_cache.stamp(session)
        return [(m.user_id, m.role) for m in people_queries.roster(session, team_id, TODAY)]


def test_a_second_read_costs_no_query(stamped, member_queries):
    _, team_id = _setup(stamped)
    assert _roles(stamped, team_id) == [("U1", "sdr")]
    before = len(member_queries)
    assert _roles(stamped, team_id) == [("U1", "sdr")]
    assert len(member_queries) == before


def test_a_change_in_another_worker_process_is_seen_at_the_next_request(database, stamped):
    ws_id, team_id = _setup(stamped)
    assert _roles(stamped, team_id) == [("U1", "sdr")]  # cached here
    args = json.dumps([database.url, database.connect_args, ws_id, "U1"])
    subprocess.run([sys.executable, "-c", OTHER_WORKER, args], cwd=ROOT, check=True, timeout=60)
    assert _roles(stamped, team_id) == [("U1", "ae")]


def test_a_write_that_bypasses_storage_is_not_seen_which_proves_the_cache_serves(stamped):
    _, team_id = _setup(stamped)
    assert _roles(stamped, team_id) == [("U1", "sdr")]
    with stamped.begin() as conn:  # raw SQL, no session: the stamp doesn't move
        conn.execute(text("UPDATE member SET role = 'ae'"))
    assert _roles(stamped, team_id) == [("U1", "sdr")]


def test_a_transaction_reads_its_own_changes_and_a_rolled_back_one_moves_nothing(stamped):
    ws_id, team_id = _setup(stamped)
    assert _roles(stamped, team_id) == [("U1", "sdr")]
    with pytest.raises(RuntimeError), unit_of_work(stamped) as session:
        config_cache.stamp(session)
        member = people_queries.get_member(session, ws_id, "U1")
        member.role = "ae"  # pending, not flushed: the cached read must still see it
        session.add(member)
        assert [m.role for m in people_queries.roster(session, team_id, TODAY)] == ["ae"]
        raise RuntimeError("refused")
    assert _roles(stamped, team_id) == [("U1", "sdr")]


def test_days_away_added_are_seen_and_the_stamp_moves_once_per_commit(stamped):
    ws_id, _ = _setup(stamped)

    def away():
        with unit_of_work(stamped) as session:
            return time_off_queries.days_away(session, ws_id, ["U1"], TODAY, TODAY)

    def version():
        with stamped.connect() as conn:
            return conn.execute(text("SELECT version FROM config_stamp")).scalar_one()

    assert away() == {}
    start = version()
    with unit_of_work(stamped) as session:
        time_off_queries.add_days(session, ws_id, "U1", [TODAY], note="", entered_by="U1", now=NOW)
    assert version() == start + 1
    assert away() == {"U1": frozenset({TODAY})}
