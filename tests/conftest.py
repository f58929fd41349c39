"""Shared fixtures: a seeded SQLite database and a TestClient over the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.app import create_app
from portal.db import make_engine
from portal.seed import ensure_seeded
from portal.settings import Settings


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "portal.db"
    engine = make_engine(f"sqlite:///{path}")
    ensure_seeded(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def settings(seeded_db: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{seeded_db}")


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine) -> Litestar:
    return create_app(settings, engine)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
