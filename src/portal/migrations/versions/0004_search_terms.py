"""search terms

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Search reads what a listing offers as well as its name and bio: a ``search_terms`` column
(its languages, specialties and approaches by name, in English and Spanish, made by
directory/search.py on every load) joins the full-text index, so "español", "habla español"
or "Gottman" find the counselors who offer them.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS listing_fts_ai",
    "DROP TRIGGER IF EXISTS listing_fts_ad",
    "DROP TRIGGER IF EXISTS listing_fts_au",
    "DROP TABLE IF EXISTS listing_fts",
]
SQLITE_FULL_TEXT = [
    """CREATE VIRTUAL TABLE listing_fts USING fts5(
        name, bio, search_terms, content='listing', content_rowid='id',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER listing_fts_ai AFTER INSERT ON listing BEGIN
        INSERT INTO listing_fts(rowid, name, bio, search_terms)
        VALUES (new.id, new.name, new.bio, new.search_terms); END""",
    """CREATE TRIGGER listing_fts_ad AFTER DELETE ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, name, bio, search_terms)
        VALUES ('delete', old.id, old.name, old.bio, old.search_terms); END""",
    """CREATE TRIGGER listing_fts_au AFTER UPDATE OF name, bio, search_terms ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, name, bio, search_terms)
        VALUES ('delete', old.id, old.name, old.bio, old.search_terms);
        INSERT INTO listing_fts(rowid, name, bio, search_terms)
        VALUES (new.id, new.name, new.bio, new.search_terms); END""",
    "INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')",
]
POSTGRES_FULL_TEXT = [
    "DROP INDEX IF EXISTS ix_listing_search",
    "ALTER TABLE listing DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE listing ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(bio, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(search_terms, '')), 'B')) STORED""",
    "CREATE INDEX ix_listing_search ON listing USING gin (search_vector)",
]


def _fill_terms() -> None:
    """The terms of the listings already loaded."""
    from portal.search_terms import search_terms

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, languages, specialties, modalities FROM listing"))
    updates = []
    for listing_id, languages, specialties, modalities in rows:
        record = {
            field: json.loads(value) if isinstance(value, str) else value
            for field, value in (
                ("languages", languages),
                ("specialties", specialties),
                ("modalities", modalities),
            )
        }
        updates.append({"id": listing_id, "terms": search_terms(record)})
    if updates:
        conn.execute(sa.text("UPDATE listing SET search_terms = :terms WHERE id = :id"), updates)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in SQLITE_DROP:
            op.execute(sql)
    op.add_column(
        "listing",
        sa.Column(
            "search_terms",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
            server_default="",
        ),
    )
    _fill_terms()
    for sql in SQLITE_FULL_TEXT if dialect == "sqlite" else POSTGRES_FULL_TEXT:
        op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in SQLITE_DROP:
            op.execute(sql)
        op.drop_column("listing", "search_terms")
        from importlib import import_module

        first = import_module("portal.migrations.versions.0001_initial_schema")
        for sql in first.SQLITE_FULL_TEXT:
            op.execute(sql)
        op.execute("INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')")
    else:
        op.execute("DROP INDEX IF EXISTS ix_listing_search")
        op.execute("ALTER TABLE listing DROP COLUMN IF EXISTS search_vector")
        op.drop_column("listing", "search_terms")
        from importlib import import_module

        first = import_module("portal.migrations.versions.0001_initial_schema")
        for sql in first.POSTGRES_FULL_TEXT:
            op.execute(sql)
