"""Join the two migrations made side by side from 0001: the workshop record (0002) and the
editor passphrase (0003). No change of its own: one head again, so a store at 0001, at 0002 or
at 0003 is brought up to date by the same upgrade.

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-12-07
"""

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
