"""Open data downloads: the whole directory as an HSDS data package (.zip) and as a FHIR R4
Bundle. Public, fictional data: cacheable by anyone for five minutes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from litestar import Controller, Request, get
from litestar.response import Stream
from sqlalchemy import Engine

from portal.opendata.hsds_export import items_from_engine
from portal.opendata.package import Items, spooled, write_fhir_json, write_hsds_zip

CHUNK = 256 * 1024
PUBLIC_CACHE = "public, max-age=300"


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def _download(
    engine: Engine,
    write: Callable[[Items, IO[bytes]], int],
    filename: str,
    media_type: str,
) -> Stream:
    """Build the file in a spooled temporary file (memory stays flat for 100k listings), then
    stream it."""
    handle = spooled()
    try:
        write(items_from_engine(engine), handle)
        size = handle.tell()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return Stream(
        _chunks(handle),
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "content-length": str(size),
            "cache-control": PUBLIC_CACHE,
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
        sync_to_thread=True,
    )
    def hsds_zip(self, request: Request) -> Stream:
        return _download(
            request.app.state.engine, write_hsds_zip, "portal-directory-hsds.zip", "application/zip"
        )

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
        sync_to_thread=True,
    )
    def fhir_json(self, request: Request) -> Stream:
        return _download(
            request.app.state.engine,
            write_fhir_json,
            "portal-directory-fhir.json",
            "application/fhir+json",
        )
