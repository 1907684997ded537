"""`pacer export all > backup.jsonl` and `pacer import all backup.jsonl` as an operator runs
them: the counts printed and verified, and every mistake answered with what to do, changing
nothing."""

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text

from cli.moving import count_table
from storage import db, log_queries, people_queries
from storage.migrate import upgrade
from storage.moving import TableCount
from tests.cli.support import pacer
from tests.rituals.ingest.support import add_people
from tests.storage.support import NOW, make_log

CLOCK = {"PACER_CLOCK": "2026-11-24T11:00:00-05:00"}


def sqlite(folder, name):
    return f"sqlite:///{folder / name}"


@pytest.fixture
def source(tmp_path):
    url = sqlite(tmp_path, "old.db")
    engine = db.make_engine(url)
    upgrade(engine)
    with db.session(engine) as session:
        ws = people_queries.workspace_for(session, "T0001", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        session.commit()
        add_people(session, ws, team)
        session.add_all([make_log(ws, team, rep_id="U0REP", count=n) for n in range(1, 4)])
        session.commit()
    engine.dispose()
    return tmp_path, url


@pytest.fixture
def postgres_url():
    """A new schema on TEST_DATABASE_URL, as a DATABASE_URL an operator would type."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL")
    schema = f"pacer_cli_{uuid.uuid4().hex[:10]}"
    admin = db.make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{url}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def logs(url) -> int:
    engine = db.make_engine(url)
    with db.session(engine) as session:
        n = log_queries.count_logs(session)
    engine.dispose()
    return n


def move(folder, old, new):
    out = pacer("export", "all", cwd=folder, env_extra={**CLOCK, "DATABASE_URL": old})
    assert out.returncode == 0, out.stderr
    assert "pacer export all: 9 rows, in 5 of the" in out.stderr
    (folder / "backup.jsonl").write_text(out.stdout)
    done = pacer("import", "all", "backup.jsonl", cwd=folder, env_extra={"DATABASE_URL": new})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["table", "in", "file", "written", "in", "database"]
    assert ["activity_log", "3", "3", "3"] in [line.split() for line in lines]
    assert lines[-1].split() == ["total", "9", "9", "9"]
    assert logs(new) == 3
    return done


def test_sqlite_to_sqlite(source):
    folder, old = source
    move(folder, old, sqlite(folder, "new.db"))


def test_sqlite_to_postgresql(source, postgres_url):
    folder, old = source
    move(folder, old, postgres_url)


def test_importing_twice_is_refused_and_changes_nothing(source):
    folder, old = source
    new = sqlite(folder, "new.db")
    move(folder, old, new)
    again = pacer("import", "all", "backup.jsonl", cwd=folder, env_extra={"DATABASE_URL": new})
    assert again.returncode == 1 and again.stdout == ""
    assert "backup.jsonl: the target database isn't empty: it holds workspace (1 row)" in (
        again.stderr
    )
    assert "activity_log (3 rows)" in again.stderr and "Nothing was written." in again.stderr
    assert logs(new) == 3


def test_a_broken_line_is_named_and_nothing_is_written(source):
    folder, old = source
    out = pacer("export", "all", cwd=folder, env_extra={**CLOCK, "DATABASE_URL": old})
    rows = out.stdout.splitlines(keepends=True)
    rows[3] = rows[3].replace('{"t":"', '{"t":"nope_', 1)
    (folder / "bad.jsonl").write_text("".join(rows))
    new = sqlite(folder, "new.db")
    bad = pacer("import", "all", "bad.jsonl", cwd=folder, env_extra={"DATABASE_URL": new})
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("pacer import all: bad.jsonl line 4: unknown table 'nope_")
    assert "; this Pacer moves workspace, " in bad.stderr and " sales_team, " in bad.stderr
    assert bad.stderr.rstrip().endswith("Nothing was written.")
    assert logs(new) == 0


def test_mistakes_in_the_command(source):
    folder, old = source
    env = {**CLOCK, "DATABASE_URL": old}
    team = pacer("export", "all", "--team", "Sales", cwd=folder, env_extra=env)
    assert team.returncode == 2 and team.stdout == ""
    assert "--team doesn't apply: `export all` moves the whole install" in team.stderr
    missing = pacer("import", "all", "nowhere.jsonl", cwd=folder, env_extra=env)
    assert missing.returncode == 1
    assert "can't read nowhere.jsonl: No such file or directory; nothing was written" in (
        missing.stderr
    )


def test_a_count_that_differs_is_marked():
    table = count_table([TableCount("workspace", 1, 1, 1), TableCount("activity_log", 3, 3, 2)])
    lines = table.splitlines()
    assert lines[1].split() == ["workspace", "1", "1", "1"]
    assert lines[2].split() == ["activity_log", "3", "3", "2", "←", "differs"]
    assert lines[3].split() == ["total", "4", "4", "3"]


def test_import_from_stdin(source):
    folder, old = source
    out = pacer("export", "all", cwd=folder, env_extra={**CLOCK, "DATABASE_URL": old})
    new = sqlite(folder, "piped.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PACER_"))}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "import", "all", "-"],
        input=out.stdout.encode(),
        env={**env, "DATABASE_URL": new},
        cwd=folder,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[-1].split() == ["total", "9", "9", "9"]
    assert logs(new) == 3
