"""Open data downloads: the whole directory as an HSDS data package (.zip) and as a FHIR R4
Bundle. Public, fictional data: cacheable by anyone for five minutes.

Each is built once per data version in the background and kept (opendata/store.py), served
with an ETag of the version and the format (304 when the client has it). While a new
version's file is being built, the previous version's is served; before there is any, a
503 says when to come back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import ServiceUnavailableException
from litestar.response import Stream

from portal.db import data_version
from portal.opendata.store import FORMATS, Format, store_for
from portal.web.deps import DB
from portal.web.schemas import Error, errors

CHUNK = 256 * 1024
PUBLIC_CACHE = "public, max-age=300"
RETRY_SECONDS = 30
PREPARING = (
    503,
    Error,
    "The download of the current listings is being prepared and no earlier one is kept; "
    "retry after Retry-After.",
)


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def _has(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match names ``etag`` (or any version, ``*``)."""
    header = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def _download(request: Request, db: DB, fmt: Format) -> Response[Any]:
    store = store_for(request.app.state.engine)
    version = data_version(db)
    found: tuple[int, Any] | None = (version, store.path(fmt, version))
    handle = None
    try:
        handle = found[1].open("rb")  # open now: a newer build may remove the file
    except FileNotFoundError:
        store.start(version)
        found = store.newest(fmt)
        if found is not None:
            try:
                handle = found[1].open("rb")
            except FileNotFoundError:
                found = None
    if found is None or handle is None:
        raise ServiceUnavailableException(
            detail=f"The download is being prepared. Please try again in {RETRY_SECONDS} seconds.",
            headers={"retry-after": str(RETRY_SECONDS), "cache-control": "no-store"},
        )
    etag = f'"{found[0]}-{fmt.name}"'
    headers = {"etag": etag, "cache-control": PUBLIC_CACHE}
    if _has(request, etag):
        handle.close()
        return Response(content=b"", status_code=304, headers=headers)
    size = os.fstat(handle.fileno()).st_size
    return Stream(
        _chunks(handle),
        media_type=fmt.media_type,
        headers={
            **headers,
            "content-disposition": f'attachment; filename="{fmt.filename}"',
            "content-length": str(size),
        },
    )


class OpenDataApi(Controller):
    path = "/api/export"
    tags = ["open data"]

    @get(
        "/hsds.zip",
        operation_id="exportHsds",
        summary="The directory as an Open Referral HSDS data package",
        description=(
            "A zip of an HSDS 3.0 tabular data package: datapackage.json and one CSV per table "
            "(organizations, services, locations, service_at_location, addresses, phones, "
            "contacts, schedules, cost_options, languages, attributes, taxonomies, "
            "taxonomy_terms... plus the HSDS 3.1 service_capacities and units for accepting "
            "new clients). A counselor is a solo practice: an organization, its service and "
            "the counselor as contact; specialties, approaches, insurance and the other "
            "directory vocabularies are custom taxonomies named portal-*. Loadable with "
            "`python -m portal import --format hsds`. All listings are fictional sample data "
            "(CC0 1.0)."
        ),
        media_type="application/zip",
        response_description="portal-directory-hsds.zip (application/zip), as an attachment",
        sync_to_thread=False,
        # Served as stored: the zip is compressed already, and gzipping a Bundle of
        # hundreds of megabytes per download would take the server's CPU from everyone.
        opt={"no_compression": True},
        responses=errors(PREPARING),
    )
    def hsds_zip(self, request: Request, db: DB) -> Response[Any]:
        return _download(request, db, FORMATS["hsds"])

    @get(
        "/fhir.json",
        operation_id="exportFhir",
        summary="The directory as a FHIR R4 Bundle",
        description=(
            "A FHIR R4 Bundle of type collection: per counselor a Practitioner (qualification "
            "per state licence and per training), a PractitionerRole (specialties, "
            "availability, the Da Vinci Plan-Net newpatients extension), a HealthcareService "
            "(couples, family, co-parenting... counseling) and, with an office, a Location with "
            "its position. Every resource is marked as test data (meta.security HTEST): all "
            "listings are fictional sample data (CC0 1.0)."
        ),
        media_type="application/fhir+json",
        response_description="portal-directory-fhir.json (a FHIR R4 Bundle), as an attachment",
        sync_to_thread=False,
        # Served as stored: the zip is compressed already, and gzipping a Bundle of
        # hundreds of megabytes per download would take the server's CPU from everyone.
        opt={"no_compression": True},
        responses=errors(PREPARING),
    )
    def fhir_json(self, request: Request, db: DB) -> Response[Any]:
        return _download(request, db, FORMATS["fhir"])
