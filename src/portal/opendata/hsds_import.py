"""Import an HSDS data package (a folder or a .zip) into the directory.

Every problem is collected first: the package against the HSDS descriptor (hsds_read), then
each mapped listing against the schema seed files are held to (``schema.ListingRecord``, through
``seed.validate_records``), reported as (file, row, column). Only a package without problems
is loaded, through ``seed.load_records`` in one transaction, so a bad package changes nothing.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import Engine

from portal.opendata.hsds_map import Mapped, map_package
from portal.opendata.hsds_read import HsdsImportError, Problem, read_package
from portal.seed import LoadReport, SeedError, SeedValidationError, load_records, validate_records

# A zip is expanded by streaming and counting: at most MAX_EXPANDED_BYTES in all, and at most
# MAX_RATIO times the archive's own size once past RATIO_FLOOR_BYTES. The HSDS export expands
# to about 4 times its size (at most 9 for one file); 100,000 listings to about 650 MB.
MAX_EXPANDED_BYTES = 2 * 1024**3
MAX_RATIO = 50
RATIO_FLOOR_BYTES = 16 * 1024**2
MAX_ZIP_ENTRIES = 1000
CHUNK_BYTES = 64 * 1024


@dataclass
class ImportReport:
    load: LoadReport
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return str(self.load)


def _seed_problems(errors: list[SeedError], mapped: list[Mapped]) -> list[Problem]:
    out = []
    for error in errors:
        if error.index is None or error.index >= len(mapped):
            out.append(Problem(error.filename, None, None, error.message))
            continue
        item = mapped[error.index]
        name = error.field or "slug"
        if error.message == "missing" and name in item.lacking:
            continue  # already reported, with what was expected
        file, row, column = item.source(name)
        out.append(Problem(file, row, column, f"listing field {name!r}: {error.message}"))
    return out


def check_package(folder: Path, source_name: str) -> tuple[list[Mapped], list[str]]:
    """The mapped listings and notes; raises ``HsdsImportError`` with every problem."""
    package, problems = read_package(folder)
    structural = [p for p in problems if p.row is None or p.row == 1]
    if structural:  # missing tables or columns: mapping the rows would only add noise
        raise HsdsImportError(problems)
    mapped = map_package(package, source_name)
    for item in mapped:
        problems.extend(item.problems)
    errors = validate_records([m.record for m in mapped], source_name)
    problems.extend(_seed_problems(errors, mapped))
    if problems:
        raise HsdsImportError(sorted(set(problems), key=_order))
    notes = [*package.notes, *(n for m in mapped for n in m.notes)]
    return mapped, notes


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.row or 0, p.column or "", p.message)


def _refuse(archive: Path, message: str) -> HsdsImportError:
    return HsdsImportError([Problem(archive.name, None, None, message)])


def _extract(archive: Path, into: Path) -> Path:
    """Unpack a zip safely: no absolute paths or '..', at most ``MAX_ZIP_ENTRIES`` entries, and
    the bytes actually written counted as they come, so that an archive expanding past
    ``MAX_EXPANDED_BYTES`` or ``MAX_RATIO`` times its own size is refused after a few MB of
    work whatever its headers claim. Returns the folder holding datapackage.json (the archive
    root or its single top folder)."""
    size = archive.stat().st_size
    allowed = min(MAX_EXPANDED_BYTES, max(RATIO_FLOOR_BYTES, MAX_RATIO * size))
    too_big = (
        f"the zip expands to more than {allowed:,} bytes ({MAX_RATIO} times its own "
        f"{size:,}, or at most {MAX_EXPANDED_BYTES:,}): refused as a possible zip bomb"
    )
    root = into.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_ENTRIES:
                raise _refuse(archive, f"more than {MAX_ZIP_ENTRIES} files in the zip")
            for info in members:
                parts = PurePosixPath(info.filename).parts
                target = (root / info.filename).resolve()
                if (
                    info.filename.startswith("/")
                    or ".." in parts
                    or not target.is_relative_to(root)
                ):
                    raise _refuse(archive, "unsafe path in zip")
            if sum(info.file_size for info in members) > allowed:
                raise _refuse(archive, too_big)  # as its headers say: no need to expand it
            written = 0
            for info in members:
                target = root / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, target.open("wb") as sink:
                    while chunk := source.read(CHUNK_BYTES):
                        written += len(chunk)
                        if written > allowed:
                            raise _refuse(archive, too_big)
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise _refuse(archive, f"not a readable zip ({exc})") from None
    found = sorted(into.rglob("datapackage.json"))
    return found[0].parent if found else into


def import_package(engine: Engine, path: Path | str, *, replace: bool = True) -> ImportReport:
    """Validate and load an HSDS package; raises ``HsdsImportError`` (nothing loaded)."""
    path = Path(path)
    source_name = path.name or str(path)
    with tempfile.TemporaryDirectory(prefix="portal-hsds-") as tmp:
        folder = _extract(path, Path(tmp)) if zipfile.is_zipfile(path) else path
        mapped, notes = check_package(folder, source_name)
    records = [m.record for m in mapped]
    try:
        report = load_records(engine, records, source_name, replace=replace)
    except SeedValidationError as exc:  # e.g. a slug already in the database (append)
        raise HsdsImportError(_seed_problems(exc.errors, mapped)) from None
    return ImportReport(report, notes)
