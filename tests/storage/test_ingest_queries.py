"""Ingestion's set-based statements (SQLite and PostgreSQL): rows under keys, the bulk insert
stored exactly as the ORM stores rows, updates, voids, the held queue and owners."""

from datetime import UTC, datetime

from sqlmodel import select

from storage import ingest_queries as q
from storage import people_queries
from storage.models import ActivityLog
from tests.storage.support import NOW, TODAY, add_member


def row(ws, team, external_id, **kw) -> tuple:
    """A new row as insert_logs takes it (a tuple in q.LOG_INSERT's order)."""
    values = {
        "workspace_id": ws.id,
        "team_id": team.id,
        "rep_id": "U0REP",
        "entered_by": "api",
        "kpi": "calls",
        "count": 2,
        "occurred_on": TODAY,
        "created_at": NOW,
        "source": "api",
        "batch_id": f"b-{external_id}",
        "note": "",
        "process_version_id": None,
        "voided_at": None,
        "voided_by": None,
        "ext_source": "crm",
        "external_id": external_id,
    } | kw
    return tuple(values[name] for name in q.LOG_INSERT)


def test_bulk_rows_read_back_as_the_orm_wrote_them(session, ws, team):
    q.insert_logs(session, [row(ws, team, "a"), row(ws, team, "b", voided_at=NOW, voided_by="x")])
    session.commit()
    stored = q.stored_logs(session, ws.id, [("crm", "a"), ("crm", "b"), ("crm", "c"), ("x", "a")])
    assert set(stored) == {("crm", "a"), ("crm", "b")}
    a = stored[("crm", "a")]
    assert (a.rep_id, a.kpi, a.count, a.occurred_on, a.voided) == (
        "U0REP",
        "calls",
        2,
        TODAY,
        False,
    )
    assert stored[("crm", "b")].voided
    orm = session.exec(select(ActivityLog).where(ActivityLog.external_id == "b")).one()
    assert orm.occurred_on == TODAY
    assert orm.created_at.replace(tzinfo=orm.created_at.tzinfo or UTC) == NOW


def test_bulk_rows_convert_each_value_though_many_share_one(session, ws, team):
    """Values are converted once per value object (a batch shares one "now"): equal instants
    written with other offsets, and dates, still come back each as given."""
    from datetime import date, timedelta, timezone

    east = timezone(timedelta(hours=-5))
    later = datetime(2026, 11, 24, 18, 30, tzinfo=east)  # 23:30 UTC
    rows = [row(ws, team, f"n{i}") for i in range(3)]  # created_at: the same NOW object
    rows += [
        row(ws, team, "other", created_at=later, occurred_on=date(2026, 11, 20)),
        row(ws, team, "voided", voided_at=later, voided_by="x"),
    ]
    q.insert_logs(session, rows)
    session.commit()
    stored = {
        log.external_id: log
        for log in session.exec(select(ActivityLog).where(ActivityLog.workspace_id == ws.id))
    }

    def utc(moment):
        return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)

    assert [utc(stored[f"n{i}"].created_at) for i in range(3)] == [NOW.astimezone(UTC)] * 3
    assert utc(stored["other"].created_at) == datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert stored["other"].occurred_on == date(2026, 11, 20)
    assert stored["n0"].occurred_on == TODAY
    assert utc(stored["voided"].voided_at) == later.astimezone(UTC)
    assert stored["n0"].voided_at is None


def test_update_void_and_restore(session, ws, team):
    q.insert_logs(session, [row(ws, team, "a")])
    log_id = q.stored_logs(session, ws.id, [("crm", "a")])[("crm", "a")].id
    q.update_logs(
        session,
        [
            {
                "id": log_id,
                "rep_id": "U0OTHER",
                "team_id": team.id,
                "kpi": "conversations",
                "count": 7,
                "occurred_on": TODAY,
                "process_version_id": None,
            }
        ],
    )
    q.void_logs(session, [log_id], "deleted at source", NOW)
    after = q.stored_logs(session, ws.id, [("crm", "a")])[("crm", "a")]
    assert (after.rep_id, after.kpi, after.count, after.voided) == (
        "U0OTHER",
        "conversations",
        7,
        True,
    )
    q.unvoid_logs(session, [log_id])
    assert not q.stored_logs(session, ws.id, [("crm", "a")])[("crm", "a")].voided


def test_the_held_queue(session, ws):
    assert not q.has_held(session, ws.id)
    at = datetime(2026, 11, 24, 15, tzinfo=UTC)
    held = {
        "workspace_id": ws.id,
        "source": "crm",
        "owner": "Pat@x",
        "owner_key": "pat@x",
        "kpi": "calls",
        "count": 3,
        "occurred_at": at,
        "received_at": NOW,
        "via": "api",
        "entered_by": "api",
    }
    q.hold(session, [held | {"external_id": "1"}, held | {"external_id": "2", "count": 4}])
    assert q.has_held(session, ws.id)
    found = q.held_items(session, ws.id, [("crm", "1"), ("crm", "3")])
    assert list(found) == [("crm", "1")] and found[("crm", "1")].count == 3
    [line] = q.held_summary(session, ws.id)
    assert (line.owner, line.items, line.total, line.sources) == ("Pat@x", 2, 7, ("crm",))
    q.delete_held(session, [found[("crm", "1")].id])
    assert [h.external_id for h in q.held_for_owner(session, ws.id, "pat@x")] == ["2"]


def test_owners(session, ws, team):
    add_member(session, ws, team, "U0REP", "sdr")
    people_queries.save_profile(session, ws.id, "U0REP", "Rep", "Europe/Paris", NOW)
    assert q.set_email(session, ws.id, "U0REP", " Rep@X.example ")
    assert not q.set_email(session, ws.id, "U0NOPROFILE", "a@b")
    assert q.users_by_email(session, ws.id, ["rep@x.example"]) == {"rep@x.example": "U0REP"}
    assert q.save_alias(session, ws.id, "crm-7", "U0REP", "U0MGR", NOW) is None
    assert q.save_alias(session, ws.id, "crm-7", "U0REP", "U0MGR", NOW) == "U0REP"
    assert q.aliases(session, ws.id, ["crm-7", "crm-8"]) == {"crm-7": "U0REP"}
    members, zones = q.members_and_timezones(session, ws.id, ["U0REP", "U0NOBODY"])
    assert list(members) == ["U0REP"] and zones == {"U0REP": "Europe/Paris"}
