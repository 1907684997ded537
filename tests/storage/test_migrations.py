"""The Alembic migration, on SQLite and PostgreSQL: it builds exactly the schema the models
describe, is safe to run on every start, and SQLite connections get their pragmas."""

import multiprocessing
import uuid
from datetime import timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from sqlmodel import select as select_model

from storage import db, models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import Contest, SalesTeam, Workspace
from tests.storage.support import NOW

EXPECTED_TABLES = {
    "workspace",
    "sales_team",
    "process_version",
    "member",
    "admin",
    "user_profile",
    "activity_log",
    "log_undo",
    "ritual_run",
    "contest",
    "contest_entrant",
    "lag_suggestion",
    "coaching_session",
    "coaching_note",
    "time_off",
    "config_stamp",
    "process_draft",
    "draft_edit",
    "process_review",
    "review_reviewer",
    "review_answer",
    "api_token",
    "held_activity",
    "owner_alias",
    "api_idempotency",
    "tv_link",
    "api_rate",
    "clock_heartbeat",
    # slack_sdk's OAuth stores (storage/installation_tables.py)
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
}

# name -> (table, columns): spelled out so that a constraint dropped from both the model and the
# migration still fails here.
EXPECTED_UNIQUE = {
    "uq_workspace_slack": ("workspace", ["slack_team_id", "enterprise_id"]),
    "uq_team_name": ("sales_team", ["workspace_id", "name"]),
    "uq_member_user": ("member", ["workspace_id", "user_id"]),
    "uq_admin_user": ("admin", ["workspace_id", "user_id"]),
    "uq_profile_user": ("user_profile", ["workspace_id", "user_id"]),
    "uq_log_trigger_kpi": ("activity_log", ["workspace_id", "trigger_id", "kpi"]),
    "uq_undo_trigger": ("log_undo", ["workspace_id", "trigger_id"]),
    "uq_process_team_version": ("process_version", ["team_id", "version"]),
    "uq_ritual_run_period": ("ritual_run", ["team_id", "kind", "period_key"]),
    "uq_contest_start": ("contest", ["workspace_id", "start_key"]),
    "uq_contest_entrant": ("contest_entrant", ["contest_id", "user_id"]),
    "uq_lag_suggestion_week": ("lag_suggestion", ["team_id", "kpi", "week_key"]),
    "uq_coaching_open": ("coaching_session", ["workspace_id", "open_key"]),
    "uq_coaching_note_msg": ("coaching_note", ["session_id", "message_ts"]),
    "uq_draft_open_key": ("process_draft", ["workspace_id", "open_key"]),
    "uq_draft_edit_key": ("draft_edit", ["draft_id", "edit_key"]),
    "uq_review_request": ("process_review", ["workspace_id", "request_key"]),
    "uq_review_reviewer": ("review_reviewer", ["review_id", "user_id"]),
    "uq_review_answer_key": ("review_answer", ["review_id", "answer_key"]),
    "uq_api_token_hash": ("api_token", ["token_hash"]),
    "uq_held_key": ("held_activity", ["workspace_id", "source", "external_id"]),
    "uq_owner_alias": ("owner_alias", ["workspace_id", "alias"]),
    "uq_idempotency_key": ("api_idempotency", ["token_id", "key"]),
    "uq_tv_link_team": ("tv_link", ["team_id"]),
    "uq_tv_link_token": ("tv_link", ["token_hash"]),
}
EXPECTED_INDEXES = {
    "ix_log_rep_date": ("activity_log", ["workspace_id", "rep_id", "occurred_on"]),
    "ix_log_team_date": ("activity_log", ["team_id", "occurred_on", "kpi"]),
    "ix_log_batch": ("activity_log", ["batch_id"]),
    "ix_log_entered": ("activity_log", ["workspace_id", "entered_by", "created_at"]),
    "ix_sales_team_workspace_id": ("sales_team", ["workspace_id"]),
    "ix_member_team_id": ("member", ["team_id"]),
    "ix_process_version_team_id": ("process_version", ["team_id"]),
    "ix_process_version_workspace_id": ("process_version", ["workspace_id"]),
    "ix_ritual_run_status": ("ritual_run", ["status", "due_at"]),
    "ix_contest_status": ("contest", ["status", "ends_at"]),
    "ix_contest_team_id": ("contest", ["team_id"]),
    "ix_contest_entrant_contest_id": ("contest_entrant", ["contest_id"]),
    "ix_coaching_rep": ("coaching_session", ["workspace_id", "rep_id", "opened_at"]),
    "ix_coaching_thread": ("coaching_session", ["channel_id", "thread_ts"]),
    "ix_coaching_note_session_id": ("coaching_note", ["session_id"]),
    "ix_time_off_user_day": ("time_off", ["workspace_id", "user_id", "day"]),
    # Unique among live rows only (a partial index): cancelling a day frees it to be added again.
    "uq_time_off_live": ("time_off", ["workspace_id", "user_id", "day"]),
    # One running contest per team and name (a partial index: ended ones may share a name).
    "uq_contest_running_name": ("contest", ["team_id", "name"]),
    # One open draft per team (a partial index: published and discarded ones stay as history).
    "uq_draft_open_team": ("process_draft", ["team_id"]),
    "ix_process_draft_team_id": ("process_draft", ["team_id"]),
    "ix_process_review_draft_id": ("process_review", ["draft_id"]),
    "ix_review_reviewer_review_id": ("review_reviewer", ["review_id"]),
    "ix_review_answer_review_id": ("review_answer", ["review_id"]),
    "ix_draft_edit_draft_id": ("draft_edit", ["draft_id"]),
    # Ingested activity's upsert key (a unique index: no rebuild of a big table to add it).
    "uq_log_external": ("activity_log", ["workspace_id", "ext_source", "external_id"]),
    "ix_profile_email": ("user_profile", ["workspace_id", "email"]),
    "uq_api_token_live_name": ("api_token", ["workspace_id", "name"]),
    "ix_held_owner": ("held_activity", ["workspace_id", "owner_key"]),
    "slack_installations_idx": (
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    ),
    "slack_bots_idx": ("slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]),
}


def _unique_constraints(engine) -> dict[str, tuple[str, list[str]]]:
    inspector = inspect(engine)
    return {
        uc["name"]: (table, uc["column_names"])
        for table in inspector.get_table_names()
        for uc in inspector.get_unique_constraints(table)
    }


def _indexes(engine) -> dict[str, tuple[str, list[str]]]:
    inspector = inspect(engine)
    return {
        ix["name"]: (table, ix["column_names"])
        for table in inspector.get_table_names()
        for ix in inspector.get_indexes(table)
        if not ix.get("duplicates_constraint")  # PostgreSQL's index behind a UNIQUE constraint
    }


def test_upgrade_creates_every_model_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) == EXPECTED_TABLES
    assert tables == EXPECTED_TABLES | {"alembic_version"}


def test_upgrade_creates_the_unique_constraints(engine):
    assert _unique_constraints(engine) == EXPECTED_UNIQUE
    from_models = {
        c.name: (table.name, [col.name for col in c.columns])
        for table in SQLModel.metadata.tables.values()
        for c in table.constraints
        if c.__class__.__name__ == "UniqueConstraint"
    }
    assert from_models == EXPECTED_UNIQUE


def test_upgrade_creates_the_indexes(engine):
    assert _indexes(engine) == EXPECTED_INDEXES


def test_migrated_schema_matches_the_models(engine):
    """No drift between the migration and the models: autogenerate would have nothing to add."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_rate_table_skips_the_wal_on_postgresql(engine):
    """api_rate is updated on every API request: unlogged, its commits need no WAL flush."""
    if engine.dialect.name != "postgresql":
        pytest.skip("UNLOGGED is PostgreSQL's")
    with engine.connect() as conn:
        kinds = dict(
            conn.execute(
                text(
                    "SELECT relname, relpersistence FROM pg_class "
                    "WHERE relname IN ('api_rate', 'activity_log') AND relkind = 'r' "
                    "AND pg_table_is_visible(oid)"
                )
            ).all()
        )
    assert kinds == {"api_rate": "u", "activity_log": "p"}


def test_unique_constraint_is_enforced(engine):
    with db.session(engine) as s:
        s.add(Workspace(slack_team_id="T1", enterprise_id="", created_at=NOW))
        s.commit()
        s.add(Workspace(slack_team_id="T1", enterprise_id="", created_at=NOW))
        with pytest.raises(IntegrityError):
            s.commit()


def test_foreign_keys_are_enforced(engine):
    with db.session(engine) as s:
        s.add(SalesTeam(workspace_id=424242, name="Ghosts", created_at=NOW))
        with pytest.raises(IntegrityError):
            s.commit()


def test_current_revision_is_head(engine):
    script = ScriptDirectory.from_config(alembic_config(engine))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations must have one head, found {heads}"
    assert current_revision(engine) == heads[0]


def test_current_revision_of_an_empty_database_is_none(fresh_database):
    engine = fresh_database.make_engine()
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) is not None


def test_upgrade_twice_is_a_no_op(engine):
    with db.session(engine) as s:
        s.add(Workspace(slack_team_id="T1", enterprise_id="", created_at=NOW))
        s.commit()
    before = (current_revision(engine), _unique_constraints(engine), _indexes(engine))

    upgrade(engine)

    assert (current_revision(engine), _unique_constraints(engine), _indexes(engine)) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(Workspace)).scalar_one() == 1


def _upgrade_in_child(url, connect_args, barrier, results) -> None:
    """One starting process (forked, so nothing is imported again): connect, wait for the
    others, migrate; report "ok" or the error."""
    try:
        engine = db.make_engine(url, **({"connect_args": connect_args} if connect_args else {}))
        engine.connect().close()
        barrier.wait(timeout=20)
        upgrade(engine)
        engine.dispose()
        results.put("ok")
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        results.put(f"{type(error).__name__}: {str(error).splitlines()[0]}")


def test_concurrent_upgrades_of_a_fresh_database(request, fresh_database):
    """`pacer serve` and `pacer clock` start together and both migrate a fresh database
    (storage/migrate.py serialises them: an advisory lock on PostgreSQL, a file lock on SQLite)."""
    # Separate processes, as in production: Alembic keeps the running migration in module
    # globals (alembic.context), so upgrades in threads of one process would trip over each other.
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(3), ctx.Queue()
    procs = [
        ctx.Process(
            target=_upgrade_in_child,
            args=(fresh_database.url, fresh_database.connect_args, barrier, results),
        )
        for _ in range(3)
    ]
    for proc in procs:
        proc.start()
    try:
        outcomes = [results.get(timeout=30) for _ in procs]
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    assert [o for o in outcomes if o != "ok"] == []
    engine = fresh_database.make_engine()
    assert (
        current_revision(engine)
        == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    )
    assert set(inspect(engine).get_table_names()) == EXPECTED_TABLES | {"alembic_version"}


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_advisory_lock_is_released_after_upgrade(database, engine):
    """The migration lock must not stay with a pooled connection, or the next start would wait
    forever. Looked up by application_name, so other test workers migrating at once don't count."""
    name = f"pacer_lock_{uuid.uuid4().hex[:8]}"
    # lock_timeout: a lock left held by the fixture's upgrade fails the test instead of hanging it
    options = f"{database.connect_args['options']} -clock_timeout=10s"
    mine = db.make_engine(database.url, connect_args={"options": options, "application_name": name})
    database.engines.append(mine)
    upgrade(mine)
    with engine.connect() as conn:
        held = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.objid = 7402 AND a.application_name = :name"
            ),
            {"name": name},
        ).scalar_one()
        backends = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": name},
        ).scalar_one()
    assert backends >= 1  # the pooled connection that took the lock is still open
    assert held == 0


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_pragmas_are_on_for_every_connection(engine):
    # Two connections at once: the pragmas are set per connection, not once per engine.
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one().lower() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 2500
            # NORMAL: COMMIT doesn't fsync inside the write lock; the unit of work is made
            # durable by a group fsync of the WAL after it (storage/wal_sync.py)
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1
            assert conn.connection.driver_connection.wal_sync is not None


def test_contests_stored_before_settle_times_settle_at_their_end(fresh_database):
    """0005 adds contest.settles_at: a contest stored before it keeps the result time it was
    started with (its end), on SQLite and PostgreSQL."""
    engine = fresh_database.make_engine()
    command.upgrade(alembic_config(engine), "0004")
    ends = NOW + timedelta(days=2)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspace (id, slack_team_id, enterprise_id, created_at) "
                "VALUES (1, 'T1', '', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO sales_team (id, workspace_id, name, created_at) VALUES (1, 1, 'S', :n)"
            ),
            {"n": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO contest (workspace_id, team_id, name, kind, kpi, scoring, prize, "
                "start_day, end_day, starts_at, ends_at, status, source, created_by, created_at, "
                "start_key) VALUES (1, 1, 'Old', 'race', 'calls', 'sum', '', :day, :day, :now, "
                ":ends, 'running', 'command', 'U0MGR0001', :now, 'old')"
            ),
            {"day": NOW.date(), "now": NOW, "ends": ends},
        )
    upgrade(engine)
    with db.session(engine) as s:
        contest = s.exec(select_model(Contest)).one()
    assert contest.settles_at == ends and contest.ends_at == ends


def test_running_contests_sharing_a_name_are_renamed_before_the_index(fresh_database):
    """0007 makes a running contest's name unique per team: two that already share one keep
    their rows, the newer one renamed "<name> #<id>"; ended ones keep their names."""
    engine = fresh_database.make_engine()
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspace (id, slack_team_id, enterprise_id, created_at) "
                "VALUES (1, 'T1', '', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO sales_team (id, workspace_id, name, created_at) VALUES (1, 1, 'S', :n)"
            ),
            {"n": NOW},
        )
        for contest_id, status in ((1, "running"), (2, "running"), (3, "ended"), (4, "ended")):
            conn.execute(
                text(
                    "INSERT INTO contest (id, workspace_id, team_id, name, kind, kpi, scoring, "
                    "prize, start_day, end_day, starts_at, ends_at, status, source, created_by, "
                    "created_at, start_key) VALUES (:id, 1, 1, 'Blitz', 'race', 'calls', 'sum', "
                    "'', :day, :day, :now, :now, :status, 'command', 'U0MGR0001', :now, :key)"
                ),
                {
                    "id": contest_id,
                    "day": NOW.date(),
                    "now": NOW,
                    "status": status,
                    "key": str(contest_id),
                },
            )
    upgrade(engine)
    with db.session(engine) as s:
        names = {c.id: c.name for c in s.exec(select_model(Contest))}
    assert names == {1: "Blitz", 2: "Blitz #2", 3: "Blitz", 4: "Blitz"}
