"""Engine, SQLite pragmas, full-text index and table creation."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, event, text
from sqlmodel import Session, SQLModel, create_engine

from portal import models  # registers the tables; used by _add_shuffle

# External-content FTS5 index over name and bio, kept in step with `listing` by triggers.
_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS listing_fts USING fts5(
        name, bio, content='listing', content_rowid='id', tokenize='porter unicode61')""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_ai AFTER INSERT ON listing BEGIN
        INSERT INTO listing_fts(rowid, name, bio) VALUES (new.id, new.name, new.bio); END""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_ad AFTER DELETE ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, name, bio)
        VALUES ('delete', old.id, old.name, old.bio); END""",
    """CREATE TRIGGER IF NOT EXISTS listing_fts_au AFTER UPDATE OF name, bio ON listing BEGIN
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
            cur.execute("PRAGMA cache_size=-16000")  # per connection; RSS stays bounded
            cur.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    if is_sqlite(engine):
        with engine.begin() as conn:
            for statement in _SQLITE_FTS:
                conn.execute(text(statement))
            _add_shuffle(conn)


def _add_shuffle(conn) -> None:  # type: ignore[no-untyped-def]
    """A database made before ``listing.shuffle`` existed gets the column and its index."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(listing)")}
    if "shuffle" in columns:
        return
    from portal.seed import shuffle_key

    conn.exec_driver_sql("ALTER TABLE listing ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0")
    rows = conn.exec_driver_sql("SELECT id, slug FROM listing").all()
    # The old update trigger re-indexed the text on any change; this one is for name and bio.
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS listing_fts_au")
    conn.exec_driver_sql(
        "UPDATE listing SET shuffle = ? WHERE id = ?", [(shuffle_key(s), i) for i, s in rows]
    )
    conn.execute(text(_SQLITE_FTS[-1]))
    for index in models.Listing.__table__.indexes:
        index.create(conn, checkfirst=True)


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
