"""Files to hand out: the HSDS package as one deterministic .zip and the FHIR Bundle as JSON,
built in spooled temporary files (in memory while small, on disk beyond ``SPOOL_BYTES``)."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from portal.opendata import fhir
from portal.opendata.hsds_export import descriptor_bytes, write_package

SPOOL_BYTES = 4 * 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same listings give the same bytes
Items = Iterable[tuple[dict[str, Any], float | None, float | None]]


def spooled() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # type: ignore[return-value]


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_hsds_zip(items: Items, out: IO[bytes]) -> int:
    """The HSDS package (datapackage.json and every CSV) as a zip into ``out``."""
    buffers: dict[str, IO[bytes]] = {}

    # TextIOWrapper.close() would close the buffer too: detach instead.
    class _Keep(io.TextIOWrapper):
        def close(self) -> None:
            self.flush()
            self.detach()

    def open_kept(name: str) -> IO[str]:
        raw = buffers[name] = spooled()
        return _Keep(raw, encoding="utf-8", newline="", write_through=True)

    count = write_package(items, open_kept)
    try:
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(_entry("datapackage.json"), descriptor_bytes())
            for name in sorted(buffers):
                buffers[name].seek(0)
                with archive.open(_entry(name), "w") as target:
                    shutil.copyfileobj(buffers[name], target, 1024 * 1024)
    finally:
        for buffer in buffers.values():
            buffer.close()
    return count


def write_fhir_json(items: Items, out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    try:
        return fhir.write_bundle(items, text)
    finally:
        text.flush()
        text.detach()
