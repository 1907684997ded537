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
TOKEN_COLUMNS = {
    INSTALLATIONS: ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    BOTS: ("bot_token", "bot_refresh_token"),
}


def _columns(table: str, spec: list[tuple[str, object]]) -> list[Column]:
    tokens = TOKEN_COLUMNS.get(table, ())
    return [Column(name, String(TOKEN_LENGTH) if name in tokens else kind) for name, kind in spec]


_COMMON_HEAD = [
    ("client_id", String(32)),
    ("app_id", String(32)),
    ("enterprise_id", String(32)),
    ("enterprise_name", String(200)),
]

installations = Table(
    INSTALLATIONS,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_columns(
        INSTALLATIONS,
        [
            *_COMMON_HEAD,
            ("enterprise_url", String(200)),
            ("team_id", String(32)),
            ("team_name", String(200)),
            ("bot_token", None),
            ("bot_id", String(32)),
            ("bot_user_id", String(32)),
            ("bot_scopes", String(1000)),
            ("bot_refresh_token", None),
            ("bot_token_expires_at", DateTime),
            ("user_id", String(32)),
            ("user_token", None),
            ("user_scopes", String(1000)),
            ("user_refresh_token", None),
            ("user_token_expires_at", DateTime),
            ("incoming_webhook_url", String(200)),
            ("incoming_webhook_channel", String(200)),
            ("incoming_webhook_channel_id", String(200)),
            ("incoming_webhook_configuration_url", String(200)),
            ("token_type", String(32)),
        ],
    ),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)
for _name in ("client_id", "app_id", "user_id"):
    installations.c[_name].nullable = False

bots = Table(
    BOTS,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_columns(
        BOTS,
        [
            *_COMMON_HEAD,
            ("team_id", String(32)),
            ("team_name", String(200)),
            ("bot_token", None),
            ("bot_id", String(32)),
            ("bot_user_id", String(32)),
            ("bot_scopes", String(1000)),
            ("bot_refresh_token", None),
            ("bot_token_expires_at", DateTime),
        ],
    ),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
for _name in ("client_id", "app_id"):
    bots.c[_name].nullable = False

oauth_states = Table(
    STATES,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
