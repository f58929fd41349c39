"""availability: confirmation links, their history, anonymous reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

A listing's ``availability_confirmed`` day (stamped when its counselor saves the form of a
confirmation link), the links issued (each works once, until it expires), what each saved
change changed, and the anonymous reports of people who tried to reach a counselor (the
listing, the outcome and the day: nothing else).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("listing") as batch:
        batch.add_column(sa.Column("availability_confirmed", sa.Date(), nullable=True))
    op.create_index("ix_listing_confirmed", "listing", ["availability_confirmed"])
    op.create_table(
        "listing_link",
        sa.Column("nonce", _TEXT(length=32), nullable=False),
        sa.Column("listing_slug", _TEXT(length=120), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("used", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_index("ix_listing_link_listing_slug", "listing_link", ["listing_slug"])
    op.create_table(
        "listing_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_slug", _TEXT(length=120), nullable=False),
        sa.Column("changed", sa.DateTime(), nullable=False),
        sa.Column("field", _TEXT(length=40), nullable=False),
        sa.Column("old", _TEXT(length=400), nullable=False),
        sa.Column("new", _TEXT(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_listing_change_listing_slug", "listing_change", ["listing_slug"])
    op.create_table(
        "listing_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_slug", _TEXT(length=120), nullable=False),
        sa.Column("outcome", _TEXT(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_listing_report_listing_slug", "listing_report", ["listing_slug"])
    op.create_index("ix_listing_report_day", "listing_report", ["day", "listing_slug"])


def downgrade() -> None:
    op.drop_table("listing_report")
    op.drop_table("listing_change")
    op.drop_table("listing_link")
    op.drop_index("ix_listing_confirmed", table_name="listing")
    with op.batch_alter_table("listing") as batch:
        batch.drop_column("availability_confirmed")
