"""config_stamp: the version every process's cache of teams, people and processes is keyed on

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "config_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # A random start: a process that cached reads from another database never takes them for
    # this one's (tests and `pacer import` make fresh databases at the same URL).
    op.bulk_insert(table, [{"id": 1, "version": secrets.randbits(52)}])


def downgrade() -> None:
    op.drop_table("config_stamp")
