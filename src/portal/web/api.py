"""The JSON API: the directory with the page's filters, one listing, and the health check."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from portal.directory.filters import parse_query
from portal.directory.geo import zip_locator
from portal.directory.query import get_listing, run_search
from portal.directory.rows import ListingRow
from portal.directory.taxonomy import taxonomy
from portal.web.deps import DB, AppSettings
from portal.web.directory import query_params
from portal.web.schemas import (
    FACET,
    FLAG,
    GENDER,
    MAX_FEE,
    PAGE,
    PER_PAGE,
    RADIUS,
    SORT,
    STATE,
    UNAVAILABLE,
    ZIP,
    ZIP2,
    Counselor,
    CounselorPage,
    Error,
    ParameterErrors,
    Q,
    errors,
)


class ApiError(HTTPException):
    status_code = 400


def listing_json(
    listing: ListingRow,
    distance: float | None = None,
    distance2: float | None = None,
    telehealth: bool = False,
) -> Counselor:
    data: dict[str, Any] = {
        "slug": listing.slug,
        "name": listing.name,
        "pronouns": listing.pronouns,
        "gender": listing.gender,
        "licence_type": listing.licence_type,
        "licence_number": listing.licence_number,
        "licence_states": listing.licence_states,
        "years_in_practice": listing.years_in_practice,
        "trainings": listing.trainings,
        "sees": listing.sees,
        "children_ages": (
            [listing.children_age_min, listing.children_age_max]
            if listing.children_age_min is not None
            else None
        ),
        "specialties": listing.specialties,
        "modalities": listing.modalities,
        "screens_individually": listing.screens_individually,
        "dv_trained": listing.dv_trained,
        "trauma_informed": listing.trauma_informed,
        "formats": listing.formats,
        "office": (
            {"city": listing.city, "state": listing.state, "zip": listing.zip}
            if listing.zip
            else None
        ),
        "telehealth_states": listing.telehealth_states,
        "fee_min": listing.fee_min,
        "fee_max": listing.fee_max,
        "sliding_scale": listing.sliding_scale,
        "sliding_floor": listing.sliding_floor,
        "free_consult": listing.free_consult,
        "insurance": listing.insurance,
        "superbills": listing.superbills,
        "languages": listing.languages,
        "evenings": listing.evenings,
        "weekends": listing.weekends,
        "office_accessible": listing.office_accessible,
        "accepting": listing.accepting,
        "next_opening": listing.next_opening.isoformat() if listing.next_opening else None,
        "reply_days": listing.reply_days,
        "last_verified": listing.last_verified.isoformat(),
        "phone": listing.phone,
        "email": listing.email,
        "website": listing.website,
        "bio": listing.bio,
        "fictional": True,
    }
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
            "Takes the same filters as the /counselors page. Repeatable: specialty, modality, "
            "sees, licence, format, insurance, language (taxonomy slugs or ISO 639-1 codes). "
            "radius is in miles (1-500, default 25) and needs zip. zip2, a second home's ZIP code "
            "(needs zip), finds counselors within the radius of both homes (each item with "
            "distance_miles and distance2_miles, sorted by the longer with sort=distance) or "
            "licensed for telehealth in both homes' states (telehealth: true). With one zip and "
            "format video or phone, counselors licensed in its state who offer it are within "
            "reach too (telehealth: true). sort is one of relevance, "
            "distance, fee, opening, verified; distance only within a radius of 100. Each word "
            "of q needs at least 3 letters (a short part of a compound such as co-parenting is "
            "fine), and q has at most 6 words. Invalid values give 400 with a JSON error body "
            "naming each parameter at fault. total is exact up to 1,000; above that it is "
            "1000 with total_capped true. All listings are fictional."
        ),
        responses=errors((400, ParameterErrors, "Some parameters are not valid."), UNAVAILABLE),
        sync_to_thread=False,
    )
    def list_counselors(
        self,
        request: Request,
        db: DB,
        settings: AppSettings,
        q: Annotated[str | None, Q] = None,
        zip: Annotated[str | None, ZIP] = None,
        zip2: Annotated[str | None, ZIP2] = None,
        radius: Annotated[int | None, RADIUS] = None,
        specialty: Annotated[list[str] | None, FACET["specialty"]] = None,
        modality: Annotated[list[str] | None, FACET["modality"]] = None,
        sees: Annotated[list[str] | None, FACET["sees"]] = None,
        licence: Annotated[list[str] | None, FACET["licence"]] = None,
        format: Annotated[list[str] | None, FACET["format"]] = None,
        insurance: Annotated[list[str] | None, FACET["insurance"]] = None,
        language: Annotated[list[str] | None, FACET["language"]] = None,
        licence_state: Annotated[str | None, STATE] = None,
        max_fee: Annotated[int | None, MAX_FEE] = None,
        sliding_scale: Annotated[bool | None, FLAG] = None,
        accepting: Annotated[bool | None, FLAG] = None,
        free_consult: Annotated[bool | None, FLAG] = None,
        evenings: Annotated[bool | None, FLAG] = None,
        screens_individually: Annotated[bool | None, FLAG] = None,
        gender: Annotated[str | None, GENDER] = None,
        sort: Annotated[str | None, SORT] = None,
        page: Annotated[int | None, PAGE] = None,
        per_page: Annotated[int | None, PER_PAGE] = None,
    ) -> CounselorPage:
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
        return {
            "total": result.total,
            "total_capped": result.total_capped,
            "page": parsed.query.page,
            "per_page": parsed.query.per_page,
            "items": [
                listing_json(i.listing, i.distance_miles, i.distance2_miles, i.telehealth)
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
        return listing_json(listing)


@get("/healthz", include_in_schema=False, media_type="text/plain", sync_to_thread=False)
def healthz() -> Response[str]:
    return Response("ok", media_type="text/plain")
