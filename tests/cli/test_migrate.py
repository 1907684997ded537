"""`pacer migrate`: the schema to head, once, however many processes start together (the
containers' web replicas and clock do, storage/migrate.py takes a PostgreSQL advisory lock)."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect, text

from bench.common import postgres_database
from storage.migrate import head_revision
from tests.cli.support import pacer


def test_migrate_creates_then_leaves_the_schema_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'pacer.db'}"
    first = pacer("migrate", cwd=tmp_path, env_extra={"DATABASE_URL": url})
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"pacer migrate: {url} migrated from empty to {head_revision()}.\n"
    again = pacer("migrate", cwd=tmp_path, env_extra={"DATABASE_URL": url})
    assert again.stdout.startswith(f"pacer migrate: {url} is already at {head_revision()}")


def test_migrate_tells_an_unreachable_database_without_a_traceback(tmp_path):
    result = pacer(
        "migrate", cwd=tmp_path, env_extra={"DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/x"}
    )
    assert result.returncode == 1
    assert result.stderr.startswith("pacer migrate: can't migrate postgresql+psycopg://u:***@")
    assert "Traceback" not in result.stderr and "pw" not in result.stderr.replace("psycopg", "")


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)",
)
def test_three_processes_migrating_a_fresh_postgres_database_at_once_all_succeed(tmp_path):
    """Three `pacer migrate` processes (as compose starts web replicas) on one fresh database:
    each exits 0, and the schema is built once (one alembic_version row, at head)."""
    with postgres_database(os.environ["TEST_DATABASE_URL"], "pacer_migrate") as url:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
        }
        env["DATABASE_URL"] = url
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "cli", "migrate"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outcomes = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        assert [rc for rc, _, _ in outcomes] == [0, 0, 0], outcomes
        said = [out for _, out, _ in outcomes]
        # One of them built the schema; the others found it built when the lock came to them.
        assert sum("migrated from empty" in s for s in said) == 1, said
        assert sum("is already at" in s for s in said) == 2, said
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            with engine.connect() as conn:
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            assert versions == [(head_revision(),)]
            assert "clock_heartbeat" in inspect(engine).get_table_names()
        finally:
            engine.dispose()
