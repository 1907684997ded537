"""slack_sdk's SQLAlchemy installation and state stores on Pacer's migrated database (SQLite and
PostgreSQL): tokens encrypted at rest, keys rotated with MultiFernet, uninstall deletes only that
workspace's tokens, and the tables are the stores' own."""

from datetime import datetime

import pytest
from cryptography.fernet import Fernet
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import MetaData, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateColumn

from simulator.slack_standin import SlackStandin
from storage import installation_tables, people_queries
from storage.installations import BadSecretKey, EncryptedInstallationStore, StateStore
from tests.storage.support import NOW

KEY, OTHER_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
TOKENS = {
    "bot_token": "xoxb-1111-2222-" + "b" * 180,  # rotating tokens run long
    "bot_refresh_token": "xoxe-1-refresh-bot",
    "user_token": "xoxp-user-token",
    "user_refresh_token": "xoxe-1-refresh-user",
}


def installation(
    team_id="T1", enterprise_id=None, org_wide=False, user_id="U1", installed_at=None, **tokens
):
    return Installation(
        app_id="A1",
        enterprise_id=enterprise_id,
        team_id=None if org_wide else team_id,
        user_id=user_id,
        bot_user_id="UBOT",
        bot_id="BBOT",
        bot_scopes="commands,chat:write",
        is_enterprise_install=org_wide,
        bot_token_expires_in=43200,
        user_token_expires_in=43200,
        installed_at=installed_at or datetime(2026, 11, 24, 16, 0).timestamp(),
        **(TOKENS | tokens),
    )


def test_the_tables_are_the_stores_own(engine):
    """Every column slack_sdk's stores read and write exists, with its type's kind: a newer
    slack_sdk adding a column fails here, not in production."""
    store = SQLAlchemyInstallationStore(client_id="C", engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=60, engine=engine)
    ours = MetaData()
    ours.reflect(
        engine, only=[t.name for t in (store.installations, store.bots, states.oauth_states)]
    )
    for theirs in (store.installations, store.bots, states.oauth_states):
        migrated = ours.tables[theirs.name]
        assert set(migrated.c.keys()) == set(theirs.c.keys()), theirs.name
        for column in theirs.c:
            kind = migrated.c[column.name].type.python_type
            assert kind is column.type.python_type or column.name == "is_enterprise_install"
            assert migrated.c[column.name].nullable == column.nullable, column.name


def test_tokens_are_stored_encrypted_and_found_decrypted(engine):
    store = EncryptedInstallationStore("C", engine, KEY)
    store.save(installation())
    with engine.connect() as conn:
        raw = conn.execute(
            text(
                "SELECT bot_token, bot_refresh_token, user_token, user_refresh_token "
                "FROM slack_installations"
            )
        ).one()
        raw_bot = conn.execute(text("SELECT bot_token, bot_refresh_token FROM slack_bots")).one()
    for stored, plain in zip(raw, TOKENS.values(), strict=True):
        assert plain not in stored and not stored.startswith("xox")
        assert Fernet(KEY.encode()).decrypt(stored.encode()).decode() == plain
    assert TOKENS["bot_token"] not in raw_bot[0] and TOKENS["bot_refresh_token"] not in raw_bot[1]
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert (found.bot_token, found.user_token, found.user_refresh_token) == (
        TOKENS["bot_token"],
        TOKENS["user_token"],
        TOKENS["user_refresh_token"],
    )
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    assert (bot.bot_token, bot.bot_refresh_token, bot.bot_user_id) == (
        TOKENS["bot_token"],
        TOKENS["bot_refresh_token"],
        "UBOT",
    )


def test_a_rotated_key_still_reads_old_rows_and_a_lost_key_reads_none(engine):
    EncryptedInstallationStore("C", engine, KEY).save(installation())
    rotated = EncryptedInstallationStore("C", engine, f"{OTHER_KEY},{KEY}")
    assert rotated.find_bot(enterprise_id=None, team_id="T1").bot_token == TOKENS["bot_token"]
    rotated.save(installation(team_id="T2"))  # new rows: the first key
    with engine.connect() as conn:
        new = conn.execute(text("SELECT bot_token FROM slack_bots WHERE team_id = 'T2'")).scalar()
    assert Fernet(OTHER_KEY.encode()).decrypt(new.encode()).decode() == TOKENS["bot_token"]
    lost = EncryptedInstallationStore("C", engine, Fernet.generate_key().decode())
    assert lost.find_bot(enterprise_id=None, team_id="T1").bot_token is None


@pytest.mark.parametrize("key", ["", "not-a-key", "x" * 44, f"{KEY},oops"])
def test_a_bad_secret_key_says_how_to_make_one(engine, key):
    with pytest.raises(BadSecretKey) as refused:
        EncryptedInstallationStore("C", engine, key)
    assert "PACER_SECRET_KEY" in str(refused.value)


def test_org_wide_install_is_found_by_its_org(engine):
    store = EncryptedInstallationStore("C", engine, KEY)
    store.save(installation(enterprise_id="E1", org_wide=True))
    assert store.find_bot(enterprise_id="E1", team_id="T9") is None  # not a workspace's own
    bot = store.find_bot(enterprise_id="E1", team_id=None, is_enterprise_install=True)
    assert bot.bot_token == TOKENS["bot_token"] and bot.is_enterprise_install
    assert store.installed_teams() == [("E1", None, True)]


def test_an_uninstall_deletes_only_that_workspaces_tokens(engine):
    store = EncryptedInstallationStore("C", engine, KEY)
    store.save(installation(team_id="T1"))
    store.save(installation(team_id="T1", user_id="U2", installed_at=NOW.timestamp() + 3600))
    store.save(installation(team_id="T2"))
    assert store.delete_tokens(enterprise_id=None, team_id="T1") == 4  # 2 installs, 2 bots
    assert store.find_bot(enterprise_id=None, team_id="T1") is None
    assert store.find_installation(enterprise_id=None, team_id="T1") is None
    assert store.find_bot(enterprise_id=None, team_id="T2").bot_token == TOKENS["bot_token"]


@pytest.mark.parametrize("org_wide", [False, True], ids=["workspace", "org-wide"])
def test_a_rotated_bot_token_is_what_every_read_finds(engine, org_wide):
    """A token rotation (slack_sdk's TokenRotator, against the Slack stand-in) saves only the
    refreshed Bot (save_bot, as bot/oauth/tokens.py and Bolt do): the installation row of the
    same install gets its bot token too, so find_installation, with or without the installer,
    never hands out the token Slack expired nor the refresh token it used up."""
    team, org = (None, "E1") if org_wide else ("T1", None)
    store = EncryptedInstallationStore("1.2", engine, KEY)
    with SlackStandin() as slack:
        slack.add_install("code", team, enterprise_id=org, org_wide=org_wide, expires_in=600)
        oauth = WebClient(base_url=slack.url)
        answer = oauth.oauth_v2_access(client_id="1.2", client_secret="s", code="code")
        store.save(
            installation(
                team_id=team,
                enterprise_id=org,
                org_wide=org_wide,
                bot_token=answer["access_token"],
                bot_refresh_token=answer["refresh_token"],
            )
        )
        old = answer["access_token"]
        bot = store.find_bot(enterprise_id=org, team_id=team, is_enterprise_install=org_wide)
        rotator = TokenRotator(client_id="1.2", client_secret="s", client=oauth)
        # Its 12 hours are within the day: rotated now.
        rotated = rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=24 * 60)
        store.save_bot(rotated)
        new = rotated.bot_token
        assert new != old and old in slack.expired_tokens
        where = {"enterprise_id": org, "team_id": team, "is_enterprise_install": org_wide}
        found = [
            store.find_bot(**where),
            store.find_installation(**where),
            store.find_installation(**where, user_id="U1"),
        ]
        for read in found:
            assert (read.bot_token, read.bot_refresh_token) == (new, rotated.bot_refresh_token)
            assert read.bot_token_expires_at == rotated.bot_token_expires_at
            assert WebClient(token=read.bot_token, base_url=slack.url).auth_test()["ok"]
        with pytest.raises(SlackApiError, match="token_expired"):
            WebClient(token=old, base_url=slack.url).auth_test()
    assert found[1].user_token == TOKENS["user_token"]  # the installer's own token: untouched
    with engine.connect() as conn:  # one install: one row of each, the new token encrypted
        rows = conn.execute(
            text(
                "SELECT bot_token FROM slack_installations UNION ALL SELECT bot_token FROM slack_bots"
            )
        ).scalars()
        assert [Fernet(KEY.encode()).decrypt(r.encode()).decode() for r in rows] == [new, new]


def test_the_stores_never_create_their_own_tables(engine):
    with pytest.raises(RuntimeError, match="Alembic"):
        EncryptedInstallationStore("C", engine, KEY).create_tables()
    with pytest.raises(RuntimeError, match="Alembic"):
        StateStore(engine).create_tables()


def test_a_state_is_consumed_once_and_not_after_it_expires(engine):
    states = StateStore(engine)
    state = states.issue()
    assert states.consume(state) and not states.consume(state)
    late = states.issue()
    states.expire_all()
    assert not states.consume(late)
    assert not states.consume("never-issued")


def test_a_new_workspace_of_an_org_installed_org_wide_gets_the_installer_as_admin(engine, session):
    EncryptedInstallationStore("C", engine, KEY).save(
        installation(enterprise_id="E1", org_wide=True, user_id="WBOSS")
    )
    inside = people_queries.workspace_for(session, "T5", "E1", NOW)
    outside = people_queries.workspace_for(session, "T6", "E2", NOW)
    again = people_queries.workspace_for(session, "T5", "E1", NOW)
    session.commit()
    assert again.id == inside.id
    assert people_queries.promoted_admins(session, inside.id) == ["WBOSS"]
    assert people_queries.promoted_admins(session, outside.id) == []


def test_token_columns_are_wide_enough_for_ciphertext():
    assert installation_tables.TOKEN_LENGTH >= 1000


def test_every_token_column_is_encrypted():
    """TOKEN_COLUMNS (what storage/installations.py encrypts) is every column holding a token."""
    assert installation_tables.TOKEN_COLUMNS == {
        "slack_installations": (
            "bot_token",
            "bot_refresh_token",
            "user_token",
            "user_refresh_token",
        ),
        "slack_bots": ("bot_token", "bot_refresh_token"),
    }
    for table in (installation_tables.installations, installation_tables.bots):
        tokens = {c.name for c in table.c if c.name.endswith(("_token", "refresh_token"))}
        assert tokens == set(installation_tables.TOKEN_COLUMNS[table.name])


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=str)
def test_the_shared_columns_are_alike_in_both_tables(dialect):
    """slack_bots' columns are all in slack_installations, defined alike (one definition, new
    Column objects for each table), in the same order."""
    bots, installs = installation_tables.bots, installation_tables.installations
    ddl = {
        table.name: {c.name: str(CreateColumn(c).compile(dialect=dialect)) for c in table.c}
        for table in (bots, installs)
    }
    shared = [c.name for c in bots.c]
    assert ddl[bots.name] == {name: ddl[installs.name][name] for name in shared}
    assert [c.name for c in installs.c if c.name in shared] == shared
    assert not set(map(id, bots.c)) & set(map(id, installs.c))
