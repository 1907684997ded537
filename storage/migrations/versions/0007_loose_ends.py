"""workspace.rituals_paused_at (uninstalled: rituals paused, data kept), coaching_note.done_by
(an action item marked done, and by whom), and one running contest per team and name

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Two running contests of one team that already share a name (started at the same instant before
this index existed) keep their data: every one but the oldest gets " #<id>" after its name, so
the unique index can be built and each can still be named in `/contest standings|end`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rituals_paused_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("coaching_note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_by", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE contest SET name = substr(name, 1, 66) || ' #' || CAST(id AS VARCHAR(12)) "
        "WHERE status = 'running' AND EXISTS (SELECT 1 FROM contest AS older "
        "WHERE older.team_id = contest.team_id AND older.name = contest.name "
        "AND older.status = 'running' AND older.id < contest.id)"
    )
    op.create_index(
        "uq_contest_running_name",
        "contest",
        ["team_id", "name"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("uq_contest_running_name", table_name="contest")
    with op.batch_alter_table("coaching_note", schema=None) as batch_op:
        batch_op.drop_column("done_by")
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("rituals_paused_at")
