"""The workshop record: sessions, participants, sector notes, engagement changes, decisions and
commitments, action items; scorecards and their criteria. All belong to a workspace.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SESSION_CHILDREN = (
    "workshop_participant",
    "workshop_sector_note",
    "workshop_change",
    "workshop_decision",
    "workshop_action",
)


def _session_id() -> sa.Column:
    return sa.Column("session_id", sa.Integer, sa.ForeignKey("workshop_session.id", ondelete="CASCADE"), nullable=False)


def _workspace_id() -> sa.Column:
    return sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "workshop_session",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_id(),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("facilitator", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_workshop_session_workspace_id", "workshop_session", ["workspace_id"])
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("actor_id", sa.String(100), nullable=True),
        sa.Column("guest", sa.String(200), nullable=True),
    )
    op.create_table(
        "workshop_sector_note",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("sector", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "workshop_change",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("before", sa.String(40), nullable=True),
        sa.Column("after", sa.String(40), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "workshop_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("actor_id", sa.String(100), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "workshop_action",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner_actor_id", sa.String(100), nullable=True),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    )
    for table in SESSION_CHILDREN:
        op.create_index(f"ix_{table}_session_id", table, ["session_id"])
    op.create_table(
        "scorecard_criterion",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("workspace_id", "name"),
    )
    op.create_index("ix_scorecard_criterion_workspace_id", "scorecard_criterion", ["workspace_id"])
    op.create_table(
        "scorecard_score",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_id(),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("criterion", sa.String(200), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.UniqueConstraint("workspace_id", "year", "actor_id", "criterion"),
    )
    op.create_index("ix_scorecard_score_workspace_id", "scorecard_score", ["workspace_id"])


def downgrade() -> None:
    for table in ("scorecard_score", "scorecard_criterion", *reversed(SESSION_CHILDREN), "workshop_session"):
        op.drop_table(table)
