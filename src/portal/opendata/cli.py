"""``python -m portal export`` and ``python -m portal import``: print a summary, return an exit
code. The database URL comes from the settings (``DATABASE_URL``)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from portal.directory.availability import shown_reports
from portal.migrate import create_schema
from portal.opendata.hsds_export import export_dir, items_from_engine
from portal.opendata.hsds_import import import_package
from portal.opendata.hsds_read import HsdsImportError
from portal.opendata.package import write_fhir_json, write_hsds_zip

MAX_PRINTED = 200


def export(engine: Engine, fmt: str, out: Path) -> int:
    create_schema(engine)
    with Session(engine) as session:
        reports = shown_reports(session, date.today())
    items = items_from_engine(engine, reports)
    if fmt == "hsds" and out.suffix.lower() == ".zip":
        with out.open("wb") as handle:
            count = write_hsds_zip(items, handle)
    elif fmt == "hsds":
        count = export_dir(items, out)
    else:
        with out.open("wb") as handle:
            count = write_fhir_json(items, handle)
    print(f"{out}: {count} listings as {fmt.upper()} (fictional sample data, CC0 1.0)")
    return 0


def _print_some(lines: list[str], stream=sys.stderr) -> None:  # type: ignore[no-untyped-def]
    for line in lines[:MAX_PRINTED]:
        print(line, file=stream)
    if len(lines) > MAX_PRINTED:
        print(f"... and {len(lines) - MAX_PRINTED} more", file=stream)


def import_(engine: Engine, fmt: str, path: Path, *, append: bool = False) -> int:
    if fmt != "hsds":
        print(f"cannot import {fmt!r}: only hsds", file=sys.stderr)
        return 2
    try:
        report = import_package(engine, path, replace=not append)
    except HsdsImportError as exc:
        head, *rest = str(exc).splitlines()
        print(head, file=sys.stderr)
        _print_some(rest)
        return 1
    print(report)
    if report.notes:
        print(f"{len(report.notes)} notes (mapped with defaults or left out):")
        _print_some(report.notes, sys.stdout)
    return 0
