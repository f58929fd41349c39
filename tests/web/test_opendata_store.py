"""The open-data downloads are built once per data version, in the background, one build at
a time: a request never builds one, and gets the previous version or a 503 meanwhile."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from portal.app import create_app
from portal.db import bump_data_version, make_engine
from portal.opendata.store import Format, Store, store_for
from portal.settings import Settings

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

PATHS = ["/api/export/hsds.zip", "/api/export/fhir.json"]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Builds wait for this event to be set before they begin."""
    release = threading.Event()
    build = Store._build_one

    def held_build(self: Store, fmt: Format, version: int) -> bool:
        assert release.wait(60)
        return build(self, fmt, version)

    monkeypatch.setattr(Store, "_build_one", held_build)
    yield release
    release.set()


@pytest.fixture
def fresh(
    seeded_sqlite: Engine, tmp_path: Path, held: threading.Event
) -> Iterator[tuple[TestClient, Store]]:
    """An app over a copy of the seed, with no download built yet."""
    copy = tmp_path / "portal.db"
    with sqlite3.connect(str(seeded_sqlite.url.database)) as source, sqlite3.connect(copy) as to:
        source.backup(to)
    engine = make_engine(f"sqlite:///{copy}")
    app = create_app(Settings(database_url=f"sqlite:///{copy}"), engine)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, store_for(engine)
    engine.dispose()


def _version(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT version FROM data_version")).scalar_one())


@pytest.mark.parametrize("path", PATHS)
def test_before_the_first_build_a_download_is_a_503_with_retry_after(
    fresh: tuple[TestClient, Store], held: threading.Event, path: str
) -> None:
    client, store = fresh
    responses = [client.get(path) for _ in range(3)]
    held.set()
    store.wait()
    for response in responses:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "30"
        assert "being prepared" in response.json()["detail"]
    assert store.builds == 1, "one build for every request that came during it"
    assert client.get(path).status_code == 200
    assert store.builds == 1, "the kept file is served"


@pytest.mark.parametrize("path", PATHS)
def test_a_download_carries_its_data_version_and_is_304_when_the_client_has_it(
    fresh: tuple[TestClient, Store], held: threading.Event, path: str
) -> None:
    client, store = fresh
    client.get(path)
    held.set()
    store.wait()
    response = client.get(path)
    kind = "hsds" if path.endswith(".zip") else "fhir"
    assert response.headers["etag"] == f'"{_version(store)}-{kind}"'
    again = client.get(path, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == response.headers["etag"]


def test_a_new_data_version_is_built_while_the_previous_one_is_served(
    fresh: tuple[TestClient, Store], held: threading.Event
) -> None:
    client, store = fresh
    client.get(PATHS[0])
    held.set()
    store.wait()
    held.clear()
    old = client.get(PATHS[0])
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE listing SET name = 'Renamed Counselor' WHERE id = 1"))
        bump_data_version(conn)
    during = client.get(PATHS[0])
    assert during.status_code == 200
    assert during.headers["etag"] == old.headers["etag"] and during.content == old.content
    held.set()
    store.wait()
    after = client.get(PATHS[0])
    assert after.headers["etag"] == f'"{_version(store)}-hsds"' != old.headers["etag"]
    assert after.content != old.content
    assert store.builds == 2
    kept = sorted(p.name for p in store.folder.glob("hsds-*.zip"))
    assert kept == [f"hsds-{_version(store)}.zip"], "older files are removed"
