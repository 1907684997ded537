"""ritual runs: one row per (team, ritual, period), claimed before anything is posted

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Checked against autogenerate (storage.models.RitualRun on a database at 0001): the same table,
constraints and index, with sa.String / sa.DateTime(timezone=True) spelled out as in 0001
instead of SQLModel's AutoString / UTCDateTime wrappers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ritual_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("parts_done", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["sales_team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "kind", "period_key", name="uq_ritual_run_period"),
    )
    with op.batch_alter_table("ritual_run", schema=None) as batch_op:
        batch_op.create_index("ix_ritual_run_status", ["status", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ritual_run", schema=None) as batch_op:
        batch_op.drop_index("ix_ritual_run_status")

    op.drop_table("ritual_run")
