"""PostgreSQL going away: a friendly 503 while it is down, and recovery on its own when it is
back. Runs under `make test-postgres`, where the suite owns a local server it may restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from portal.app import create_app
from portal.db import make_engine
from portal.settings import Settings
from tests.conftest import TEST_SECRET

URL = os.environ.get("TEST_DATABASE_URL", "")
CLUSTER = os.environ.get("PORTAL_PG_CLUSTER", "")  # "15 main", set by .ci/postgres.sh users

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (URL.startswith("postgresql") and shutil.which("pg_ctlcluster") and os.geteuid() == 0),
        reason="needs the local PostgreSQL server of `make test-postgres` (root, pg_ctlcluster)",
    ),
]


def _cluster() -> list[str]:
    if CLUSTER:
        return CLUSTER.split()
    port = URL.rsplit(":", 1)[1].split("/", 1)[0]
    for line in subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return [version, name]
    raise AssertionError(f"no local cluster on port {port}")


def _pg(action: str) -> None:
    subprocess.run(["pg_ctlcluster", *_cluster(), action], check=True, timeout=120)


@pytest.fixture
def own_app() -> Litestar:
    return create_app(Settings(database_url=URL, secret_key=TEST_SECRET), make_engine(URL))


def test_requests_get_a_503_while_the_database_is_down_and_recover(own_app: Litestar) -> None:
    with TestClient(own_app, base_url="http://127.0.0.1") as client:
        assert client.get("/counselors").status_code == 200
        _pg("stop")
        try:
            down = client.get("/counselors")
            assert down.status_code == 503
            assert "try again" in down.text.lower() and "Traceback" not in down.text
            api = client.get("/api/counselors")
            assert api.status_code == 503 and api.json()["detail"]
            # Pages that need no database keep working: crisis lines, the questionnaire.
            assert client.get("/help").status_code == 200
            assert client.get("/readiness/step/start").status_code == 200
        finally:
            _pg("start")
        deadline = time.monotonic() + 30
        while client.get("/counselors").status_code != 200:
            assert time.monotonic() < deadline, "the app did not recover"
            time.sleep(0.5)
