"""The secret key: generated once per install when none is configured, shared by every
process, and refused in production when it is guessable."""

from __future__ import annotations

import logging
import secrets
import stat
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from portal.app import create_app
from portal.security import derive_key
from portal.settings import (
    DEV_SECRET,
    KEY_FILE_NAME,
    Settings,
    key_file,
    load_or_create_key,
    with_secret_key,
)

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

REPOSITORY = Path(__file__).resolve().parents[2]


def sqlite_settings(folder: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{folder / 'portal.db'}")


def test_without_a_key_the_first_start_writes_a_private_one_beside_the_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal")
    first = with_secret_key(sqlite_settings(tmp_path))
    path = tmp_path / "portal.db.secret-key"
    assert path.read_text().strip() == first.secret_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secret_key != DEV_SECRET and len(first.secret_key) >= 48
    said = [r.getMessage() for r in caplog.records if "secret key" in r.getMessage()]
    assert len(said) == 1 and str(path) in said[0] and first.secret_key not in said[0]

    caplog.clear()
    again = with_secret_key(sqlite_settings(tmp_path))
    assert again.secret_key == first.secret_key
    assert not [r for r in caplog.records if "secret key" in r.getMessage()]


def test_a_default_start_does_not_seal_cookies_with_a_key_from_the_source(
    tmp_path: Path,
) -> None:
    app = create_app(sqlite_settings(tmp_path))
    sealed_with = app.state.settings.secret_key
    assert sealed_with and sealed_with != DEV_SECRET
    assert derive_key(sealed_with, "session") != derive_key(DEV_SECRET, "session")


def test_two_installs_get_different_keys(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = with_secret_key(sqlite_settings(tmp_path / "a")).secret_key
    b = with_secret_key(sqlite_settings(tmp_path / "b")).secret_key
    assert a != b


def test_another_database_keeps_the_key_in_the_working_folder_or_the_named_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    postgres = Settings(database_url="postgresql+psycopg://portal@127.0.0.1/portal")
    assert key_file(postgres) == tmp_path / KEY_FILE_NAME
    assert key_file(Settings(database_url="sqlite://")) == tmp_path / KEY_FILE_NAME
    monkeypatch.setenv("DATABASE_URL", postgres.database_url)
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_SECRET_KEY_FILE", str(tmp_path / "keys" / "portal.key"))
    settings = with_secret_key(Settings.from_env())
    assert (tmp_path / "keys" / "portal.key").read_text().strip() == settings.secret_key


def test_every_process_of_a_multi_worker_start_reads_the_same_key(tmp_path: Path) -> None:
    path = tmp_path / "portal.db.secret-key"
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(load_or_create_key, [path] * 8))
    assert len(set(keys)) == 1
    assert path.read_text().strip() == keys[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary files


def test_an_existing_key_file_wins_over_a_race(tmp_path: Path) -> None:
    path = tmp_path / "k.secret-key"
    path.write_text("written-by-another-worker-" + "Q7p" * 10 + "\n")
    assert load_or_create_key(path) == "written-by-another-worker-" + "Q7p" * 10


def test_generated_keys_are_kept_out_of_git() -> None:
    ignored = (REPOSITORY / ".gitignore").read_text().splitlines()
    assert "*.secret-key" in ignored  # portal.db.secret-key and portal.secret-key


WEAK = {
    "48 repeated letters": "s" * 48,
    "a prefix and repeated letters": "prod-" + "k" * 59,
    "a repeated block": "0123456789abcdef" * 3,
    "a run of characters": "abcdefghijklmnopqrstuvwxyz0123456789",
    "a short key": "short-Secret-9x",
    "the value in the source": DEV_SECRET,
    "no key at all": "",
}


@pytest.mark.parametrize("key", WEAK.values(), ids=WEAK.keys())
def test_production_refuses_a_guessable_key_in_one_line(settings: Settings, key: str) -> None:
    with pytest.raises(SystemExit) as refused:
        create_app(replace(settings, production=True, secret_key=key))
    message = str(refused.value)
    assert "\n" not in message and "PORTAL_SECRET_KEY" in message
    assert key == "" or key not in message


@pytest.mark.parametrize(
    "key",
    [
        secrets.token_urlsafe(48),
        "9f86d081884c7d659a2feaa0c55ad015",  # 32 hex characters: 128 random bits
        "prod-Zp4Lr8Vx1Qm6Tn0Kc3Hy7Bw2Dg5Js9Fe-UaXoRiEtWqYsPl",
    ],
)
def test_production_accepts_a_random_key(settings: Settings, key: str) -> None:
    create_app(replace(settings, production=True, secret_key=key))
