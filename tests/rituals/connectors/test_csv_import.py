"""rituals/connectors/csv_import.py and export.py on a real database (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set): an import counts through the upsert and again changes nothing,
a dry run stores nothing, a file with a problem stores nothing and names each line and column,
and what the export writes the import reads back: the same totals elsewhere, nothing new here."""

import io

import pytest

from rituals.connectors import export
from rituals.connectors.csv_files import COLUMNS, write_rows
from rituals.connectors.csv_import import run_import
from rituals.ingest import held_queue
from storage import db, log_queries, people_queries
from storage.models import ActivityLog
from tests.rituals.ingest.support import AE, NOW, REP, TODAY, add_people, totals
from tests.storage.support import make_log

HEADER = ",".join(COLUMNS) + "\n"
GOOD = (
    HEADER
    + f"dialer,c-1,2026-11-24T09:30:00-05:00,{REP},calls,12\n"
    + "dialer,c-2,2026-11-23T16:00:00-05:00,rep@acme.example,conversations,3\n"
    + f"crm,m-1,2026-11-24T14:00:00Z,{AE},meetings_held,1\n"
)


@pytest.fixture
def people(session, ws, team):
    add_people(session, ws, team)
    return ws


def count(engine, ws) -> int:
    with db.session(engine) as s:
        return log_queries.count_logs(s, ws.id)


def test_an_import_counts_then_the_same_file_changes_nothing(engine, session, people):
    ws = people
    first = run_import(engine, GOOD.encode(), ws.id, NOW, by="import")
    assert first.stored and not first.failed and first.counts() == "3 created"
    assert totals(session, ws) == {"calls": 12, "conversations": 3}
    again = run_import(engine, GOOD.encode(), ws.id, NOW, by="import")
    assert again.counts() == "3 unchanged" and count(engine, ws) == 3
    row = session.exec(ActivityLog.__table__.select().where(ActivityLog.external_id == "c-1")).one()
    assert (row.source, row.entered_by, row.ext_source) == ("import", "import", "dialer")


def test_a_dry_run_says_what_it_would_do_and_stores_nothing(engine, session, people):
    ws = people
    text = GOOD + "dialer,c-9,2026-11-24T09:30:00-05:00,nobody@acme.example,calls,1\n"
    report = run_import(engine, text.encode(), ws.id, NOW, by="import", dry_run=True)
    assert report.dry_run and not report.stored
    assert report.counts() == "3 created, 1 held"
    assert [(h.line, h.column) for h in report.held] == [(5, "owner")]
    assert count(engine, ws) == 0 and held_queue(session, ws.id) == []
    assert "dry run, nothing was stored" in report.lines()[0]


def test_a_file_with_problems_stores_nothing_and_names_each_line_and_column(
    engine, session, people
):
    ws = people
    text = (
        GOOD
        + f"dialer,c-3,2026-11-24T09:30:00-05:00,{REP},calz,2\n"  # the upsert refuses it
        + f"dialer,c-4,2026-10-01T09:30:00-05:00,{REP},calls,2\n"  # past the backdate limit
        + f"dialer,c-5,tomorrow,{REP},calls,2\n"  # unreadable
    )
    report = run_import(engine, text.encode(), ws.id, NOW, by="import")
    assert report.failed and not report.stored and count(engine, ws) == 0
    assert [(p.line, p.column) for p in report.problems] == [
        (5, "kpi"),
        (6, "occurred_at"),
        (7, "occurred_at"),
    ]
    assert "nothing was stored: fix the lines below" in report.lines()[0]
    assert report.lines()[1].startswith("line 5, column kpi: kpi 'calz'")
    partial = run_import(engine, text.encode(), ws.id, NOW, by="import", partial=True)
    assert partial.stored and count(engine, ws) == 3
    assert "(stored, except the lines below)" in partial.lines()[0]


def test_not_utf8_is_one_problem_for_the_file(engine, people):
    report = run_import(engine, b"source\xff", people.id, NOW, by="import")
    assert report.failed and "UTF-8" in report.lines()[1]


def exported(session, ws, kind="activities") -> str:
    teams = people_queries.teams(session, ws.id)
    out = io.StringIO()
    if kind == "logs":
        write_rows(export.LOG_COLUMNS, export.log_rows(session, ws.id, teams, None, None), out)
    else:
        write_rows(COLUMNS, export.activity_rows(session, ws.id, teams, None, None), out)
    return out.getvalue()


def test_an_export_reads_back_unchanged_here_and_the_same_elsewhere(engine, session, people, team):
    ws = people
    typed = make_log(ws, team, rep_id=REP, kpi="calls", count=7, created_at=NOW)
    undone = make_log(ws, team, rep_id=REP, kpi="calls", count=100, created_at=NOW)
    undone.voided_at, undone.voided_by = NOW, REP
    session.add_all([typed, undone])
    session.commit()
    run_import(engine, GOOD.encode(), ws.id, NOW, by="import")
    before = totals(session, ws)
    assert before == {"calls": 19, "conversations": 3}

    text = exported(session, ws)
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 1 + 4  # the undone log isn't counted
    assert f"pacer,log-{typed.id},2026-11-24T11:00:00-05:00,{REP},calls,7" in lines
    here = run_import(engine, text.encode(), ws.id, NOW, by="import")
    assert here.counts() == "4 unchanged" and totals(session, ws) == before

    other = people_queries.workspace_for(session, "T0002", None, NOW)
    other_team = people_queries.default_team(session, other.id, NOW)
    session.commit()
    add_people(session, other, other_team)
    there = run_import(engine, text.encode(), other.id, NOW, by="import")
    assert there.counts() == "4 created" and totals(session, other) == before
    # ... and from there back again: the same keys, nothing new.
    back = run_import(engine, exported(session, other).encode(), other.id, NOW, by="import")
    assert back.counts() == "4 unchanged"


def test_the_logs_export_keeps_the_trail_and_reads_back_too(engine, session, people, team):
    ws = people
    undone = make_log(
        ws, team, rep_id=REP, kpi="calls", count=100, created_at=NOW, occurred_on=TODAY
    )
    undone.voided_at, undone.voided_by, undone.note = NOW, REP, "=1+1"
    session.add(undone)
    session.commit()
    text = exported(session, ws, "logs")
    header, row = text.splitlines()
    assert header.split(",")[:7] == [*COLUMNS, "deleted"]
    assert ",true," in row and f",{REP}," in row and "'=1+1" in row  # the note can't run
    report = run_import(engine, text.encode(), ws.id, NOW, by="import", dry_run=True)
    assert not report.failed and report.counts() == "1 unchanged"
    assert "log_id" in report.ignored_columns
