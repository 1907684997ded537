"""`pacer doctor` as an operator runs it, against the Slack stand-in: a good configuration passes
every line with exit 0; each broken one fails its own line, says what to fix, and exits 1."""

from datetime import datetime, timedelta

import pytest
from alembic import command

from cli.doctor import is_fernet_key, manifest_bot_scopes
from simulator.slack_standin import SlackStandin
from storage import db, heartbeat_queries
from storage.migrate import alembic_config, head_revision, upgrade
from storage.models import SalesTeam, Workspace
from tests.cli.support import pacer

CLOCK = "2026-11-24T11:00:00-05:00"
NOW = datetime.fromisoformat(CLOCK)
FERNET = "Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg="  # 32 bytes, url-safe base64


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        standin.add_channel("C0SALES", "sales")
        yield standin


def _database(folder, *, beat_ago=timedelta(minutes=1), channel="C0SALES", revision="head"):
    """A migrated SQLite database with a workspace, a team on ``channel``, and a clock that beat
    ``beat_ago`` before NOW (None: never)."""
    url = f"sqlite:///{folder / 'pacer.db'}"
    engine = db.make_engine(url)
    if revision == "head":
        upgrade(engine)
    else:
        command.upgrade(alembic_config(engine), revision)
        engine.dispose()
        return url
    with db.session(engine) as s:
        workspace = Workspace(slack_team_id="T0001", enterprise_id="", created_at=NOW)
        s.add(workspace)
        s.flush()
        s.add(
            SalesTeam(workspace_id=workspace.id, name="Sales", channel_id=channel, created_at=NOW)
        )
        if beat_ago is not None:
            heartbeat_queries.beat(
                s, "clock-host:42", NOW - beat_ago - timedelta(hours=1), NOW - beat_ago
            )
        s.commit()
    engine.dispose()
    return url


def _doctor(folder, slack, url, **env):
    settings = {
        "SLACK_BOT_TOKEN": "xoxb-doctor",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": url,
        "PACER_CLOCK": CLOCK,
    }
    settings.update(env)
    result = pacer("doctor", cwd=folder, env_extra={k: v for k, v in settings.items() if v})
    lines = {}
    for line in result.stdout.splitlines():
        status, _, rest = line.partition("  ")
        name, _, text = rest.strip().partition(": ")
        if status in ("ok", "FAIL"):
            lines[name] = (status, text)
    return result, lines


def test_a_good_configuration_passes_every_check(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert {name: status for name, (status, _) in lines.items()} == {
        "signing secret": "ok",
        "bot token": "ok",
        "scopes": "ok",
        "database": "ok",
        "clock": "ok",
        "channel of Sales": "ok",
    }
    assert lines["bot token"][1] == "valid: @pacer in Standin (T0001)"
    assert (
        lines["scopes"][1]
        == f"all {len(manifest_bot_scopes())} bot scopes of the manifest are granted"
    )
    assert f"migrated to {head_revision()}" in lines["database"][1]
    assert lines["clock"][1] == "clock-host:42 beat 1 minute ago"
    assert lines["channel of Sales"][1] == "#sales (C0SALES): Pacer is a member"
    assert result.stdout.rstrip().endswith("All checks passed.")
    assert [c.method for c in slack.calls] == ["auth.test", "conversations.info"]  # reads only


def test_a_bad_token_fails_and_the_checks_that_need_it_say_so(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path), SLACK_BOT_TOKEN="not-a-token")
    assert result.returncode == 1
    assert lines["bot token"][0] == "FAIL"
    assert lines["bot token"][1].startswith("Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert "Bot User OAuth Token" in lines["bot token"][1]
    assert lines["scopes"] == ("FAIL", "not checked: the bot token doesn't work (see above)")
    assert lines["channels"][0] == "FAIL"
    assert lines["database"][0] == lines["clock"][0] == "ok"
    assert result.stdout.rstrip().endswith("3 problems found.")


def test_an_unreachable_slack_is_told(tmp_path, slack):
    url = _database(tmp_path)
    slack.stop()
    result, lines = _doctor(tmp_path, slack, url)
    assert result.returncode == 1
    assert lines["bot token"][0] == "FAIL"
    assert lines["bot token"][1].startswith(f"can't reach Slack at {slack.url}")


def test_missing_scopes_are_named_with_how_to_grant_them(tmp_path, slack):
    slack.scopes = sorted(manifest_bot_scopes() - {"channels:join", "files:write"})
    result, lines = _doctor(tmp_path, slack, _database(tmp_path))
    assert result.returncode == 1
    assert lines["scopes"][0] == "FAIL"
    assert lines["scopes"][1].startswith("the token lacks channels:join, files:write: add them")
    assert "reinstall the app" in lines["scopes"][1]
    assert lines["bot token"][0] == "ok"


def test_a_missing_signing_secret_fails(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path), SLACK_SIGNING_SECRET="")
    assert result.returncode == 1
    assert lines["signing secret"][0] == "FAIL"
    assert "Signing Secret from your app's Basic Information" in lines["signing secret"][1]
    assert [n for n, (s, _) in lines.items() if s == "FAIL"] == ["signing secret"]


def test_a_database_behind_the_migrations_says_to_migrate(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path, revision="0016"))
    assert result.returncode == 1
    assert lines["database"][0] == "FAIL"
    assert lines["database"][1].endswith(
        f"is at revision 0016, this Pacer needs {head_revision()}: run `pacer migrate`."
    )
    assert lines["clock"] == ("FAIL", "not checked: the database isn't ready (see above)")


def test_a_missing_sqlite_file_is_told_and_not_created(tmp_path, slack):
    path = tmp_path / "nowhere.db"
    result, lines = _doctor(tmp_path, slack, f"sqlite:///{path}")
    assert result.returncode == 1
    assert lines["database"] == (
        "FAIL",
        f"no database at {path}: run `pacer migrate` (or set DATABASE_URL to yours).",
    )
    assert not path.exists()  # doctor changes nothing


def test_an_unreachable_database_server_is_told(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, "postgresql://pacer:hunter2@127.0.0.1:1/pacer")
    assert result.returncode == 1
    assert lines["database"][0] == "FAIL"
    assert lines["database"][1].startswith(
        "can't reach postgresql+psycopg://pacer:***@127.0.0.1:1/pacer"
    )
    assert "hunter2" not in result.stdout


def test_a_stale_heartbeat_says_to_start_one_clock(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path, beat_ago=timedelta(minutes=10)))
    assert result.returncode == 1
    assert lines["clock"][0] == "FAIL"
    assert lines["clock"][1].startswith("the last heartbeat is 10 minutes old (from clock-host:42)")
    assert "start `pacer clock` (exactly one process" in lines["clock"][1]


def test_no_heartbeat_ever_says_to_start_one_clock(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path, beat_ago=None))
    assert result.returncode == 1
    assert lines["clock"][1].startswith(
        "no clock has ever run on this database: start `pacer clock`"
    )


def test_two_running_clocks_are_told(tmp_path, slack):
    url = _database(tmp_path)
    engine = db.make_engine(url)
    with db.session(engine) as s:
        heartbeat_queries.beat(s, "other-host:7", NOW, NOW - timedelta(seconds=30))
        s.commit()
    engine.dispose()
    result, lines = _doctor(tmp_path, slack, url)
    assert result.returncode == 1
    assert lines["clock"][1].startswith(
        "2 clocks are running (other-host:7, clock-host:42): keep exactly one"
    )


def test_a_private_channel_without_the_bot_says_invite(tmp_path, slack):
    slack.add_channel("C0SALES", "sales", private=True, member=False)
    result, lines = _doctor(tmp_path, slack, _database(tmp_path))
    assert result.returncode == 1
    assert lines["channel of Sales"][0] == "FAIL"
    assert "type `/invite @Pacer` in it" in lines["channel of Sales"][1]
    assert slack.calls_to("conversations.join") == []  # doctor never joins


def test_a_public_channel_without_the_bot_is_fine_only_with_channels_join(tmp_path, slack):
    slack.add_channel("C0SALES", "sales", member=False)
    url = _database(tmp_path)
    result, lines = _doctor(tmp_path, slack, url)
    assert result.returncode == 0, result.stdout
    assert lines["channel of Sales"] == (
        "ok",
        "#sales (C0SALES): public, Pacer joins it when it posts (channels:join)",
    )
    slack.scopes = sorted(manifest_bot_scopes() - {"channels:join"})
    result, lines = _doctor(tmp_path, slack, url)
    assert lines["channel of Sales"][0] == "FAIL"
    assert "`/invite @Pacer` there, or grant channels:join" in lines["channel of Sales"][1]


def test_a_team_without_a_channel_fails(tmp_path, slack):
    result, lines = _doctor(tmp_path, slack, _database(tmp_path, channel=None))
    assert result.returncode == 1
    assert lines["channel of Sales"][1].endswith("In Slack: /pacer channel #sales")


def test_oauth_mode_checks_the_client_secret_and_the_secret_key(tmp_path, slack):
    url = _database(tmp_path)
    result, lines = _doctor(
        tmp_path, slack, url, SLACK_CLIENT_ID="123.456", PACER_SECRET_KEY="short"
    )
    assert result.returncode == 1
    assert lines["oauth"][0] == "FAIL"
    assert "SLACK_CLIENT_SECRET is not" in lines["oauth"][1]
    assert lines["secret key"][0] == "FAIL"
    assert "not a Fernet key" in lines["secret key"][1]
    result, lines = _doctor(
        tmp_path,
        slack,
        url,
        SLACK_CLIENT_ID="123.456",
        SLACK_CLIENT_SECRET="s",
        PACER_SECRET_KEY=FERNET,
    )
    assert lines["oauth"][0] == lines["secret key"][0] == "ok"
    # Nothing installed yet: one line saying where to install, and no team's channel is asked
    # with SLACK_BOT_TOKEN (OAuth mode uses each installation's token).
    assert result.returncode == 1, result.stdout
    assert lines["installations"] == (
        "FAIL",
        "Pacer is installed in no workspace yet: open http://localhost:3000/slack/install in a "
        "browser and press Allow (each workspace installs it once).",
    )
    assert lines["channel of Sales"][0] == "FAIL"
    assert "no bot token for workspace T0001" in lines["channel of Sales"][1]
    assert slack.calls_to("conversations.info") == []


def test_fernet_keys():
    assert is_fernet_key(FERNET)
    assert not is_fernet_key("")
    assert not is_fernet_key("x" * 44)
    assert not is_fernet_key("Zm9v")  # valid base64, 3 bytes
    assert not is_fernet_key("é" * 44)
