"""Read and check an HSDS tabular data package against the HSDS descriptor.

``read_package(folder)`` returns every table's rows and every problem found, each as (file,
row, column, message): a missing table or column, an unknown column, a value of the wrong type
or outside its enum, an empty required value, a duplicate id, and a required reference to a row
that does not exist. Rows are counted as in a spreadsheet: the header is row 1, the first data
row is row 2.

Optional references to a missing row (the official HSDS example has several) and tables or
columns this importer does not use are reported as notes, not problems.
"""

from __future__ import annotations

import csv
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from portal.opendata.cells import unguard
from portal.opendata.descriptor import Column, Table, tables

# Tables every package must have; the 3.1 tables only when its datapackage.json declares them.
REQUIRED_TABLES: tuple[str, ...] = (
    "organization", "service", "location", "service_at_location", "address", "phone",
    "contact", "schedule", "cost_option", "language", "attribute", "taxonomy", "taxonomy_term",
)  # fmt: skip
DESCRIPTOR_FILE = "datapackage.json"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return ": ".join([*where, self.message])


class HsdsImportError(ValueError):
    """Raised with every problem found; nothing was written to the database."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the HSDS package (nothing was loaded):"
        return "\n".join([head, *(str(p) for p in self.problems)])


Row = dict[str, Any]  # column -> text, plus "_row": the spreadsheet row number


@dataclass
class Package:
    folder: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # table name -> CSV file name
    descriptor: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def file(self, table: str) -> str:
        return self.files.get(table) or tables()[table].path


def _check_value(col: Column, value: str) -> str | None:
    """Why ``value`` does not fit the column, or None."""
    if col.enum and value not in col.enum:
        return f"{value!r} is not one of {', '.join(col.enum)}"
    if col.type == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if not math.isfinite(number):
            return f"{value!r} is not a finite number"
    elif col.type == "date":
        try:
            date.fromisoformat(value)
            if len(value) != 10:
                raise ValueError
        except ValueError:
            return f"{value!r} is not a date (YYYY-MM-DD)"
    elif col.type == "datetime":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{value!r} is not a date and time (ISO 8601)"
    elif col.type == "time":
        try:
            time.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{value!r} is not a time (HH:MM:SS)"
    if col.format == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return f"{value!r} is not a UUID"
    elif col.format == "email" and not EMAIL_RE.match(value):
        return f"{value!r} is not an e-mail address"
    elif col.format == "uri" and not URI_RE.match(value):
        return f"{value!r} is not an absolute URI"
    return None


def _read_descriptor(folder: Path, package: Package, problems: list[Problem]) -> None:
    path = folder / DESCRIPTOR_FILE
    if not path.is_file():
        package.notes.append(f"{DESCRIPTOR_FILE}: not found; using the HSDS table file names")
        return
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # A git symlink checked out as a file holds the link target as text (the official
        # example's datapackage.json is one): follow it when it names a file.
        target = (folder / text.strip()).resolve()
        if "\n" not in text.strip() and text.strip().endswith(".json") and target.is_file():
            package.notes.append(f"{DESCRIPTOR_FILE}: a link to {text.strip()}, followed")
            try:
                data = json.loads(target.read_text(encoding="utf-8-sig"))
            except json.JSONDecodeError as exc:
                problems.append(Problem(DESCRIPTOR_FILE, None, None, f"not valid JSON: {exc}"))
                return
        else:
            problems.append(Problem(DESCRIPTOR_FILE, None, None, "not valid JSON"))
            return
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        problems.append(Problem(DESCRIPTOR_FILE, None, "resources", "must be a list"))
        return
    package.descriptor = data
    known = tables()
    for resource in data["resources"]:
        name = resource.get("name") if isinstance(resource, dict) else None
        if name in known:
            path_ = resource.get("path")
            package.files[name] = path_ if isinstance(path_, str) else known[name].path
        else:
            package.notes.append(f"{DESCRIPTOR_FILE}: resource {name!r} is not HSDS; ignored")


def _read_table(folder: Path, table: Table, filename: str, problems: list[Problem]) -> list[Row]:
    try:
        with (folder / filename).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                problems.append(Problem(filename, None, None, "empty file: no header row"))
                return []
            body = list(reader)
    except UnicodeDecodeError:
        problems.append(Problem(filename, None, None, "not UTF-8 text"))
        return []
    except csv.Error as exc:
        problems.append(Problem(filename, None, None, f"not valid CSV: {exc}"))
        return []
    columns = {c.name: c for c in table.columns}
    for name in header:
        if name not in columns:
            problems.append(
                Problem(filename, 1, name, f"not a column of HSDS table {table.name!r}")
            )
    for name in sorted({n for n in header if header.count(n) > 1}):
        problems.append(Problem(filename, 1, name, "column appears more than once"))
    for col in table.columns:
        if col.name not in header:
            problems.append(Problem(filename, 1, col.name, "missing column"))
    rows: list[Row] = []
    seen: dict[str, dict[str, int]] = {c.name: {} for c in table.columns if c.unique}
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(
                Problem(filename, number, None, f"has {len(cells)} cells, header {len(header)}")
            )
        row: Row = {"_row": number}
        for name, cell in zip(header, cells, strict=False):
            col = columns.get(name)
            if col is None:
                continue
            value = unguard(cell.strip())
            row[name] = value
            if not value:
                if col.required:
                    problems.append(Problem(filename, number, name, "required, but empty"))
                continue
            why = _check_value(col, value)
            if why:
                problems.append(Problem(filename, number, name, why))
            if col.unique:
                first = seen[name].setdefault(value, number)
                if first != number:
                    what = "id" if name == "id" else f"{name} (must be unique)"
                    problems.append(
                        Problem(
                            filename, number, name, f"duplicate {what} {value!r}: see row {first}"
                        )
                    )
        rows.append(row)
    return rows


def _check_references(package: Package, problems: list[Problem]) -> None:
    ids = {name: {r.get("id") for r in rows} for name, rows in package.tables.items()}
    for name, rows in package.tables.items():
        table = tables()[name]
        required = {c.name for c in table.columns if c.required}
        filename = package.file(name)
        links = list(table.foreign_keys)
        for row in rows:
            checks = [(col, ref) for col, ref in links]
            if name == "attribute" and row.get("link_entity") in tables():
                checks.append(("link_id", row["link_entity"]))
            for col, ref in checks:
                value = row.get(col)
                if not value or value in ids.get(ref, ()):
                    continue
                message = f"{value!r} is not the id of any row of {tables()[ref].path}"
                if col in required:
                    problems.append(Problem(filename, row["_row"], col, message))
                else:
                    package.notes.append(
                        f"{filename}: row {row['_row']}: {col}: {message}; ignored"
                    )


def read_package(folder: Path | str) -> tuple[Package, list[Problem]]:
    """Every table's rows, and every problem (sorted by file, row and column)."""
    folder = Path(folder)
    package = Package(folder=folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        return package, [Problem(str(folder), None, None, "not a folder")]
    _read_descriptor(folder, package, problems)
    wanted = [*REQUIRED_TABLES, *(n for n in package.files if n not in REQUIRED_TABLES)]
    for name, table in tables().items():
        filename = package.file(name)
        if not (folder / filename).is_file():
            if name in wanted:
                declared = " (declared in datapackage.json)" if name in package.files else ""
                problems.append(Problem(filename, None, None, f"missing table {name!r}{declared}"))
            continue
        package.files[name] = filename
        package.tables[name] = _read_table(folder, table, filename, problems)
    _check_references(package, problems)
    return package, sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
