"""time_off (a rep's days away) and member.started_on / member.last_day (tenure)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Members stored before this have no start and no last day: they were on the team all along,
which is what their numbers have assumed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("last_day", sa.Date(), nullable=True))
    op.create_table(
        "time_off",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("entered_by", sa.String(length=32), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=32), nullable=True),
    )
    op.create_index("ix_time_off_user_day", "time_off", ["workspace_id", "user_id", "day"])
    op.create_index(
        "uq_time_off_live",
        "time_off",
        ["workspace_id", "user_id", "day"],
        unique=True,
        sqlite_where=sa.text("cancelled_at IS NULL"),
        postgresql_where=sa.text("cancelled_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_time_off_live", table_name="time_off")
    op.drop_index("ix_time_off_user_day", table_name="time_off")
    op.drop_table("time_off")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("last_day")
        batch_op.drop_column("started_on")
