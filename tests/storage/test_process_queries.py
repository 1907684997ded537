"""storage/process_queries.py on SQLite and PostgreSQL: versions numbered per scope (a team,
or install-wide), and the install-wide version as every team's fallback."""

from storage import process_queries
from storage.models import SalesTeam
from tests.storage.support import NOW, fresh, make_version


def test_process_versions_are_numbered_per_scope(engine, session, ws, team):
    other_team = SalesTeam(workspace_id=ws.id, name="AEs", created_at=NOW)
    session.add(other_team)
    session.commit()
    assert process_queries.latest_process_version(session, team.id) is None
    assert process_queries.latest_process_version(session, None) is None

    added = [
        process_queries.add_process_version(session, make_version(None, None, "install 1")),
        process_queries.add_process_version(session, make_version(ws.id, team.id, "sales 1")),
        process_queries.add_process_version(session, make_version(None, None, "install 2")),
        process_queries.add_process_version(session, make_version(ws.id, other_team.id, "aes 1")),
        process_queries.add_process_version(session, make_version(ws.id, team.id, "sales 2")),
    ]
    assert [(v.name, v.version) for v in added] == [
        ("install 1", 1),
        ("sales 1", 1),
        ("install 2", 2),
        ("aes 1", 1),
        ("sales 2", 2),
    ]
    session.commit()  # storage only flushes: the test commits, as a unit of work would
    with fresh(engine) as other:
        assert [v.name for v in process_queries.process_versions(other, team.id)] == [
            "sales 1",
            "sales 2",
        ]
        assert [v.name for v in process_queries.process_versions(other, None)] == [
            "install 1",
            "install 2",
        ]
        assert process_queries.latest_process_version(other, team.id).name == "sales 2"
        assert process_queries.latest_process_version(other, other_team.id).name == "aes 1"
        assert process_queries.team_version(other, team.id, 1).name == "sales 1"
        assert process_queries.team_version(other, other_team.id, 1).name == "aes 1"
        assert process_queries.team_version(other, team.id, 3) is None


def test_latest_process_version_falls_back_to_install_wide(session, ws, team):
    process_queries.add_process_version(session, make_version(None, None, "install 1"))
    process_queries.add_process_version(session, make_version(None, None, "install 2"))
    assert process_queries.latest_process_version(session, team.id).name == "install 2"
    assert process_queries.latest_process_version(session, None).name == "install 2"
    process_queries.add_process_version(session, make_version(ws.id, team.id, "sales 1"))
    assert process_queries.latest_process_version(session, team.id).name == "sales 1"
    assert process_queries.latest_process_version(session, None).name == "install 2"
