"""scheduled_publish: a draft published from a later day waits as 'scheduled' until that day

The draft keeps the day (``publish_on``); the clock publishes it at the start of that day in the
team's timezone. A scheduled draft still counts as the team's one pending next version, so the
partial unique index that allowed one open draft per team now covers 'scheduled' too.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")
PENDING = sa.text("status IN ('open', 'scheduled')")


def _index(where) -> None:
    op.create_index(
        "uq_draft_open_team",
        "process_draft",
        ["team_id"],
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


def upgrade() -> None:
    with op.batch_alter_table("process_draft") as batch:
        batch.add_column(sa.Column("publish_on", sa.Date(), nullable=True))
    op.drop_index("uq_draft_open_team", table_name="process_draft")
    _index(PENDING)


def downgrade() -> None:
    op.drop_index("uq_draft_open_team", table_name="process_draft")
    op.execute("UPDATE process_draft SET status = 'discarded' WHERE status = 'scheduled'")
    _index(OPEN)
    with op.batch_alter_table("process_draft") as batch:
        batch.drop_column("publish_on")
