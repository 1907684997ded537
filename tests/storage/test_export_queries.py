"""storage/export_queries.py on SQLite and PostgreSQL: logs streamed within bounds, voided ones
only when asked, of some teams; logs found by id within the workspace only."""

from datetime import date

from storage import export_queries, people_queries
from tests.storage.support import NOW, make_log


def test_logs_by_bounds_teams_and_voids(session, ws, team):
    other = people_queries.workspace_for(session, "T0002", None, NOW)
    other_team = people_queries.default_team(session, other.id, NOW)
    rows = [
        make_log(ws, team, occurred_on=date(2026, 11, 20)),
        make_log(ws, team, occurred_on=date(2026, 11, 24)),
        make_log(ws, team, occurred_on=date(2026, 11, 24)),
        make_log(other, other_team, occurred_on=date(2026, 11, 24)),
    ]
    rows[2].voided_at, rows[2].voided_by = NOW, "U_MGR"
    session.add_all(rows)
    session.commit()
    every = list(export_queries.logs(session, ws.id, None, None, None, counted_only=False))
    assert [r.id for r in every] == [rows[0].id, rows[1].id, rows[2].id]
    counted = export_queries.logs(
        session, ws.id, [team.id], date(2026, 11, 21), None, counted_only=True
    )
    assert [r.id for r in counted] == [rows[1].id]
    assert list(export_queries.logs(session, ws.id, [], None, None, counted_only=False)) == []
    found = export_queries.logs_by_ids(session, ws.id, [rows[0].id, rows[3].id, 999])
    assert list(found) == [rows[0].id]  # another workspace's log is not found here
    assert [m.user_id for m in export_queries.workspace_members(session, ws.id)] == []
    assert export_queries.workspace_profiles(session, ws.id) == {}
