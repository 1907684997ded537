"""A realistic install to move (the demo's weeks of a sales team, plus a row in each table the
demo leaves empty), fresh targets on SQLite and PostgreSQL, and what must be equal after a
move: the rows per table and every rep's scorecards."""

import io
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from rituals.scorecard import build_scorecard, period_for
from rituals.teams import team_process
from simulator.demo.run import run_demo
from storage import db, people_queries
from storage.installations import EncryptedInstallationStore
from storage.migrate import upgrade
from storage.models import (
    ActivityLog,
    Admin,
    ApiToken,
    HeldActivity,
    IdempotentResponse,
    OwnerAlias,
    TvLink,
)
from storage.moving import export_all
from storage.moving_tables import moved_tables
from tests.storage.conftest import _empty_database

TODAY = date(2026, 11, 19)  # a Thursday: the demo's last day
NOW = datetime(2026, 11, 19, 21, 0, tzinfo=UTC)  # 16:00 in New York, the demo team's timezone
EXPORTED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def build_demo_install(folder: Path) -> str:
    """The demo's database with the tables it leaves empty filled too; its URL."""
    assert run_demo(weeks=2, out=str(folder), today=TODAY, stream=io.StringIO()) == 0
    url = f"sqlite:///{folder / 'pacer-demo.db'}"
    engine = db.make_engine(url)
    at = NOW - timedelta(days=3)
    with db.session(engine) as s:
        ws = people_queries.all_workspaces(s)[0]
        team = people_queries.teams(s, ws.id)[0]
        s.add(
            Admin(workspace_id=ws.id, user_id="W0ORGADMIN", granted_by="U0DIR0001", granted_at=at)
        )
        live = ApiToken(
            workspace_id=ws.id,
            name="crm",
            token_hash="a" * 64,
            hint="a1b2",
            scopes="activities:write,activities:read",
            created_by="cli",
            created_at=at,
        )
        s.add(live)
        s.add(
            ApiToken(
                workspace_id=ws.id,
                name="crm",
                token_hash="b" * 64,
                hint="zz99",
                scopes="activities:write",
                created_by="U0MGR0001",
                created_at=at - timedelta(days=9),
                revoked_at=at - timedelta(days=3),
                revoked_by="U0MGR0001",
            )
        )
        s.flush()
        s.add(
            IdempotentResponse(
                token_id=live.id,
                key="k-1",
                request_hash="c" * 64,
                status=201,
                body='{"created": 1, "note": "é ☕"}',
                created_at=at,
            )
        )
        s.add(
            HeldActivity(
                workspace_id=ws.id,
                source="dialer",
                external_id="x-9",
                owner="Nobody@Example.com",
                owner_key="nobody@example.com",
                kpi="calls",
                count=4,
                occurred_at=datetime(2026, 11, 18, 14, 5, 6, 789012, tzinfo=UTC),
                received_at=at,
                via="api",
                entered_by="api:crm",
            )
        )
        s.add(
            OwnerAlias(
                workspace_id=ws.id,
                alias="sam@example.com",
                user_id="U0SDR0001",
                mapped_by="U0MGR0001",
                mapped_at=at,
            )
        )
        s.add(
            TvLink(
                workspace_id=ws.id,
                team_id=team.id,
                token_hash="d" * 64,
                created_by="U0MGR0001",
                created_at=at,
            )
        )
        s.add(
            ActivityLog(
                workspace_id=ws.id,
                team_id=team.id,
                rep_id="U0SDR0001",
                entered_by="api:crm",
                kpi="calls",
                count=3,
                occurred_on=TODAY,
                created_at=datetime(2026, 11, 19, 15, 1, 2, 345678, tzinfo=UTC),
                source="api",
                batch_id="b-unicode",
                note='café ☕ "quoted"\nsecond line \\ tab\t',
                ext_source="dialer",
                external_id="x-1",
            )
        )
        s.commit()
    # An OAuth install (slack_installations and slack_bots), its tokens encrypted as stored
    EncryptedInstallationStore("1.2", engine, Fernet.generate_key().decode()).save(
        Installation(
            app_id="A1",
            team_id="T0DEMO2",
            team_name="Second workspace",
            bot_token="xoxb-second",
            bot_id="B2",
            bot_user_id="U0BOT2",
            bot_scopes="commands,chat:write",
            user_id="U0INSTALLER",
            installed_at=at.timestamp(),
        )
    )
    engine.dispose()
    return url


@contextmanager
def migrated(kind: str, folder: Path, pg_admin) -> Engine:
    """A new database of ``kind``, migrated and empty (as `pacer import all` finds it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with _empty_database(kind, folder, pg_admin) as database:
        engine = database.make_engine()
        upgrade(engine)
        yield engine


def export_bytes(engine: Engine) -> bytes:
    out = io.BytesIO()
    export_all(engine, out, EXPORTED_AT)
    return out.getvalue()


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in moved_tables()
        }


def scorecards(engine: Engine) -> dict:
    """Every rep's scorecard for the day, week and month of NOW and the ones before, through
    the same functions `/scorecard` uses."""
    out = {}
    with db.session(engine) as session:
        for team in people_queries.teams(session):
            process, _ = team_process(session, team.id)
            for kind in ("day", "week", "month"):
                for offset in (0, -1):
                    period = period_for(process, kind, NOW, offset)
                    for rep in people_queries.members_during(
                        session, team.id, period.start, period.end
                    ):
                        if rep.role and process.has_role(rep.role):
                            card = build_scorecard(
                                session, team.workspace_id, process, rep, period, NOW
                            )
                            out[(team.name, rep.user_id, kind, offset)] = card
    return out
