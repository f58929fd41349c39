"""Start-up: a wrong, unreachable or out-of-date database stops `serve` with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from portal.db import make_engine
from portal.migrate import DatabaseNotReady, check_ready, upgrade

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`


def serve(database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "portal", "serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://portal:pw@127.0.0.1:1/portal", "cannot reach the database"),
        ("mysql+nosuchdriver://x@127.0.0.1/x", "DATABASE_URL"),
    ],
)
def test_a_bad_database_url_is_one_actionable_line(url: str, says: str, tmp_path: Path) -> None:
    result = serve(url, tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert says in lines[0] and "pw" not in lines[0]


def test_a_database_at_an_older_migration_says_what_to_run(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(DatabaseNotReady, match="python -m portal migrate"):
        check_ready(engine)


def test_migrate_command_brings_a_database_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "portal", "migrate"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    check_ready(make_engine(url))


def test_a_database_made_before_migrations_is_refused_with_advice(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'legacy.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE listing (id INTEGER PRIMARY KEY)"))
    with pytest.raises(DatabaseNotReady, match="before this portal had migrations"):
        upgrade(engine)
