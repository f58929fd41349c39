"""Engine, SQLite pragmas, full-text index and table creation."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, event, text
from sqlmodel import Session, SQLModel, create_engine

from portal import models  # noqa: F401  (registers the tables)

# External-content FTS5 index over name and bio, kept in step with `listing` by triggers.
_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS listing_fts USING fts5(
        name, bio, content='listing', content_rowid='id', tokenize='porter unicode61')""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_ai AFTER INSERT ON listing BEGIN
        INSERT INTO listing_fts(rowid, name, bio) VALUES (new.id, new.name, new.bio); END""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_ad AFTER DELETE ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, name, bio)
        VALUES ('delete', old.id, old.name, old.bio); END""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_au AFTER UPDATE ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, name, bio)
        VALUES ('delete', old.id, old.name, old.bio);
        INSERT INTO listing_fts(rowid, name, bio) VALUES (new.id, new.name, new.bio); END""",
]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 5}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.execute("PRAGMA cache_size=-32000")
            cur.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    if is_sqlite(engine):
        with engine.begin() as conn:
            for statement in _SQLITE_FTS:
                conn.execute(text(statement))


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
