"""The JSON API: the directory with the page's filters, one listing, and the health check."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from portal.directory.availability import NO_REPORTS, Counts, report_counts
from portal.directory.filters import parse_query
from portal.directory.geo import zip_locator
from portal.directory.query import get_listing, run_search
from portal.directory.rows import ListingRow
from portal.directory.taxonomy import taxonomy
from portal.web.deps import DB, AppSettings
from portal.web.directory import query_params
from portal.web.schemas import (
    API_RECORD_FIELDS,
    UNAVAILABLE,
    Counselor,
    CounselorPage,
    Error,
    ParameterErrors,
    directory_parameters,
    errors,
)


class ApiError(HTTPException):
    status_code = 400


def listing_json(
    listing: ListingRow,
    distance: float | None = None,
    distance2: float | None = None,
    telehealth: bool = False,
    reports: Counts | None = None,
) -> Counselor:
    """A listing as the API gives it: each field of the listing record (``Counselor``), and
    its availability (``reports``: its reports of the last 30 days, report_counts)."""
    data: dict[str, Any] = {}
    for name in API_RECORD_FIELDS:
        if name == "children_ages":
            low, high = listing.children_age_min, listing.children_age_max
            data[name] = [low, high] if low is not None else None
        elif name == "office":
            office = {"city": listing.city, "state": listing.state, "zip": listing.zip}
            data[name] = office if listing.zip else None
        elif name == "fictional":
            data[name] = True
        else:
            value = getattr(listing, name)
            data[name] = value.isoformat() if isinstance(value, date) else value
    confirmed = listing.availability_confirmed
    data["availability_confirmed"] = confirmed.isoformat() if confirmed else None
    data["reports_30d"] = (reports or NO_REPORTS).as_dict()
    if distance is not None:
        data["distance_miles"] = distance
    if distance2 is not None:
        data["distance2_miles"] = distance2
    if telehealth:
        data["telehealth"] = True
    return data  # type: ignore[return-value]


class CounselorApi(Controller):
    path = "/api/counselors"
    tags = ["directory"]

    @get(
        "/",
        operation_id="listCounselors",
        summary="Search the directory",
        description=(
            "Takes the same filters as the /counselors page; repeatable parameters mean any "
            "of their values. Invalid values give 400 with a JSON error body naming each "
            "parameter at fault. total is exact up to 1,000; above that it is 1000 with "
            "total_capped true. All listings are fictional."
        ),
        responses=errors((400, ParameterErrors, "Some parameters are not valid."), UNAVAILABLE),
        sync_to_thread=False,
    )
    @directory_parameters
    def list_counselors(
        self, request: Request, db: DB, settings: AppSettings, **filters: Any
    ) -> CounselorPage:
        # ``filters`` are checked by type (directory_parameters); parse_query reads them all.
        parsed = parse_query(query_params(request), taxonomy(), zip_locator(db))
        if parsed.errors:
            raise ApiError(
                detail="Some parameters are not valid.",
                extra={"errors": parsed.errors},
            )
        result = run_search(
            db,
            parsed.query,
            today=date.today(),
            freshness_days=settings.freshness_days,
            columns="all",
        )
        reports = report_counts(db, (i.listing.slug for i in result.items), date.today())
        return {
            "total": result.total,
            "total_capped": result.total_capped,
            "page": parsed.query.page,
            "per_page": parsed.query.per_page,
            "items": [
                listing_json(
                    i.listing,
                    i.distance_miles,
                    i.distance2_miles,
                    i.telehealth,
                    reports.get(i.listing.slug),
                )
                for i in result.items
            ],
        }

    @get(
        "/{slug:str}",
        operation_id="getCounselor",
        summary="One listing",
        responses=errors((404, Error, "No counselor has that slug."), UNAVAILABLE),
        sync_to_thread=False,
    )
    def get_counselor(self, slug: FromPath[str], db: DB) -> Counselor:
        listing = get_listing(db, slug[:120])
        if listing is None:
            raise NotFoundException("No counselor has that slug.")
        reports = report_counts(db, [listing.slug], date.today())
        return listing_json(listing, reports=reports.get(listing.slug))


@get("/healthz", include_in_schema=False, media_type="text/plain", sync_to_thread=False)
def healthz() -> Response[str]:
    return Response("ok", media_type="text/plain")
