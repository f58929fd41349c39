"""Listings as seed records (the shape ``portal.seed`` validates and loads), stable ids, and the
portal vocabulary, shared by the HSDS and FHIR exports."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select

from portal import content
from portal.models import Listing
from portal.schema import RECORD_KEYS

# Fixed namespace: ids derived from it are the same in every export of the same listing.
NAMESPACE = uuid.UUID("6f1d3f0e-8a57-5b0c-9a44-2f6d1c3b7e10")
_NS_BYTES = NAMESPACE.bytes

LICENCE_NUCC: dict[str, tuple[str, str]] = {
    # NUCC Health Care Provider Taxonomy codes, for FHIR qualification codings.
    "lmft": ("106H00000X", "Marriage & Family Therapist"),
    "lcsw": ("1041C0700X", "Social Worker, Clinical"),
    "lpc": ("101YP2500X", "Counselor, Professional"),
    "lmhc": ("101YM0800X", "Counselor, Mental Health"),
    "psyd": ("103T00000X", "Psychologist"),
    "phd": ("103T00000X", "Psychologist"),
}


def stable_id(*parts: str) -> str:
    """A UUID (v5) derived from the parts, e.g. ``stable_id("service", slug)``.

    Same value as ``str(uuid.uuid5(NAMESPACE, ":".join(parts)))``, computed without building
    UUID objects: an export makes some 60 of these per listing."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + ":".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@functools.cache
def vocabulary() -> dict[str, list[dict[str, Any]]]:
    """seed/taxonomy.json: vocabulary name -> terms ({slug, label, ...}) in file order."""
    return {k: v for k, v in content.taxonomy().items() if isinstance(v, list)}


@functools.cache
def labels(vocab: str) -> dict[str, str]:
    return {t["slug"]: t["label"] for t in vocabulary()[vocab]}


_COLUMNS = [k for k in RECORD_KEYS if k != "office"] + ["city", "state", "zip", "lat", "lon"]
_COLUMNS.append("availability_confirmed")  # not a seed field: exported beside the record


def listing_record(listing: Any) -> dict[str, Any]:
    """The seed record of a stored listing (a ``Listing`` or a row with its columns), keys in
    ``schema.RECORD_KEYS`` order."""
    values = {key: getattr(listing, key, None) for key in RECORD_KEYS}
    values["office"] = (
        {"city": listing.city, "state": listing.state, "zip": listing.zip} if listing.zip else None
    )
    values["next_opening"] = listing.next_opening.isoformat() if listing.next_opening else None
    values["last_verified"] = listing.last_verified.isoformat()
    for key in RECORD_KEYS:
        if isinstance(values[key], list):
            values[key] = list(values[key])
    return {key: values[key] for key in RECORD_KEYS}


def iter_records(engine: Engine, batch: int = 2000) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(row, seed record) of every listing, ordered by slug. Only the columns a record needs
    are read, in batches, so 100k listings stay cheap and other columns may come and go."""
    table = Listing.__table__
    stmt = select(*(table.c[name] for name in _COLUMNS)).order_by(table.c.slug)
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=batch).execute(stmt):
            yield row, listing_record(row)
