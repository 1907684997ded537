"""A team for ingestion tests: an SDR (U0REP, in New York like the team) and an AE (U0AE)."""

from datetime import UTC, datetime

from rituals.ingest import IngestItem
from storage import ingest_queries, log_queries, people_queries
from tests.storage.support import NOW, TODAY, add_member

REP, AE, MANAGER = "U0REP", "U0AE", "U0MGR"
EMAIL = "rep@acme.example"


def add_people(session, ws, team) -> None:
    add_member(session, ws, team, REP, "sdr")
    add_member(session, ws, team, AE, "ae")
    add_member(session, ws, team, MANAGER, None, is_manager=True)
    people_queries.save_profile(session, ws.id, REP, "Rep", "America/New_York", NOW)
    ingest_queries.set_email(session, ws.id, REP, "Rep@Acme.example ")
    session.commit()


def item(
    external_id="c1", *, owner=REP, kpi="calls", count=1, at=None, source="crm", deleted=False
):
    at = at or datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 10:00 in New York, today
    return IngestItem(source, external_id, at, owner, kpi, count, deleted)


def totals(session, ws, rep=REP) -> dict[str, int]:
    return log_queries.kpi_totals(session, ws.id, rep, TODAY.replace(day=1), TODAY)


__all__ = ["AE", "EMAIL", "MANAGER", "NOW", "REP", "TODAY", "add_people", "item", "totals"]
