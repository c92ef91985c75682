"""Workspaces, their immutable versions, each version's sheets and source files.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("version.id"), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("mapping", sa.Text, nullable=True),
        sa.UniqueConstraint("workspace_id", "number"),
    )
    op.create_index("ix_version_workspace_id", "version", ["workspace_id"])
    op.create_table(
        "version_sheet",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sheet", sa.String(40), primary_key=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
    )
    op.create_index("ix_source_file_version_id", "source_file", ["version_id"])


def downgrade() -> None:
    op.drop_table("source_file")
    op.drop_table("version_sheet")
    op.drop_index("ix_version_workspace_id", "version")
    op.drop_table("version")
    op.drop_table("workspace")
