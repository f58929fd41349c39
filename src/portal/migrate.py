"""Schema migrations (Alembic) for SQLite and PostgreSQL, and the start-up check that the
database is reachable and current."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from portal.db import make_engine
from portal.paths import PACKAGE_DIR

# Full-text objects are dialect-specific and made by the migrations' raw SQL (SQLite: an FTS5
# table and its triggers; PostgreSQL: a generated tsvector column and its GIN index), so the
# model comparison leaves them out.
FULL_TEXT_NAMES = ("listing_fts", "search_vector", "ix_listing_search")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter: compare everything but the full-text objects."""
    return name is None or not name.startswith(FULL_TEXT_NAMES)


class DatabaseNotReady(RuntimeError):
    """A one-line, actionable reason the database cannot be used."""


def open_database(database_url: str) -> Engine:
    """An engine for ``database_url``, or DatabaseNotReady saying what is wrong with the URL."""
    try:
        return make_engine(database_url)
    except (ArgumentError, NoSuchModuleError) as exc:
        scheme = database_url.split(":", 1)[0]
        raise DatabaseNotReady(
            f"DATABASE_URL is not a database URL this portal can use ({scheme}: {exc}). "
            "Use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME."
        ) from None


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    try:
        with engine.begin() as conn:
            tables = set(inspect(conn).get_table_names())
            if "listing" in tables and "alembic_version" not in tables:
                raise DatabaseNotReady(
                    f"the database at DATABASE_URL={engine.url.render_as_string()} was made "
                    "before this portal had migrations; move it aside and start again "
                    "(`python -m portal migrate`, then `python -m portal seed` or your HSDS "
                    "import): the directory is rebuilt from those."
                )
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from None


def create_schema(engine: Engine) -> None:
    """Bring the database to the current schema (the migrations, full-text index included)."""
    upgrade(engine)


def _unreachable(engine: Engine, exc: OperationalError) -> DatabaseNotReady:
    where = engine.url.render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    return DatabaseNotReady(
        f"cannot reach the database at DATABASE_URL={where} ({reason}). "
        "Check the URL and that the server is running."
    )


def check_ready(engine: Engine) -> None:
    """Raise DatabaseNotReady with a one-line message if the app cannot start on ``engine``."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from None
    except ArgumentError as exc:
        raise DatabaseNotReady(
            f"DATABASE_URL={where} is not a valid database URL ({exc})."
        ) from None
    head = head_revision(engine)
    if current != head:
        state = "has no schema yet" if current is None else f"is at migration {current}"
        raise DatabaseNotReady(
            f"the database at DATABASE_URL={where} {state}, but this portal needs {head}. "
            "Run `python -m portal migrate`."
        )
