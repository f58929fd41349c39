"""Engine, SQLite pragmas, sessions and the data version (the schema is made by migrate.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, case, event, select, update
from sqlmodel import Session, create_engine

from portal import models

_VERSION = models.DataVersion.__table__


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
    # Repeatable read: every statement of a request reads the snapshot its data version was
    # read in (data_version), so a load committed meanwhile never mixes into a page.
    return create_engine(database_url, pool_pre_ping=True, isolation_level="REPEATABLE READ")


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def bump_data_version(conn: Connection) -> int:
    """Mark the listings as changed, in the caller's transaction: every writer of listings
    calls this, so that each process sees the change on its next request (data_version).
    The new version is above the old one and above the clock in milliseconds, so a database
    made again from scratch never repeats an earlier version."""
    now = time.time_ns() // 1_000_000
    v = _VERSION.c.version
    bumped = conn.execute(
        update(_VERSION)
        .where(_VERSION.c.id == 1)
        .values(version=case((v + 1 > now, v + 1), else_=now))
        .returning(v)
    ).scalar_one_or_none()
    if bumped is None:  # the row was removed by hand
        conn.execute(_VERSION.insert().values(id=1, version=now))
        bumped = now
    return int(bumped)


def data_version(session: Session) -> int:
    """The version of the listings this session reads, read once per session (a request has
    one) and in its transaction: what the rest of the request reads belongs to it."""
    found = session.info.get("data_version")
    if found is None:
        connection = session.connection()
        if (
            connection.dialect.name == "sqlite"
            and not connection.connection.driver_connection.in_transaction
        ):
            # pysqlite begins no transaction for reads, so each statement would read the
            # database as it is then: a deferred BEGIN makes the rest one snapshot.
            connection.exec_driver_sql("BEGIN")
        found = session.info["data_version"] = int(connection.execute(_READ_VERSION).scalar_one())
    return found


_READ_VERSION = select(_VERSION.c.version).where(_VERSION.c.id == 1)
"""Built once and run on the Core connection: through the ORM session, building and running
it cost more than the rest of a results page's reads."""
