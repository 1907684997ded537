"""Ingestion and the HTTP API: activity_log.ext_source/external_id (the upsert key of ingested
activity), user_profile.email, api_token, held_activity, owner_alias, api_idempotency

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
# 0010 and 0011 are reserved for other branches: whoever merges them re-points this line.
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    # Plain ADD COLUMNs and CREATE INDEXes: no table is rebuilt, however many logs it holds.
    op.add_column("activity_log", sa.Column("ext_source", sa.String(length=64), nullable=True))
    op.add_column("activity_log", sa.Column("external_id", sa.String(length=200), nullable=True))
    op.create_index(
        "uq_log_external",
        "activity_log",
        ["workspace_id", "ext_source", "external_id"],
        unique=True,
    )
    op.add_column("user_profile", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_index("ix_profile_email", "user_profile", ["workspace_id", "email"])

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name="uq_api_token_hash"),
    )
    op.create_index(
        "uq_api_token_live_name",
        "api_token",
        ["workspace_id", "name"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_table(
        "held_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("owner_key", sa.String(length=200), nullable=False),
        sa.Column("kpi", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("entered_by", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "source", "external_id", name="uq_held_key"),
    )
    op.create_index("ix_held_owner", "held_activity", ["workspace_id", "owner_key"])
    op.create_table(
        "owner_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("mapped_by", sa.String(length=32), nullable=False),
        sa.Column("mapped_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "alias", name="uq_owner_alias"),
    )
    op.create_table(
        "api_idempotency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("api_token.id"), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_id", "key", name="uq_idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("api_idempotency")
    op.drop_table("owner_alias")
    op.drop_index("ix_held_owner", table_name="held_activity")
    op.drop_table("held_activity")
    op.drop_index("uq_api_token_live_name", table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_profile_email", table_name="user_profile")
    with op.batch_alter_table("user_profile") as batch_op:
        batch_op.drop_column("email")
    op.drop_index("uq_log_external", table_name="activity_log")
    with op.batch_alter_table("activity_log") as batch_op:
        batch_op.drop_column("external_id")
        batch_op.drop_column("ext_source")
