"""`pacer doctor` in OAuth mode: every installation's token is tried (auth.test) and its scopes
compared with the manifest's, each team's ritual channel is asked with its own workspace's
token, and a token that doesn't decrypt with PACER_SECRET_KEY is told as such."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

from bot.oauth.setup import token_source
from bot.settings import load_settings
from cli.doctor import manifest_bot_scopes
from simulator.slack_standin import SlackStandin
from storage import db
from storage.installations import EncryptedInstallationStore
from storage.models import SalesTeam, Workspace
from tests.cli.test_doctor import NOW, _database, _doctor

CLIENT_ID = "1111.2222"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        standin.add_channel("C0SALES", "sales")
        yield standin


@pytest.fixture
def url(tmp_path):
    """The database of tests/cli/test_doctor.py: workspace T0001, its team Sales on #sales."""
    return _database(tmp_path)


@pytest.fixture
def install(url, slack):
    """Installs Pacer as the app stores it (encrypted): in workspace ``team_id`` (in Grid org
    ``enterprise_id``), or ``org_wide`` in the whole org; ``team``: a team (name, channel) made
    in that workspace, its channel made in Slack. Returns the bot token."""
    engine = db.make_engine(url)
    store = EncryptedInstallationStore(CLIENT_ID, engine, KEY)

    def install(team_id, *, enterprise_id=None, org_wide=False, team=None):
        if team is not None:
            name, channel = team
            with db.session(engine) as s:
                workspace = Workspace(
                    slack_team_id=team_id, enterprise_id=enterprise_id or "", created_at=NOW
                )
                s.add(workspace)
                s.flush()
                s.add(
                    SalesTeam(
                        workspace_id=workspace.id, name=name, channel_id=channel, created_at=NOW
                    )
                )
                s.commit()
            slack.add_channel(channel, name.lower())
        installed = None if org_wide else team_id
        who = installed or enterprise_id
        token = slack.add_install(
            f"code-{who}", installed, enterprise_id=enterprise_id, org_wide=org_wide
        )
        store.save(
            Installation(
                app_id="APACER",
                enterprise_id=enterprise_id,
                team_id=installed,
                team_name=f"Team {who}",
                bot_token=token,
                bot_id=f"B{who}",
                bot_user_id=f"UBOT{who}",
                bot_scopes=sorted(manifest_bot_scopes()),
                user_id="UINSTALLER",
                is_enterprise_install=org_wide,
                installed_at=(NOW - timedelta(days=2)).timestamp(),
            )
        )
        return token

    yield install
    engine.dispose()


@pytest.fixture
def two_installs(url, install):
    """T0001 (team Sales, #sales) and T0002 (team Field, #field), each installed with its own
    token: (database url, {team: token})."""
    return url, {
        "T0001": install("T0001"),
        "T0002": install("T0002", team=("Field", "C0FIELD")),
    }


def _oauth_env(key=KEY, bot_token=""):
    return {
        "SLACK_BOT_TOKEN": bot_token,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "client-secret",
        "PACER_SECRET_KEY": key,
    }


def _oauth_doctor(folder, slack, url, key=KEY, bot_token=""):
    return _doctor(folder, slack, url, **_oauth_env(key, bot_token))


PER_INSTALLATION = (
    "per installation (OAuth mode, SLACK_CLIENT_ID is set): checked per installation below"
)


def test_each_installation_and_each_channel_is_checked_with_its_own_token(
    tmp_path, slack, two_installs
):
    url, tokens = two_installs
    result, lines = _oauth_doctor(tmp_path, slack, url)
    assert result.returncode == 0, result.stdout + result.stderr
    wanted = len(manifest_bot_scopes())
    assert lines["bot token"] == ("ok", PER_INSTALLATION)
    assert "scopes" not in lines  # each installation's, on its own line
    for team in ("T0001", "T0002"):
        assert lines[f"install {team}"] == (
            "ok",
            f"@UBOT{team} in {team}: token valid, all {wanted} bot scopes granted",
        )
    assert lines["channel of Sales"] == ("ok", "#sales (C0SALES): Pacer is a member")
    assert lines["channel of Field"] == ("ok", "#field (C0FIELD): Pacer is a member")
    assert sorted(
        (c.params.get("channel"), c.token) for c in slack.calls_to("conversations.info")
    ) == [
        ("C0FIELD", tokens["T0002"]),
        ("C0SALES", tokens["T0001"]),
    ]
    assert sorted(c.token for c in slack.calls_to("auth.test")) == sorted(tokens.values())
    assert {c.method for c in slack.calls} == {"auth.test", "conversations.info"}  # reads only
    assert result.stdout.rstrip().endswith("All checks passed.")


def test_with_slack_bot_token_set_too_doctor_says_the_installations_are_used(
    tmp_path, slack, two_installs
):
    """Both SLACK_BOT_TOKEN and OAuth set: the app uses each installation's token (bot/oauth/
    setup.py), so doctor says so and never tries the environment's (here revoked: no failure)."""
    url, tokens = two_installs
    slack.revoked_tokens.add("xoxb-from-the-env")
    result, lines = _oauth_doctor(tmp_path, slack, url, bot_token="xoxb-from-the-env")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines["bot token"] == (
        "ok",
        f"{PER_INSTALLATION}. SLACK_BOT_TOKEN is set too, but Pacer never uses it in OAuth mode "
        "(each workspace's installation token instead): unset it to avoid confusion",
    )
    assert "scopes" not in lines
    assert sorted(c.token for c in slack.calls_to("auth.test")) == sorted(tokens.values())
    assert "xoxb-from-the-env" not in {c.token for c in slack.calls}
    # What doctor says is what the app does: the installation's token, not the environment's.
    env = _oauth_env(bot_token="xoxb-from-the-env") | {
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.url,
    }
    settings = load_settings(env)
    engine = db.make_engine(url)
    try:
        assert token_source(settings, engine).bot_token("T0001", None) == tokens["T0001"]
    finally:
        engine.dispose()


def test_a_revoked_token_fails_its_install_only(tmp_path, slack, two_installs):
    url, tokens = two_installs
    slack.revoked_tokens.add(tokens["T0002"])
    result, lines = _oauth_doctor(tmp_path, slack, url)
    assert result.returncode == 1
    assert lines["install T0001"][0] == "ok"
    assert lines["install T0002"] == (
        "FAIL",
        "Slack refused its token (token_revoked): the app was removed or the token revoked; "
        "install Pacer again in that workspace at http://localhost:3000/slack/install.",
    )
    assert lines["channel of Sales"][0] == "ok"
    assert lines["channel of Field"] == (
        "FAIL",
        "not checked: workspace T0002's token doesn't work (see above)",
    )
    assert result.stdout.rstrip().endswith("2 problems found.")


def test_missing_scopes_in_one_install_are_named_for_it(tmp_path, slack, two_installs):
    url, tokens = two_installs
    slack.token_scopes[tokens["T0001"]] = sorted(manifest_bot_scopes() - {"files:write"})
    result, lines = _oauth_doctor(tmp_path, slack, url)
    assert result.returncode == 1
    status, text = lines["install T0001"]
    assert status == "FAIL"
    assert "its token lacks files:write: add them under OAuth & Permissions" in text
    assert "reinstall the app to the workspace" in text
    assert lines["install T0002"][0] == "ok"
    assert [n for n, (s, _) in lines.items() if s == "FAIL"] == ["install T0001"]


def test_a_wrong_secret_key_says_the_tokens_dont_decrypt(tmp_path, slack, two_installs):
    url, _ = two_installs
    result, lines = _oauth_doctor(tmp_path, slack, url, key=Fernet.generate_key().decode())
    assert result.returncode == 1
    assert lines["secret key"][0] == "ok"  # a Fernet key, just not the one
    for team in ("T0001", "T0002"):
        status, text = lines[f"install {team}"]
        assert status == "FAIL"
        assert text.startswith(
            "its token doesn't decrypt with PACER_SECRET_KEY: it was encrypted with the key "
            "Pacer had when it was installed (installed 2026-11-22 16:00 UTC)."
        ), text
        assert "comma-separated" in text and "/slack/install" in text
    assert lines["channel of Sales"][0] == lines["channel of Field"][0] == "FAIL"
    assert slack.calls_to("auth.test") == [] and slack.calls_to("conversations.info") == []


def test_the_old_key_after_a_new_one_decrypts(tmp_path, slack, two_installs):
    url, _ = two_installs
    result, lines = _oauth_doctor(
        tmp_path, slack, url, key=f"{Fernet.generate_key().decode()},{KEY}"
    )
    assert result.returncode == 0, result.stdout
    assert lines["secret key"][0] == "ok"


def test_an_org_wide_install_serves_its_workspaces_channels(tmp_path, slack, url, install):
    token = install("T0003", enterprise_id="E0001", org_wide=True, team=("Grid", "C0GRID"))
    result, lines = _oauth_doctor(tmp_path, slack, url)
    assert lines["install org E0001"][0] == "ok", result.stdout
    assert lines["channel of Grid"] == ("ok", "#grid (C0GRID): Pacer is a member")
    # T0001's team has no install of its own and is in no org: told, nothing sent for it.
    assert lines["channel of Sales"][0] == "FAIL"
    assert "no bot token for workspace T0001" in lines["channel of Sales"][1]
    assert [(c.params.get("channel"), c.token) for c in slack.calls_to("conversations.info")] == [
        ("C0GRID", token)
    ]
    assert result.returncode == 1
