"""data version

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

One row saying which version of the listings the database holds, bumped by every load in
the same transaction: each server process keys what it keeps about the listings by it, so a
load by any process is seen by every process on its next request.
"""

import time
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Milliseconds since the epoch: a database made again from scratch never repeats the
    # version of an earlier one (exports are kept on disk by version).
    op.bulk_insert(table, [{"id": 1, "version": time.time_ns() // 1_000_000}])


def downgrade() -> None:
    op.drop_table("data_version")
