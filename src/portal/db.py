"""Engine, SQLite pragmas, and the schema (made by the migrations in portal/migrations)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from portal import models  # noqa: F401  (registers the tables)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        # LIFO: the connection used last (its page cache warm) is handed out again, and the
        # others stay idle with their caches unfilled (RSS), instead of a round robin over all.
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 5},
            pool_use_lifo=True,
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
    """Bring the database to the current schema (the Alembic migrations, full-text index
    included)."""
    from portal.migrate import upgrade

    upgrade(engine)


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
