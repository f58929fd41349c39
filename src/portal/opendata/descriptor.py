"""The HSDS tabular data package descriptor: table names, CSV file names, columns and types.

The reference is Open Referral's HSDS 3.0.0 ``datapackage.json`` (CC BY-SA 4.0, shipped in
``reference/``). HSDS 3.0 has no table for "accepting new clients"; HSDS 3.1 added
``service_capacity`` (with its ``unit``), so those two tables are appended here with their 3.1
field definitions.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
HSDS_DESCRIPTOR = REFERENCE_DIR / "hsds-3.0-datapackage.json"
HSDS_EXAMPLE_DIR = REFERENCE_DIR / "hsds-example"
HSDS_VERSION = "3.0.0"


def _field(name: str, type_: str, required: bool = False, fmt: str | None = None) -> dict:
    out: dict[str, Any] = {
        "name": name,
        "type": type_,
        "constraints": {"required": required, "unique": name == "id"},
    }
    if fmt:
        out["format"] = fmt
    return out


# HSDS 3.1 additions (Open Referral specification 3.1, tables ``unit`` and ``service_capacity``).
HSDS_31_RESOURCES: list[dict[str, Any]] = [
    {
        "name": "unit",
        "path": "units.csv",
        "description": "The unit of a service capacity (HSDS 3.1).",
        "format": "csv",
        "mediatype": "text/csv",
        "profile": "tabular-data-resource",
        "schema": {
            "fields": [
                _field("id", "string", True, "uuid"),
                _field("name", "string", True),
                _field("scheme", "string"),
                _field("identifier", "string"),
                _field("uri", "string", fmt="uri"),
            ],
            "primaryKey": "id",
        },
    },
    {
        "name": "service_capacity",
        "path": "service_capacities.csv",
        "description": "The places a service has available, e.g. new clients (HSDS 3.1).",
        "format": "csv",
        "mediatype": "text/csv",
        "profile": "tabular-data-resource",
        "schema": {
            "fields": [
                _field("id", "string", True, "uuid"),
                _field("service_id", "string", True, "uuid"),
                _field("unit_id", "string", True, "uuid"),
                _field("available", "number", True),
                _field("maximum", "number"),
                _field("description", "string"),
                _field("updated", "datetime", True),
            ],
            "primaryKey": "id",
            "foreignKeys": [
                {"fields": "service_id", "reference": {"resource": "service", "fields": "id"}},
                {"fields": "unit_id", "reference": {"resource": "unit", "fields": "id"}},
            ],
        },
    },
]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, number, date, datetime, time
    format: str | None
    required: bool
    unique: bool
    enum: tuple[str, ...] | None


@dataclass(frozen=True)
class Table:
    name: str  # HSDS table name, e.g. "service"
    path: str  # CSV file name, e.g. "services.csv"
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...]  # (column, referenced table); always its id

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@functools.cache
def descriptor() -> dict[str, Any]:
    """HSDS 3.0 plus the 3.1 capacity tables, as a tabular data package descriptor."""
    data = json.loads(HSDS_DESCRIPTOR.read_text(encoding="utf-8"))
    data["resources"] = [*data["resources"], *HSDS_31_RESOURCES]
    return data


def descriptor_copy() -> dict[str, Any]:
    return copy.deepcopy(descriptor())


@functools.cache
def tables() -> dict[str, Table]:
    """Every table of the descriptor, by HSDS name, in descriptor order."""
    out: dict[str, Table] = {}
    for resource in descriptor()["resources"]:
        schema = resource["schema"]
        columns = tuple(
            Column(
                name=f["name"],
                type=f["type"],
                format=f.get("format"),
                required=bool(f.get("constraints", {}).get("required")),
                unique=bool(f.get("constraints", {}).get("unique")),
                enum=tuple(f["constraints"]["enum"])
                if "enum" in f.get("constraints", {})
                else None,
            )
            for f in schema["fields"]
        )
        fks = tuple(
            (fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys") or ()
        )
        out[resource["name"]] = Table(resource["name"], resource["path"], columns, fks)
    return out
