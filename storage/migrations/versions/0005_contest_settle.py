"""contest.settles_at: a contest's result is frozen a grace period after its last working day

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

Contests stored before this keep the result time they were started with: their end.
The column stays nullable: making it NOT NULL would rebuild the table on SQLite, whose
DROP TABLE (foreign keys on) would trip over the entrants and lag suggestions that refer
to it; the code reads a missing value as ``ends_at`` too.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settles_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE contest SET settles_at = ends_at WHERE settles_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("settles_at")
