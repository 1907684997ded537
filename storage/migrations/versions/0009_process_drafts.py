"""Process drafts and reviews: process_draft (one open per team), draft_edit, process_review,
review_reviewer, review_answer, and process_version.draft_id (the draft a version came from)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "process_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("sales_team.id"), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("open_key", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "open_key", name="uq_draft_open_key"),
    )
    op.create_index("ix_process_draft_team_id", "process_draft", ["team_id"])
    op.create_index(
        "uq_draft_open_team",
        "process_draft",
        ["team_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "process_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("process_draft.id"), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("thread_channel", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("request_key", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "request_key", name="uq_review_request"),
    )
    op.create_index("ix_process_review_draft_id", "process_review", ["draft_id"])
    op.create_table(
        "review_reviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("process_review.id"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("asked_channel", sa.String(length=32), nullable=True),
        sa.Column("asked_ts", sa.String(length=32), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "user_id", name="uq_review_reviewer"),
    )
    op.create_index("ix_review_reviewer_review_id", "review_reviewer", ["review_id"])
    op.create_table(
        "review_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("process_review.id"), nullable=False),
        sa.Column("reviewer_id", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("item", sa.String(length=120), nullable=False),
        sa.Column("instead", sa.Text(), nullable=False, server_default=""),
        sa.Column("why", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=32), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("answer_key", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "answer_key", name="uq_review_answer_key"),
    )
    op.create_index("ix_review_answer_review_id", "review_answer", ["review_id"])
    op.create_table(
        "draft_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("process_draft.id"), nullable=False),
        sa.Column("edited_by", sa.String(length=32), nullable=False),
        sa.Column("credited_to", sa.String(length=32), nullable=True),
        sa.Column("answer_id", sa.Integer(), sa.ForeignKey("review_answer.id"), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edit_key", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_id", "edit_key", name="uq_draft_edit_key"),
    )
    op.create_index("ix_draft_edit_draft_id", "draft_edit", ["draft_id"])
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_process_version_draft", "process_draft", ["draft_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.drop_constraint("fk_process_version_draft", type_="foreignkey")
        batch_op.drop_column("draft_id")
    for table in ("draft_edit", "review_answer", "review_reviewer", "process_review"):
        op.drop_table(table)
    op.drop_index("uq_draft_open_team", table_name="process_draft")
    op.drop_table("process_draft")
