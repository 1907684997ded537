"""Where OAuth installs keep their tokens: slack_sdk's SQLAlchemy installation and state stores on
Pacer's engine (tables from migration 0017, never the stores' create_tables()), with every token
encrypted at rest by Fernet (PACER_SECRET_KEY).

The encryption sits in the token columns' type, so every path of the store (save, save_bot,
find_*, the rotation's save) encrypts on write and decrypts on read, and nothing else changes.
Several comma-separated keys make a MultiFernet: the first encrypts, any decrypts (rotate a key
by putting the new one first, then re-saving: see README)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, String, Table, TypeDecorator, and_, delete, select, update
from sqlalchemy.engine import Engine

from storage.installation_tables import TOKEN_COLUMNS, TOKEN_LENGTH, oauth_states


class BadSecretKey(ValueError):
    """PACER_SECRET_KEY is not one or more Fernet keys."""


def fernet(secret_key: str) -> MultiFernet:
    """``secret_key``: one Fernet key (44 URL-safe base64 characters), or several separated by
    commas, the newest first."""
    keys = [k.strip() for k in secret_key.split(",") if k.strip()]
    if not keys:
        raise BadSecretKey("PACER_SECRET_KEY is empty")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as error:
        raise BadSecretKey(
            "PACER_SECRET_KEY must be a Fernet key (32 url-safe base64-encoded bytes), or several "
            "separated by commas; make one with: python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())'"
        ) from error


class EncryptedToken(TypeDecorator):
    """A token column: Fernet ciphertext in the database, the token in Python."""

    impl = String(TOKEN_LENGTH)
    cache_ok = False  # holds a key: never shared between statements of different stores

    def __init__(self, box: MultiFernet) -> None:
        super().__init__()
        self.box = box

    def process_bind_param(self, value, dialect):
        return None if value is None else self.box.encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return self.box.decrypt(value.encode()).decode()
        except InvalidToken:
            # Written under a key PACER_SECRET_KEY no longer holds: as good as no token (the
            # workspace installs again), never a crash on every request.
            return None


def _with_encrypted_tokens(table: Table, box: MultiFernet) -> Table:
    for name in TOKEN_COLUMNS.get(table.name, ()):
        table.c[name].type = EncryptedToken(box)
    return table


def _naive_utc(at: datetime | None) -> datetime | None:
    """As slack_sdk's columns hold it: naive UTC (newer releases' to_dict gives aware datetimes,
    older ones naive; slack_sdk.oauth.sqlalchemy_utils, which does this, is newer than our floor)."""
    return at.replace(tzinfo=None) if at is not None and at.tzinfo is not None else at


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, its token columns encrypted (see the module's docstring)."""

    def __init__(self, client_id: str, engine: Engine, secret_key: str) -> None:
        self._box = fernet(secret_key)
        super().__init__(client_id=client_id, engine=engine)

    # Called by the base __init__ on the instance: the tables it builds get the encrypted type.
    def build_installations_table(self, metadata: MetaData, table_name: str) -> Table:
        table = SQLAlchemyInstallationStore.build_installations_table(metadata, table_name)
        return _with_encrypted_tokens(table, self._box)

    def build_bots_table(self, metadata: MetaData, table_name: str) -> Table:
        table = SQLAlchemyInstallationStore.build_bots_table(metadata, table_name)
        return _with_encrypted_tokens(table, self._box)

    def create_tables(self):
        raise RuntimeError("Alembic creates these tables (storage/migrations, revision 0017)")

    def save_bot(self, bot: Bot) -> None:
        """slack_sdk's (the bot's row in slack_bots), and the same bot token on the installation
        row of the same install (same installed_at). A token rotation (bot/oauth/tokens.py, or
        Bolt's) saves only the Bot: without this, find_installation would still read the token
        Slack expired and the refresh token it used up. slack_sdk's save() ends here too,
        rewriting what it has just written. Two transactions (slack_sdk's own, then this): if
        the second fails, slack_bots, which every Pacer read uses (find_bot), has the new token,
        and the next rotation, which starts from it, writes both again."""
        super().save_bot(bot)
        found = bot.to_dict()
        c = self.installations.c
        with self.engine.begin() as conn:
            conn.execute(
                update(self.installations)
                .where(
                    c.client_id == self.client_id,
                    c.enterprise_id == bot.enterprise_id,
                    c.team_id == bot.team_id,
                    c.installed_at == _naive_utc(found.get("installed_at")),
                )
                .values(
                    bot_token=bot.bot_token,
                    bot_refresh_token=bot.bot_refresh_token,
                    bot_token_expires_at=_naive_utc(found.get("bot_token_expires_at")),
                    bot_id=bot.bot_id,
                    bot_user_id=bot.bot_user_id,
                    bot_scopes=found.get("bot_scopes"),
                )
            )

    def delete_tokens(self, *, enterprise_id: str | None, team_id: str | None) -> int:
        """The app was uninstalled: every installation and bot row of the workspace (or of the
        org, for an org-wide install: ``team_id`` None) goes, tokens with them. Rows deleted."""
        deleted = 0
        with self.engine.begin() as conn:
            for table in (self.installations, self.bots):
                c = table.c
                deleted += conn.execute(
                    delete(table).where(
                        and_(
                            c.client_id == self.client_id,
                            c.enterprise_id == enterprise_id,
                            c.team_id == team_id,
                        )
                    )
                ).rowcount
        return deleted

    def installed_teams(self) -> list[tuple[str | None, str | None, bool]]:
        """(enterprise_id, team_id, is_enterprise_install) of every install that has a bot."""
        c = self.bots.c
        query = (
            select(c.enterprise_id, c.team_id, c.is_enterprise_install)
            .where(c.client_id == self.client_id, c.bot_token.is_not(None))
            .distinct()
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store on the migrated table."""

    def __init__(self, engine: Engine, expiration_seconds: int = 600) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine)

    def create_tables(self):
        raise RuntimeError("Alembic creates this table (storage/migrations, revision 0017)")

    def expire_all(self) -> None:
        """Every state issued so far expires (tests: an install link left open too long)."""
        past = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
        with self.engine.begin() as conn:
            conn.execute(oauth_states.update().values(expire_at=past))
