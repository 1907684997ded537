"""rituals/connectors/csv_files.py: an activities file read into items, each problem named by
line and column; spreadsheet habits (a BOM, ;, any header order and case) read as well; cells
that would run as formulas are written defused."""

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rituals.connectors.csv_files import (
    CsvItem,
    column_of,
    decode,
    read_activities,
    safe_cell,
    write_rows,
)

HEADER = "source,external_id,occurred_at,owner,kpi,count\n"


def test_rows_become_items_with_their_lines():
    read = read_activities(
        HEADER
        + "dialer,c-1,2026-12-01T14:02:00-05:00,U0SAM0001,calls,12\n"
        + "\n"
        + "crm,d-9,2026-12-01T20:00:00Z,jane@acme.com,deals,1\n"
    )
    assert read.problems == [] and read.lines == [2, 4] and read.rows == 2
    first, second = read.items
    assert first == CsvItem(
        "dialer",
        "c-1",
        datetime(2026, 12, 1, 14, 2, tzinfo=timezone(timedelta(hours=-5))),
        "U0SAM0001",
        "calls",
        12,
    )
    assert second.occurred_at == datetime(2026, 12, 1, 20, 0, tzinfo=UTC) and not second.deleted


def test_each_problem_names_its_line_and_column():
    read = read_activities(
        HEADER
        + "dialer,c-1,2026-12-01 14:02,U0SAM0001,calls,12\n"  # no offset
        + "dialer,,2026-12-01T14:02:00Z,U0SAM0001,calls,twelve\n"
        + "dialer,c-3,yesterday,,calls,0\n"
        + "dialer,c-4,2026-12-01T14:02:00Z,U0SAM0001,calls,5\n"
    )
    found = [(p.line, p.column) for p in read.problems]
    assert found == [
        (2, "occurred_at"),
        (3, "external_id"),
        (3, "count"),
        (4, "occurred_at"),
        (4, "owner"),
        (4, "count"),
    ]
    assert "add one, e.g. 2026-12-01T14:02-05:00" in read.problems[0].message
    assert str(read.problems[2]) == "line 3, column count: 'twelve' is not a whole number"
    assert [i.external_id for i in read.items] == ["c-4"] and read.lines == [5]


def test_a_wrong_header_is_one_problem_on_line_one_and_no_items():
    read = read_activities(
        "source,id,occurred_at,owner,kpi,count\ndialer,c-1,2026-12-01T14:02:00Z,U1,calls,1\n"
    )
    assert [(p.line, p.message) for p in read.problems] == [
        (
            1,
            "missing column external_id; the header is source,external_id,occurred_at,owner,kpi,count (and optionally deleted)",
        )
    ]
    assert read.items == [] and read.ignored_columns == ["id"]
    assert "appears twice" in read_activities(HEADER.strip() + ",kpi\n").problems[0].message
    assert read_activities("").problems[0].where() == "the file"


def test_spreadsheet_habits_read_as_well():
    text = "\ufeffCount;KPI;Owner;Occurred At;External ID;Source;Deleted;note\n3;calls;U1;2026-12-01T09:00:00+01:00;x;dialer;;hi\n"
    read = read_activities(text)
    assert read.problems == [] and read.ignored_columns == ["note"]
    assert read.items[0].count == 3 and read.items[0].source == "dialer"


def test_deleted_rows_need_no_owner_kpi_or_count():
    read = read_activities(
        "source,external_id,occurred_at,owner,kpi,count,deleted\n"
        "dialer,c-1,2026-12-01T14:02:00Z,,,,true\n"
        "dialer,c-2,2026-12-01T14:02:00Z,U1,calls,1,maybe\n"
    )
    assert read.items[0].deleted and read.items[0].external_id == "c-1"
    assert [(p.line, p.column) for p in read.problems] == [(3, "deleted")]


def test_an_unclosed_quote_and_extra_cells_are_named():
    read = read_activities(HEADER + 'dialer,c-1,2026-12-01T14:02:00Z,U1,calls,1,"oops\n')
    assert read.problems and read.problems[0].line == 2
    extra = read_activities(HEADER + "dialer,c-1,2026-12-01T14:02:00Z,U1,calls,1,2\n")
    assert "7 cells for 6 columns" in extra.problems[0].message


def test_a_file_that_is_not_utf8_says_how_to_save_it():
    with pytest.raises(ValueError, match="line 2 is not UTF-8"):
        decode(HEADER.encode() + "dialer,c,2026,Jos\xe9,calls,1\n".encode("latin-1"))
    assert decode(b"\xef\xbb\xbfa,b") == "a,b"


def test_ingestion_reasons_point_at_their_column():
    assert column_of("unknown KPI 'calz'") == "kpi"
    assert column_of("older than the backdate limit of 14 days") == "occurred_at"
    assert column_of(None) is None


def test_written_rows_read_back_and_formulas_are_defused():
    out = io.StringIO()
    rows = [("dialer", "c,1", "2026-12-01T14:02:00+00:00", "U1", "calls", 12)]
    assert (
        write_rows(("source", "external_id", "occurred_at", "owner", "kpi", "count"), rows, out)
        == 1
    )
    again = read_activities(out.getvalue())
    assert again.problems == [] and again.items[0].external_id == "c,1"
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("fine") == "fine"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_into_items_or_problems_never_an_error(text):
    read = read_activities(text)
    assert len(read.items) == len(read.lines)
    assert all(p.line >= 0 for p in read.problems)
