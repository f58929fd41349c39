"""Import an HSDS data package (a folder or a .zip) into the directory.

Every problem is collected first: the package against the HSDS descriptor (hsds_read), then
each mapped listing against the seed loader's own checks (``seed.validate_records``), reported
as (file, row, column). Only a package without problems is loaded, through
``seed.load_records`` in one transaction, so a bad package changes nothing.
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

MAX_ZIP_BYTES = 2 * 1024**3


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


def _extract(archive: Path, into: Path) -> Path:
    """Unpack a zip safely (no absolute paths, no '..', bounded size); returns the folder
    holding datapackage.json (the archive root or its single top folder)."""
    with zipfile.ZipFile(archive) as zf:
        total = 0
        for info in zf.infolist():
            parts = PurePosixPath(info.filename).parts
            if info.filename.startswith("/") or ".." in parts:
                raise HsdsImportError([Problem(archive.name, None, None, "unsafe path in zip")])
            total += info.file_size
        if total > MAX_ZIP_BYTES:
            raise HsdsImportError([Problem(archive.name, None, None, "zip too large")])
        zf.extractall(into)
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
