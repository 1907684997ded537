"""The tables of the HTTP API and of ingestion (rituals/ingest): tokens, items held until their
owner is known, owner mappings, and the answers kept for Idempotency-Key retries."""

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

LIVE = text("revoked_at IS NULL")


class ApiToken(SQLModel, table=True):
    """A bearer token of one workspace. Only its SHA-256 is stored (the token is 256 random bits,
    so a slow hash adds nothing); ``hint`` is its last 4 characters, for masked lists. A revoked
    token keeps its row, so its name and who revoked it stay on record."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64)
    hint: str = Field(max_length=8)
    scopes: str = Field(max_length=200)  # comma-separated
    created_by: str = Field(max_length=32)  # "cli" or a Slack user ID
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=32)

    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_api_token_hash"),
        # One live token per name; a revoked name may be used again.
        Index(
            "uq_api_token_live_name",
            "workspace_id",
            "name",
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
    )


class HeldActivity(SQLModel, table=True):
    """An ingested item whose owner Pacer could not match to a Slack user, as last received
    (the same upsert key as activity_log's). Mapping the owner applies it and removes it."""

    __tablename__ = "held_activity"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    source: str = Field(max_length=64)
    external_id: str = Field(max_length=200)
    owner: str = Field(max_length=200)  # as sent
    owner_key: str = Field(max_length=200)  # lowercased: what a mapping matches
    kpi: str = Field(max_length=64)
    count: int
    occurred_at: datetime
    received_at: datetime  # dates are checked against this, not the time it is mapped
    via: str = Field(max_length=16)  # the log source it will be stored with (api, import…)
    entered_by: str = Field(max_length=32)

    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id", name="uq_held_key"),
        Index("ix_held_owner", "workspace_id", "owner_key"),
    )


class OwnerAlias(SQLModel, table=True):
    """An email or another system's id that means a Slack user (``alias`` lowercased)."""

    __tablename__ = "owner_alias"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    alias: str = Field(max_length=200)
    user_id: str = Field(max_length=32)
    mapped_by: str = Field(max_length=32)
    mapped_at: datetime

    __table_args__ = (UniqueConstraint("workspace_id", "alias", name="uq_owner_alias"),)


class IdempotentResponse(SQLModel, table=True):
    """The first answer to a request sent with an Idempotency-Key, per token, for 24 hours:
    a retry gets it back instead of running again (Stripe's model). Stored in the request's
    own transaction, so an answer is kept exactly when its writes were."""

    __tablename__ = "api_idempotency"
    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="api_token.id")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)  # method, path and body: a different request → 422
    status: int
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime

    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_idempotency_key"),)


class ApiRate(SQLModel, table=True):
    """A token's request rate, shared by every worker and replica on the database: the
    "theoretical arrival time" of the generic cell rate algorithm (a token bucket kept as one
    number, api/ratelimit.py). Unlogged on PostgreSQL (migration 0020): a lost row after a crash
    only forgets a second of history, and its updates need no WAL flush."""

    __tablename__ = "api_rate"
    token_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    tat: float  # seconds since the epoch; the bucket is full when tat <= now
    ok: bool  # the last request's verdict (read back by the same statement)
