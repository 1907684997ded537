"""`pacer api token create|list|revoke` and `pacer api review`, run as an operator runs them:
the token alone on stdout, every refusal on stderr with exit 2 and nothing changed."""

from datetime import UTC, datetime

from rituals.ingest import IngestItem, ingest
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Member
from storage.unit_of_work import unit_of_work
from tests.cli.support import pacer

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def run(tmp_path, *args):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'pacer.db'}", "PACER_CLOCK": NOW.isoformat()}
    return pacer("api", *args, cwd=tmp_path, env_extra=env)


def test_tokens(tmp_path):
    none = run(tmp_path, "token", "create", "--name", "crm", "--scopes", "activities:write")
    assert none.returncode == 2 and "no Slack workspace has used Pacer yet" in none.stderr
    made = run(
        tmp_path,
        "token",
        "create",
        "--name",
        "crm",
        "--scopes",
        "activities:write",
        "--workspace",
        "T1",
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("pacer_") and len(made.stdout.splitlines()) == 1
    assert "shown once" in made.stderr
    again = run(tmp_path, "token", "create", "--name", "crm", "--scopes", "activities:write")
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = run(tmp_path, "token", "create", "--name", "x", "--scopes", "activities:delete")
    assert bad.returncode == 2 and "unknown scope 'activities:delete'" in bad.stderr
    listed = run(tmp_path, "token", "list")
    assert f"pacer_…{token[-4:]}" in listed.stdout and token not in listed.stdout
    assert run(tmp_path, "token", "revoke", "crm").returncode == 0
    gone = run(tmp_path, "token", "revoke", "crm")
    assert gone.returncode == 2 and "no live token is named 'crm'" in gone.stderr
    assert "revoked" in run(tmp_path, "token", "list", "--all").stdout


def test_review_and_map(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pacer.db'}")
    upgrade(engine)
    with unit_of_work(engine) as session:
        ws = people_queries.workspace_for(session, "T1", None, NOW)
        team = people_queries.default_team(session, ws.id, NOW)
        people_queries.save_member(
            session,
            Member(
                workspace_id=ws.id,
                team_id=team.id,
                user_id="U0REP",
                role="sdr",
                added_by="U0ADMIN",
                added_at=NOW,
            ),
        )
        ingest(session, ws.id, [IngestItem("crm", "c1", NOW, "pat@crm.example", "calls", 3)], NOW)
    engine.dispose()
    assert "pat@crm.example\t1 item(s), 3 in all\tfrom crm" in run(tmp_path, "review").stdout
    usage = run(tmp_path, "review", "map", "pat@crm.example")
    assert usage.returncode == 2 and "usage: pacer api review" in usage.stderr
    refused = run(tmp_path, "review", "map", "pat@crm.example", "U0NOBODY")
    assert refused.returncode == 2 and "not a rep" in refused.stderr
    mapped = run(tmp_path, "review", "map", "pat@crm.example", "U0REP")
    assert mapped.returncode == 0, mapped.stderr
    assert "Mapped pat@crm.example to U0REP: 1 held item(s) applied (1 created)" in mapped.stdout
    assert "Nothing is held" in run(tmp_path, "review").stdout
