"""listing flags index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

One index over the yes/no filters (sliding scale, free consultation, individual screening,
evenings, weekends): the directory reads each one's bitmap from it without reading the table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["sliding_scale", "free_consult", "screens_individually", "evenings", "weekends"]


def upgrade() -> None:
    op.create_index("ix_listing_flags", "listing", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_listing_flags", table_name="listing")
