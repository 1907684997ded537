"""`pacer import activities` and `pacer export` as an operator runs them: a dry run first, the
import, the export read back in changing nothing, and a mistake that stores nothing."""

import pytest

from storage import db, log_queries, people_queries
from storage.migrate import upgrade
from tests.cli.support import pacer
from tests.rituals.ingest.support import REP, add_people
from tests.storage.support import NOW

CLOCK = {"PACER_CLOCK": "2026-11-24T11:00:00-05:00"}
FILE = (
    "source,external_id,occurred_at,owner,kpi,count\n"
    f"dialer,c-1,2026-11-24T09:30:00-05:00,{REP},calls,12\n"
    f"dialer,c-2,2026-11-23T16:00:00-05:00,{REP},conversations,3\n"
)


@pytest.fixture
def install(tmp_path):
    url = f"sqlite:///{tmp_path / 'pacer.db'}"
    engine = db.make_engine(url)
    upgrade(engine)
    with db.session(engine) as session:
        ws = people_queries.workspace_for(session, "T0001", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        session.commit()
        add_people(session, ws, team)
    engine.dispose()
    return tmp_path, {**CLOCK, "DATABASE_URL": url}


def logs(env) -> int:
    engine = db.make_engine(env["DATABASE_URL"])
    with db.session(engine) as session:
        n = log_queries.count_logs(session)
    engine.dispose()
    return n


def test_dry_run_import_export_and_back(install):
    folder, env = install
    (folder / "week.csv").write_text(FILE)
    dry = pacer("import", "activities", "week.csv", "--dry-run", cwd=folder, env_extra=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("week.csv: 2 rows: 2 created (dry run, nothing was stored).")
    assert logs(env) == 0

    done = pacer("import", "activities", "week.csv", cwd=folder, env_extra=env)
    assert done.returncode == 0 and "2 created (stored)" in done.stdout and logs(env) == 2

    out = pacer("export", "activities", cwd=folder, env_extra=env)
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout.splitlines()[1] == f"dialer,c-2,2026-11-23T12:00:00-05:00,{REP},conversations,3"
    )
    assert "2 rows, every team, all dates" in out.stderr
    (folder / "out.csv").write_text(out.stdout)
    back = pacer("import", "activities", "out.csv", cwd=folder, env_extra=env)
    assert "2 unchanged (stored)" in back.stdout and logs(env) == 2

    cards = pacer("export", "scorecards", "--period", "week", cwd=folder, env_extra=env)
    assert (
        cards.returncode == 0
        and f"{REP},Rep,sdr,calls,Calls / Emails,leading,12,240,0.05," in cards.stdout
    )


def test_a_mistake_stores_nothing_and_says_where(install):
    folder, env = install
    (folder / "bad.csv").write_text(FILE + f"dialer,c-3,2026-11-24 09:30,{REP},calls,1\n")
    bad = pacer("import", "activities", "bad.csv", cwd=folder, env_extra=env)
    assert bad.returncode == 1 and logs(env) == 0
    assert "nothing was stored" in bad.stdout
    assert "line 4, column occurred_at: '2026-11-24 09:30' has no UTC offset" in bad.stdout
    wrong = pacer("export", "logs", "--team", "Nope", cwd=folder, env_extra=env)
    assert wrong.returncode == 2 and "no team is called 'Nope'. Teams: Sales." in wrong.stderr
    backwards = pacer(
        "export", "logs", "--from", "2026-11-24", "--to", "2026-11-01", cwd=folder, env_extra=env
    )
    assert backwards.returncode == 2 and "is before --from" in backwards.stderr
