"""The tables of slack_sdk's SQLAlchemy installation and state stores (OAuth installs), on
Pacer's own metadata so that Alembic (migration 0017) creates them and the drift test checks
them. Column names and types are slack_sdk's (SQLAlchemyInstallationStore.build_*_table,
SQLAlchemyOAuthStateStore.build_oauth_states_table); tests/storage/test_installations.py
compares them. One difference: the token columns are wider (String(1000), not 200), because
they hold Fernet ciphertext, about 1.4 times a token's length plus 80 characters."""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table
from sqlmodel import SQLModel

TOKEN_LENGTH = 1000
INSTALLATIONS, BOTS, STATES = "slack_installations", "slack_bots", "slack_oauth_states"


def _token(name: str) -> Column:
    """A token column: Fernet ciphertext (storage/installations.py encrypts what TOKEN_COLUMNS
    lists)."""
    return Column(name, String(TOKEN_LENGTH), info={"token": True})


def _installed_bot(*, after_enterprise=(), after_bot=()) -> list[Column]:
    """The columns slack_installations and slack_bots share, new Column objects on every call (a
    Column belongs to one table), in slack_sdk's order: ``after_enterprise`` and ``after_bot``
    are a table's own columns, placed where slack_sdk places them (CREATE TABLE keeps this
    order)."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        *after_enterprise,
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        _token("bot_token"),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        _token("bot_refresh_token"),
        Column("bot_token_expires_at", DateTime),
        *after_bot,
        Column("is_enterprise_install", Boolean, nullable=False, default=False),
        Column("installed_at", DateTime, nullable=False),
    ]


installations = Table(
    INSTALLATIONS,
    SQLModel.metadata,
    *_installed_bot(
        after_enterprise=[Column("enterprise_url", String(200))],
        after_bot=[
            Column("user_id", String(32), nullable=False),
            _token("user_token"),
            Column("user_scopes", String(1000)),
            _token("user_refresh_token"),
            Column("user_token_expires_at", DateTime),
            Column("incoming_webhook_url", String(200)),
            Column("incoming_webhook_channel", String(200)),
            Column("incoming_webhook_channel_id", String(200)),
            Column("incoming_webhook_configuration_url", String(200)),
            Column("token_type", String(32)),
        ],
    ),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

bots = Table(
    BOTS,
    SQLModel.metadata,
    *_installed_bot(),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

# Each table's token columns, by name: the ones storage/installations.py encrypts.
TOKEN_COLUMNS = {
    table.name: tuple(c.name for c in table.c if c.info.get("token"))
    for table in (installations, bots)
}

oauth_states = Table(
    STATES,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
