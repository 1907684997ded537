"""Moving house (storage/moving.py): a realistic install exported and imported SQLite →
PostgreSQL → SQLite keeps every row, every id and every rep's scorecard, and exporting the
result gives the same file; a file with any problem writes nothing and names its line."""

import json

import pytest
from sqlalchemy import func, select

from storage import db
from storage.models import ActivityLog, ConfigStamp, SalesTeam, Workspace
from storage.moving import MoveError, export_all, head_revision, import_all
from tests.storage.moving_support import (
    NOW,
    build_demo_install,
    counts,
    export_bytes,
    migrated,
    scorecards,
)
from tests.storage.support import make_log


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    engine = db.make_engine(build_demo_install(tmp_path_factory.mktemp("demo")))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def exported(source) -> bytes:
    return export_bytes(source)


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def load(engine, data: bytes):
    return import_all(engine, iter(lines_of(data)))


def same_but_header(a: bytes, b: bytes) -> None:
    """Two exports of equal databases: equal but for when and from which database."""
    head_a, *rows_a = lines_of(a)
    head_b, *rows_b = lines_of(b)
    assert rows_a == rows_b
    ha, hb = json.loads(head_a), json.loads(head_b)
    for h in (ha, hb):
        h.pop("exported_at"), h.pop("dialect")
    assert ha == hb


def test_the_demo_install_fills_every_moved_table(source):
    empty = [name for name, n in counts(source).items() if n == 0]
    assert empty == [], f"the test install leaves {empty} empty: they'd go untested"


def move_and_check(source, data: bytes, target) -> bytes:
    result = load(target, data)
    expected = counts(source)
    assert {c.table: (c.in_file, c.written, c.in_database) for c in result} == {
        name: (n, n, n) for name, n in expected.items()
    }
    assert all(c.ok for c in result)
    assert counts(target) == expected
    before, after = scorecards(source), scorecards(target)
    assert len(before) > 20 and after == before
    again = export_bytes(target)
    same_but_header(data, again)
    return again


@pytest.mark.parametrize("kinds", [("postgresql", "sqlite"), ("sqlite", "sqlite")])
def test_round_trip_keeps_rows_ids_and_scorecards(kinds, source, exported, tmp_path, pg_admin):
    first, second = kinds
    with migrated(first, tmp_path / "a", pg_admin) as there:
        from_there = move_and_check(source, exported, there)
        assert json.loads(lines_of(from_there)[0])["dialect"] == there.dialect.name
        # New rows continue after the kept ids (PostgreSQL's sequences were moved on).
        with db.session(there) as s:
            top = s.exec(select(func.max(ActivityLog.id))).one()[0]
            ws = s.get(Workspace, 1)
            team = s.get(SalesTeam, s.exec(select(ActivityLog.team_id)).first()[0])
            log = make_log(ws, team, created_at=NOW)
            s.add(log)
            s.commit()
            assert log.id == top + 1
        from_there = export_bytes(there)  # that new row moves on too
        with migrated(second, tmp_path / "b", pg_admin) as back:
            move_and_check(there, from_there, back)


# ------------------------------------------------------------------ a file with a problem


def replace_in_row(table: str, old: bytes, new: bytes, last: bool = True):
    def change(rows: list[bytes]) -> int:
        found = [i for i, r in enumerate(rows) if r.startswith(b'{"t":"%s"' % table.encode())]
        i = found[-1] if last else found[0]
        assert old in rows[i]
        rows[i] = rows[i].replace(old, new, 1)
        return i + 1

    return change


def header(key: str, value):
    def change(rows):
        h = json.loads(rows[0])
        h[key] = value
        rows[0] = json.dumps(h).encode() + b"\n"
        return 1

    return change


def drop_log_line(rows):
    i = max(i for i, r in enumerate(rows) if r.startswith(b'{"t":"activity_log"'))
    del rows[i]
    return len(rows)  # the trailer's line


def cut_trailer(rows):
    del rows[-1]
    return None


def change_a_count(rows):
    i = max(i for i, r in enumerate(rows) if r.startswith(b'{"t":"activity_log"'))
    obj = json.loads(rows[i])
    obj["r"]["count"] += 1
    rows[i] = json.dumps(obj, separators=(",", ":")).encode() + b"\n"
    return len(rows)


def after_trailer(rows):
    rows.append(rows[1])
    return len(rows)


def truncate_line(rows):
    i = len(rows) - 2
    rows[i] = rows[i][:40] + b"\n"
    return i + 1


BROKEN = {
    "unknown table": (
        replace_in_row("draft_edit", b'"t":"draft_edit"', b'"t":"draft_edits"'),
        "unknown table 'draft_edits'",
    ),
    "unknown column": (
        replace_in_row("review_answer", b'"why":', b'"because":'),
        "review_answer has no column 'because'",
    ),
    "missing column": (replace_in_row("review_answer", b'"why":', b'"status":'), None),
    "malformed JSON": (truncate_line, "not JSON"),
    "a value that does not read": (
        replace_in_row("coaching_note", b'"created_at":{"$dt":', b'"created_at":{"$date":'),
        'coaching_note.created_at: $date "2026-11-',
    ),
    "a value of another type": (
        replace_in_row("coaching_note", b'"is_action":true', b'"is_action":"no"'),
        "coaching_note.is_action holds a str, the column wants a bool",
    ),
    "an unknown tag": (replace_in_row("contest", b'{"$dt":', b'{"$when":'), "unknown tag '$when'"),
    "a newer revision": (header("revision", "9999"), "newer Pacer (schema revision 9999"),
    "an older revision": (header("revision", "0015"), "exported at schema revision 0015"),
    "another format": (header("pacer_export", 2), "this Pacer reads format 1"),
    "a row missing": (drop_log_line, "the trailer counts"),
    "a changed row": (change_a_count, "checksum doesn't match"),
    "no trailer": (cut_trailer, "without its trailer line"),
    "a line after the trailer": (after_trailer, "a line after the trailer"),
    "a row the database refuses": (
        replace_in_row("member", b'"team_id":1,', b'"team_id":77,'),
        "the database refused a member row of lines",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_writes_nothing_and_names_its_line(case, engine, exported):
    change, expected = BROKEN[case]
    rows = lines_of(exported)
    line = change(rows)
    with pytest.raises(MoveError) as raised:
        import_all(engine, iter(rows))
    error = raised.value
    if case == "missing column":
        expected = "the review_answer row lacks why"
    assert expected in error.message
    if case != "a row the database refuses":
        assert error.line == line
    else:
        assert error.line is None and "lines " in error.message
    assert set(counts(engine).values()) == {0}


def test_an_empty_file_and_a_csv_are_refused(engine):
    for data, expected in ((b"", "the file is empty"), (b"source,kpi\n", "not a Pacer export")):
        with pytest.raises(MoveError) as raised:
            import_all(engine, iter(lines_of(data)))
        assert expected in raised.value.message and raised.value.line == 1
    assert set(counts(engine).values()) == {0}


def test_a_database_with_data_is_refused_unchanged(engine, exported, session, ws):
    before = counts(engine)
    with pytest.raises(MoveError) as raised:
        import_all(engine, iter(lines_of(exported)))
    assert "isn't empty: it holds workspace (1 row)" in raised.value.message
    assert counts(engine) == before


def test_the_import_moves_the_config_stamp_on(engine, exported):
    with engine.begin() as conn:
        conn.execute(ConfigStamp.__table__.insert().values(id=1, version=41))
    load(engine, exported)
    with engine.connect() as conn:
        assert conn.execute(select(ConfigStamp.__table__.c.version)).scalar_one() == 42


def test_a_database_nobody_migrated_is_refused(fresh_database, exported):
    engine = fresh_database.make_engine()
    with pytest.raises(MoveError) as raised:
        import_all(engine, iter(lines_of(exported)))
    expected = f"the target database is at schema revision none, the file at {head_revision()}"
    assert expected in str(raised.value)


class WritesDuringExport:
    """A file that, when the export writes its first row, has a log stored through another
    connection (the app going on while the export runs)."""

    def __init__(self, engine, ws, team):
        self.data, self.engine, self.ws, self.team = b"", engine, ws, team

    def write(self, chunk: bytes) -> None:
        if self.data and b"\n{" not in self.data:  # the header is out, the first row comes
            with db.session(self.engine) as s:
                s.add(make_log(self.ws, self.team, batch_id="while-exporting"))
                s.commit()
        self.data += chunk


def test_the_export_reads_one_snapshot_and_lets_writers_go_on(engine, session, ws, team):
    session.add(make_log(ws, team, count=5))
    session.commit()
    out = WritesDuringExport(engine, ws, team)
    counts = export_all(engine, out, NOW)
    assert counts["activity_log"] == 1 and b"while-exporting" not in out.data
    with db.session(engine) as s:  # the write went through, after waiting for nobody
        assert s.exec(select(func.count()).select_from(ActivityLog)).one()[0] == 2
