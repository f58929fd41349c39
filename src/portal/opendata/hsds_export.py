"""Export listings as an HSDS tabular data package: ``datapackage.json`` and one CSV per table.

A listing is a solo practice: one ``organization`` (the practice), one ``service`` (its
counseling), one ``contact`` (the counselor), a physical ``location`` with its ``address`` when
there is an office and a virtual one for video/phone sessions, ``phone``, ``schedule``
(appointment times in words), ``cost_option`` rows (fees), ``language`` rows,
``service_capacity`` (accepting new clients), ``accessibility`` (the office), the slug as an
``organization_identifier``, and ``attribute`` rows for everything else (see hsds_terms).

Output is deterministic: ids are UUIDv5 of the slug, rows follow the slug order (and each
list's own order within a listing), columns follow the descriptor, and nothing but data fields
carries a date. Exporting the same listings twice gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from portal.opendata import hsds_terms as terms
from portal.opendata.cells import guard
from portal.opendata.descriptor import HSDS_VERSION, descriptor_copy, tables
from portal.opendata.records import iter_records, labels, stable_id

Row = dict[str, Any]
Record = dict[str, Any]

PACKAGE_NAME = "portal-counselor-directory"
DATA_LICENSE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal (public domain dedication)",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}
DESCRIPTION = (
    "FICTIONAL sample data: every counselor, licence number (marked FAKE), phone number "
    "(555-01xx), e-mail and web address (example.org/.com/.net) in this package is invented. "
    "A counselor is a solo practice: an organization, its service, and the counselor as its "
    "contact. Custom taxonomies named portal-* carry the directory's vocabularies. Tables are "
    "HSDS 3.0.0, plus the HSDS 3.1 tables service_capacity and unit for accepting new clients."
)


def package_descriptor() -> dict[str, Any]:
    """Our datapackage.json: the HSDS descriptor with this package's metadata."""
    data = descriptor_copy()
    data.update(
        name=PACKAGE_NAME,
        title="portal counselor directory (fictional sample data), Open Referral HSDS",
        description=DESCRIPTION,
        fictional=True,
        hsds_version=HSDS_VERSION,
        licenses=[DATA_LICENSE],
        sources=[
            {
                "title": "Open Referral Human Services Data Specification 3.0.0: descriptor "
                "and table schemas, CC BY-SA 4.0 (Open Referral)",
                "path": "https://github.com/openreferral/specification",
            }
        ],
    )
    data.pop("license", None)
    return data


def taxonomy_rows() -> tuple[list[Row], list[Row]]:
    """(taxonomy rows, taxonomy_term rows) of the portal's custom taxonomies."""
    taxonomy, term = [], []
    for tax in terms.taxonomies():
        taxonomy.append(
            {"id": tax.id, "name": tax.name, "description": tax.description, "version": "1"}
        )
        for code, name, description in tax.terms:
            term.append(
                {
                    "id": tax.term_id(code),
                    "code": code,
                    "name": name,
                    "description": description,
                    "taxonomy": tax.name,
                    "language": "en",
                    "taxonomy_id": tax.id,
                }
            )
    return taxonomy, term


def _fees_text(rec: Record) -> str:
    parts = [
        f"${rec['fee_min']} per session"
        if rec["fee_min"] == rec["fee_max"]
        else f"${rec['fee_min']}-${rec['fee_max']} per session"
    ]
    if rec["sliding_scale"]:
        parts.append(f"sliding scale from ${rec['sliding_floor']}")
    if rec["free_consult"]:
        parts.append("free first consultation")
    if rec["insurance"]:
        parts.append("insurance: " + ", ".join(labels("insurance")[i] for i in rec["insurance"]))
    if rec["superbills"]:
        parts.append("superbills for out-of-network claims")
    return "; ".join(parts) + "."


def _times_text(rec: Record) -> str:
    times = [w for w, on in (("evenings", rec["evenings"]), ("weekends", rec["weekends"])) if on]
    text = "Appointments " + (" and ".join(times) if times else "in the daytime on weekdays")
    return f"{text}. Replies to new enquiries within {rec['reply_days']} business days."


def _capacity_text(rec: Record) -> str:
    if not rec["accepting"]:
        return "Not accepting new clients."
    if rec["next_opening"]:
        return f"Accepting new clients; next opening {rec['next_opening']}."
    return "Accepting new clients."


def _attributes(slug: str, service_id: str, rec: Record) -> list[Row]:
    rows: list[Row] = []

    def add(tax: terms.Taxonomy, code: str, value: str = "") -> None:
        rows.append(
            {
                "id": stable_id("attribute", slug, tax.name, code, value),
                "link_id": service_id,
                "taxonomy_term_id": tax.term_id(code),
                "link_entity": "service",
                "value": value,
            }
        )

    for tax in terms.taxonomies():
        if tax.name == "portal-flags":
            for code, field in terms.FLAG_FIELDS.items():
                if rec[field]:
                    add(tax, code)
        elif tax.name == terms.AVAILABILITY_TAXONOMY:
            continue  # _availability_attributes
        elif tax.name == "portal-listing":
            for code, field, _name, _desc in terms.LISTING_FIELDS:
                value = rec[field]
                for v in value if isinstance(value, list) else [value]:
                    if v is not None and v != "":
                        add(tax, code, str(v))
        else:
            value = rec[tax.field]
            for code in [value] if tax.single else value:
                add(tax, code)
    return rows


def listing_rows(rec: Record, lat: float | None, lon: float | None) -> dict[str, list[Row]]:
    """The HSDS rows of one listing (a seed record), by table name."""
    slug, name = rec["slug"], rec["name"]
    org_id, svc_id = stable_id("organization", slug), stable_id("service", slug)
    licence = terms.licence_label(rec["licence_type"])
    out: dict[str, list[Row]] = {name_: [] for name_ in tables()}
    out["organization"].append(
        {
            "id": org_id,
            "name": f"{name}, {licence}",
            "description": f"Solo counseling practice of {name}. {terms.FICTIONAL_ALERT}",
            "email": rec["email"],
            "website": rec["website"],
        }
    )
    out["organization_identifier"].append(
        {
            "id": stable_id("organization_identifier", slug),
            "organization_id": org_id,
            "identifier_scheme": terms.SLUG_SCHEME,
            "identifier_type": terms.SLUG_TYPE,
            "identifier": slug,
        }
    )
    sees = ", ".join(labels("sees")[s].lower() for s in rec["sees"])
    out["service"].append(
        {
            "id": svc_id,
            "organization_id": org_id,
            "name": f"Counseling with {name} ({licence})",
            "alternate_name": f"Counseling for {sees}",
            "description": rec["bio"],
            "url": rec["website"],
            "email": rec["email"],
            "status": "active",
            "fees_description": _fees_text(rec),
            "wait_time": _capacity_text(rec),
            # The counselor's own confirmation when there is one (it stamps last_verified too).
            "assured_date": rec.get("availability_confirmed") or rec["last_verified"],
            "licenses": f"{licence} {rec['licence_number']} ({', '.join(rec['licence_states'])})",
            "alert": terms.FICTIONAL_ALERT,
        }
    )
    out["contact"].append(
        {
            "id": stable_id("contact", slug),
            "organization_id": org_id,
            "service_id": svc_id,
            "name": name,
            "title": terms.licence_long(rec["licence_type"]),
            "email": rec["email"],
        }
    )
    out["phone"].append(
        {
            "id": stable_id("phone", slug),
            "service_id": svc_id,
            "organization_id": org_id,
            "number": rec["phone"],
            "type": "voice",
        }
    )
    out["schedule"].append(
        {
            "id": stable_id("schedule", slug),
            "service_id": svc_id,
            "description": _times_text(rec),
            "attending_type": ", ".join(labels("format")[f].lower() for f in rec["formats"]),
        }
    )
    locations: list[tuple[str, Row]] = []
    if rec["office"] is not None:
        office = rec["office"]
        loc_id = stable_id("location", slug, "office")
        locations.append(
            (
                "office",
                {
                    "id": loc_id,
                    "location_type": "physical",
                    "organization_id": org_id,
                    "name": f"{name}'s office, {office['city']}",
                    "latitude": lat,
                    "longitude": lon,
                },
            )
        )
        out["address"].append(
            {
                "id": stable_id("address", slug),
                "location_id": loc_id,
                "address_1": "Street address given when you book",
                "city": office["city"],
                "state_province": office["state"],
                "postal_code": office["zip"],
                "country": "US",
                "address_type": "physical",
            }
        )
        if rec["office_accessible"] is not None:
            out["accessibility"].append(
                {
                    "id": stable_id("accessibility", slug),
                    "location_id": loc_id,
                    "description": terms.ACCESSIBLE
                    if rec["office_accessible"]
                    else terms.NOT_ACCESSIBLE,
                }
            )
    remote = [f for f in rec["formats"] if f in ("video", "phone")]
    if remote:
        locations.append(
            (
                "virtual",
                {
                    "id": stable_id("location", slug, "virtual"),
                    "location_type": "virtual",
                    "url": rec["website"],
                    "organization_id": org_id,
                    "name": f"{name}: {' and '.join(remote)} sessions",
                    "description": "For clients in " + ", ".join(rec["telehealth_states"]) + ".",
                },
            )
        )
    for kind, loc in locations:
        out["location"].append(loc)
        out["service_at_location"].append(
            {
                "id": stable_id("service_at_location", slug, kind),
                "service_id": svc_id,
                "location_id": loc["id"],
            }
        )
    fees = [(terms.FEE_STANDARD, rec["fee_min"], "lowest standard fee per session")]
    if rec["fee_max"] != rec["fee_min"]:
        fees.append((terms.FEE_STANDARD, rec["fee_max"], "highest standard fee per session"))
    if rec["sliding_scale"]:
        fees.append((terms.FEE_SLIDING, rec["sliding_floor"], "lowest fee on the sliding scale"))
    if rec["free_consult"]:
        fees.append((terms.FEE_CONSULT, 0, "first consultation"))
    for option, amount, description in fees:
        out["cost_option"].append(
            {
                "id": stable_id("cost_option", slug, option, str(amount)),
                "service_id": svc_id,
                "option": option,
                "currency": "USD",
                "amount": amount,
                "amount_description": description,
            }
        )
    for code in rec["languages"]:
        out["language"].append(
            {
                "id": stable_id("language", slug, code),
                "service_id": svc_id,
                "name": labels("language")[code],
                "code": code,
            }
        )
    out["service_capacity"].append(
        {
            "id": stable_id("service_capacity", slug),
            "service_id": svc_id,
            "unit_id": UNIT_ID,
            "available": 1 if rec["accepting"] else 0,
            "description": _capacity_text(rec),
            "updated": f"{rec['last_verified']}T00:00:00Z",
        }
    )
    out["attribute"] = _attributes(slug, svc_id, rec) + _availability_attributes(slug, svc_id, rec)
    return out


def _availability_attributes(slug: str, service_id: str, rec: Record) -> list[Row]:
    """The counselor's confirmation and the anonymous reports of the last 30 days, as
    attributes of the portal-availability taxonomy (present only in an export from a
    database: a seed record has neither)."""
    tax = terms.by_name()[terms.AVAILABILITY_TAXONOMY]
    values: list[tuple[str, str]] = []
    if rec.get("availability_confirmed"):
        values.append(("availability-confirmed", rec["availability_confirmed"]))
    reports = rec.get("reports_30d")
    if reports is not None:
        values += [(f"reports-30d-{k.replace('_', '-')}", str(n)) for k, n in reports.items()]
    return [
        {
            "id": stable_id("attribute", slug, tax.name, code),
            "link_id": service_id,
            "taxonomy_term_id": tax.term_id(code),
            "link_entity": "service",
            "value": value,
        }
        for code, value in values
    ]


UNIT_ID = stable_id("unit", terms.UNIT_NAME)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return guard(value)
    return str(value)


class PackageWriter:
    """Writes one CSV per descriptor table through ``open_table(file name) -> text file``."""

    def __init__(self, open_table: Callable[[str], IO[str]]) -> None:
        self._stack = ExitStack()
        self._writers: dict[str, tuple[Any, tuple[str, ...]]] = {}
        for table in tables().values():
            handle = self._stack.enter_context(open_table(table.path))
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table.column_names)
            self._writers[table.name] = (writer, table.column_names)
        taxonomy, term = taxonomy_rows()
        self.write("taxonomy", taxonomy)
        self.write("taxonomy_term", term)
        self.write("unit", [{"id": UNIT_ID, "name": terms.UNIT_NAME}])
        self.listings = 0

    def write(self, table: str, rows: Iterable[Row]) -> None:
        writer, columns = self._writers[table]
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)

    def add(self, rec: Record, lat: float | None, lon: float | None) -> None:
        for table, rows in listing_rows(rec, lat, lon).items():
            if rows:
                self.write(table, rows)
        self.listings += 1

    def close(self) -> None:
        self._stack.close()


def descriptor_bytes() -> bytes:
    text = json.dumps(package_descriptor(), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_package(
    items: Iterable[tuple[Record, float | None, float | None]], open_table: Callable[..., IO[str]]
) -> int:
    """Write every table (not datapackage.json); returns the number of listings."""
    writer = PackageWriter(open_table)
    try:
        for rec, lat, lon in items:
            writer.add(rec, lat, lon)
    finally:
        writer.close()
    return writer.listings


def export_dir(items: Iterable[tuple[Record, float | None, float | None]], out: Path) -> int:
    """Write the package into folder ``out`` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "datapackage.json").write_bytes(descriptor_bytes())
    return write_package(items, lambda name: (out / name).open("w", encoding="utf-8", newline=""))


def items_from_engine(
    engine: Engine, reports: Callable[[str], dict[str, int]] | None = None
) -> Iterator[tuple[Record, float | None, float | None]]:
    """(record, lat, lon) of every stored listing, in slug order. Each record also holds
    ``availability_confirmed``, and ``reports_30d`` (``reports(slug)``) when given."""
    for listing, rec in iter_records(engine):
        confirmed = listing.availability_confirmed
        rec["availability_confirmed"] = confirmed.isoformat() if confirmed else None
        if reports is not None:
            rec["reports_30d"] = reports(rec["slug"])
        yield rec, listing.lat, listing.lon
