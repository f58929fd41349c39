"""Shared fixtures: a seeded SQLite database and a TestClient over the real app."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.app import create_app
from portal.db import make_engine
from portal.security import session_config
from portal.seed import ensure_seeded
from portal.settings import Settings

TEST_SECRET = "test-suite-secret-Wq8vN3xLp0Zr6TbY2mKd9HsJ4cFg7RuE"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in a temporary folder, or the server `make test-postgres` gives in
    TEST_DATABASE_URL (an empty database the suite may fill)."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
    )
    engine = make_engine(url)
    ensure_seeded(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The seed in a SQLite file of its own, whichever database the rest of the suite uses
    (query plans, comparisons with PostgreSQL, the ZIP table). Read only."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seed.db'}")
    ensure_seeded(engine)
    yield engine
    engine.dispose()


def copy_database(source: Engine, path: Path) -> Engine:
    """A SQLite file of its own at ``path`` holding what ``source`` (a SQLite engine) holds:
    seconds cheaper than seeding again, for tests that change the data."""
    with sqlite3.connect(str(source.url.database)) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def seeded_db(database_url: str) -> Path | None:
    """The SQLite file behind the suite (None on PostgreSQL)."""
    return (
        Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    )


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # The suite sends thousands of POSTs from one client: the rate limit stays on (its
    # middleware runs on every request) but high; tests/web/test_security_limits.py tests it low.
    # An explicit key: no key file is written beside the database or in the working folder.
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        rate_limit_posts_per_minute=100_000,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine) -> Litestar:
    return create_app(settings, engine)


@pytest.fixture
def client(app: Litestar, settings: Settings) -> Iterator[TestClient]:
    """A client whose session a test can also set directly (``client.set_session_data``)."""
    with TestClient(
        app, base_url="http://127.0.0.1", session_config=session_config(settings)
    ) as test_client:
        yield test_client
