"""api_rate: the per-token request rate, shared by every worker and replica

One row per token, updated by one INSERT … ON CONFLICT DO UPDATE … RETURNING per request
(storage/api_queries.py take_rate). UNLOGGED on PostgreSQL: the rows are a second of history,
not worth a WAL flush on every request.

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    unlogged = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "api_rate",
        sa.Column("token_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("token_id"),
        prefixes=["UNLOGGED"] if unlogged else [],
    )


def downgrade() -> None:
    op.drop_table("api_rate")
