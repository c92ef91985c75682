"""A workspace's editor passphrase, kept as a scrypt hash.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a column with every option in place; it copies the table.
    with op.batch_alter_table("workspace") as table:
        table.add_column(sa.Column("editor_passphrase", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace") as table:
        table.drop_column("editor_passphrase")
