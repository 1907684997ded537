"""`pacer doctor` in OAuth mode: every installation's token is tried (auth.test) and its scopes
compared with the manifest's, each team's ritual channel is asked with its own workspace's
token, and a token that doesn't decrypt with PACER_SECRET_KEY is told as such."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation

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
        standin.add_channel("C0FIELD", "field")
        yield standin


@pytest.fixture
def two_installs(tmp_path, slack):
    """T0001 (team Sales, #sales) and T0002 (team Field, #field), each installed with its own
    token, stored encrypted as the app stores them: (database url, {team: token})."""
    url = _database(tmp_path)
    engine = db.make_engine(url)
    with db.session(engine) as s:
        other = Workspace(slack_team_id="T0002", enterprise_id="", created_at=NOW)
        s.add(other)
        s.flush()
        s.add(SalesTeam(workspace_id=other.id, name="Field", channel_id="C0FIELD", created_at=NOW))
        s.commit()
    store = EncryptedInstallationStore(CLIENT_ID, engine, KEY)
    tokens = {}
    for team in ("T0001", "T0002"):
        tokens[team] = slack.add_install(f"code-{team}", team)
        store.save(
            Installation(
                app_id="APACER",
                enterprise_id=None,
                team_id=team,
                team_name=f"Team {team}",
                bot_token=tokens[team],
                bot_id=f"B{team}",
                bot_user_id=f"UBOT{team}",
                bot_scopes=sorted(manifest_bot_scopes()),
                user_id="UINSTALLER",
                installed_at=(NOW - timedelta(days=2)).timestamp(),
            )
        )
    engine.dispose()
    return url, tokens


def _oauth_doctor(folder, slack, url, key=KEY):
    return _doctor(
        folder,
        slack,
        url,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET="client-secret",
        PACER_SECRET_KEY=key,
    )


def test_each_installation_and_each_channel_is_checked_with_its_own_token(
    tmp_path, slack, two_installs
):
    url, tokens = two_installs
    result, lines = _oauth_doctor(tmp_path, slack, url)
    assert result.returncode == 0, result.stdout + result.stderr
    wanted = len(manifest_bot_scopes())
    assert lines["bot token"] == ("ok", "none in SLACK_BOT_TOKEN: OAuth mode, one per install")
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


def test_an_org_wide_install_serves_its_workspaces_channels(tmp_path, slack):
    url = _database(tmp_path)
    engine = db.make_engine(url)
    with db.session(engine) as s:
        grid = Workspace(slack_team_id="T0003", enterprise_id="E0001", created_at=NOW)
        s.add(grid)
        s.flush()
        s.add(SalesTeam(workspace_id=grid.id, name="Grid", channel_id="C0GRID", created_at=NOW))
        s.commit()
    token = slack.add_install("code-org", None, enterprise_id="E0001", org_wide=True)
    EncryptedInstallationStore(CLIENT_ID, engine, KEY).save(
        Installation(
            app_id="APACER",
            enterprise_id="E0001",
            team_id=None,
            bot_token=token,
            bot_id="BE0001",
            bot_user_id="UBOTE0001",
            user_id="WINSTALLER",
            is_enterprise_install=True,
            installed_at=NOW.timestamp(),
        )
    )
    engine.dispose()
    slack.add_channel("C0GRID", "grid")
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
