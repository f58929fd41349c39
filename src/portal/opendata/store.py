"""The open-data downloads, built once per data version and kept as files.

Built on request, one HSDS zip of 100,000 listings took minutes and a FHIR Bundle hundreds
of megabytes, on every request, and kept going for a person who had left. Here each format
is built once per data version (``db.data_version``), by ``python -m portal export`` in a
process of its own (the server's threads and event loop keep the interpreter to themselves),
and kept as a file: beside a SQLite database in ``exports/``, or for a database server in
the temporary folder. A file, not memory: the FHIR Bundle of 100,000 listings is larger than
the whole server process. Every server process over the same database shares the files, and
a lock file lets one process build at a time.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from portal.models import DataVersion

log = logging.getLogger("portal")

BUILD_SECONDS = 3600  # a build still running after this is stopped


@dataclass(frozen=True)
class Format:
    name: str  # as in `python -m portal export --format`
    suffix: str
    filename: str  # as the download is named
    media_type: str


FORMATS = {
    "hsds": Format("hsds", ".zip", "portal-directory-hsds.zip", "application/zip"),
    "fhir": Format("fhir", ".json", "portal-directory-fhir.json", "application/fhir+json"),
}


def folder_for(engine: Engine) -> Path:
    """Where the files of ``engine``'s database are kept."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "exports"
    name = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"portal-exports-{name}"


class Store:
    """The kept files of one database, and the one build at a time that makes them."""

    def __init__(self, engine: Engine, folder: Path | None = None) -> None:
        self.engine = engine
        self.folder = folder or folder_for(engine)
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self.builds = 0  # started by this process (tests)

    def path(self, fmt: Format, version: int) -> Path:
        return self.folder / f"{fmt.name}-{version}{fmt.suffix}"

    def newest(self, fmt: Format) -> tuple[int, Path] | None:
        """The newest kept file of ``fmt``, with its version."""
        pattern = re.compile(rf"{fmt.name}-(\d+){re.escape(fmt.suffix)}")
        found = []
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if match := pattern.fullmatch(entry.name):
                    found.append((int(match.group(1)), entry))
        return max(found, default=None)

    def building(self) -> bool:
        builder = self._builder
        return builder is not None and builder.is_alive()

    def start(self, version: int) -> None:
        """Build whatever format lacks a file of ``version``, in the background, unless a
        build runs already (in this process or another)."""
        with self._lock:
            if self.building():
                return
            self._builder = threading.Thread(
                target=self._build, args=(version,), name="exports", daemon=True
            )
            self.builds += 1
            self._builder.start()

    def wait(self) -> None:
        builder = self._builder
        if builder is not None:
            builder.join()

    def _version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(DataVersion.version)).scalar_one())

    def _build(self, version: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".build.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process builds; its files are shared
            for fmt in FORMATS.values():
                if not self.path(fmt, version).exists() and not self._build_one(fmt, version):
                    return

    def _build_one(self, fmt: Format, version: int) -> bool:
        """Build one file; keep it only if the data version did not change meanwhile."""
        partial = self.folder / f".{fmt.name}-{version}.partial{fmt.suffix}"
        env = {
            **os.environ,
            "DATABASE_URL": self.engine.url.render_as_string(hide_password=False),
        }
        command = [sys.executable, "-m", "portal", "export", "--format", fmt.name]
        try:
            subprocess.run(
                [*command, "--out", str(partial)],
                env=env,
                check=True,
                timeout=BUILD_SECONDS,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=lambda: os.nice(10),  # the server's requests come first
            )
            if self._version() != version:
                return False  # loaded again meanwhile: the next request asks for that one
            os.replace(partial, self.path(fmt, version))
        except (subprocess.SubprocessError, OSError) as error:
            stderr = getattr(error, "stderr", b"") or b""
            log.error("building the %s export failed: %s", fmt.name, stderr[-500:].decode())
            return False
        finally:
            partial.unlink(missing_ok=True)
        for entry in self.folder.glob(f"{fmt.name}-*{fmt.suffix}"):
            if entry.name != self.path(fmt, version).name:
                entry.unlink(missing_ok=True)  # a reader of an old file keeps it open
        return True


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def store_for(engine: Engine) -> Store:
    key = engine.url.render_as_string(hide_password=True)
    with _stores_lock:
        found = _stores.get(key)
        if found is None or found.engine is not engine:
            found = _stores[key] = Store(engine)
        return found
