"""Build and run the directory query for a ``DirectoryQuery``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlmodel import Session, col

from portal.directory.filters import MULTI_FACETS, DirectoryQuery
from portal.directory.geo import MILES_PER_DEGREE_LAT, bounding_box, miles_per_degree_lon
from portal.directory.search import fts_subquery, match_expression
from portal.models import Listing, ListingFacet

# A new rotation each day: no listing can hold the top spot, and a shared URL shows the same
# order to everyone on the same day.
_ROTATION_PRIME = 10_007


@dataclass(frozen=True)
class ResultItem:
    listing: Listing
    distance_miles: float | None


@dataclass(frozen=True)
class SearchResult:
    items: list[ResultItem]
    total: int
    query: DirectoryQuery
    search_ignored: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.query.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def _has_facet(facet: str, values: tuple[str, ...] | list[str]) -> ColumnElement[bool]:
    ids = select(ListingFacet.listing_id).where(
        ListingFacet.facet == facet, col(ListingFacet.value).in_(list(values))
    )
    return col(Listing.id).in_(ids)


def _distance_sq(query: DirectoryQuery):  # type: ignore[no-untyped-def]
    assert query.origin is not None
    lat0, lon0 = query.origin
    kx = miles_per_degree_lon(lat0)
    dy = (col(Listing.lat) - lat0) * MILES_PER_DEGREE_LAT
    dx = (col(Listing.lon) - lon0) * kx
    return dy * dy + dx * dx


def conditions(query: DirectoryQuery, fresh_since: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for name in MULTI_FACETS:
        values = getattr(query, name)
        if values:
            where.append(_has_facet(name, values))
    if query.gender:
        where.append(_has_facet("gender", [query.gender]))
    if query.state:
        where.append(_has_facet("telehealth_state", [query.state]))
    if query.origin is not None:
        box = bounding_box(query.origin[0], query.origin[1], query.radius)
        where += [
            col(Listing.lat).between(box.min_lat, box.max_lat),
            col(Listing.lon).between(box.min_lon, box.max_lon),
            _distance_sq(query) <= query.radius * query.radius,
        ]
    if query.max_fee is not None:
        where.append(
            or_(
                col(Listing.fee_min) <= query.max_fee,
                and_(
                    col(Listing.sliding_scale).is_(True),
                    col(Listing.sliding_floor) <= query.max_fee,
                ),
            )
        )
    if query.sliding_scale:
        where.append(col(Listing.sliding_scale).is_(True))
    if query.accepting:
        where.append(col(Listing.accepting).is_(True))
    if query.free_consult:
        where.append(col(Listing.free_consult).is_(True))
    if query.evenings:
        where.append(or_(col(Listing.evenings).is_(True), col(Listing.weekends).is_(True)))
    if query.screens_individually:
        where.append(col(Listing.screens_individually).is_(True))
    return where


def _filtered(stmt: Select, query: DirectoryQuery, fresh_since: date) -> tuple[Select, Any]:
    """Apply the search join and the filters; return the statement and the rank column."""
    score = None
    match = match_expression(query.q) if query.q else None
    if match is not None:
        fts = fts_subquery(match)
        stmt = stmt.join(fts, fts.c.listing_id == Listing.id)
        score = fts.c.score
    where = conditions(query, fresh_since)
    if where:
        stmt = stmt.where(*where)
    return stmt, score


def count(session: Session, query: DirectoryQuery, *, today: date, freshness_days: int) -> int:
    fresh_since = today - timedelta(days=freshness_days)
    stmt, _ = _filtered(select(func.count()).select_from(Listing), query, fresh_since)
    return int(session.execute(stmt).scalar_one())


def run_search(
    session: Session,
    query: DirectoryQuery,
    *,
    today: date,
    freshness_days: int,
) -> SearchResult:
    fresh_since = today - timedelta(days=freshness_days)
    distance = _distance_sq(query) if query.origin is not None else None
    stmt = select(Listing)
    if distance is not None:
        stmt = stmt.add_columns(distance.label("distance_sq"))
    stmt, score = _filtered(stmt, query, fresh_since)

    stale_last = case((col(Listing.last_verified) < fresh_since, 1), else_=0)
    rotation = (col(Listing.id) * 7919 + literal(today.toordinal())) % _ROTATION_PRIME
    order: list[Any] = [stale_last]
    if query.sort == "distance" and distance is not None:
        order.append(distance)
    elif query.sort == "fee":
        order.append(col(Listing.fee_min))
    elif query.sort == "opening":
        order += [
            col(Listing.accepting).desc(),
            case((col(Listing.next_opening).is_(None), 1), else_=0),
            col(Listing.next_opening),
        ]
    elif query.sort == "verified":
        order.append(col(Listing.last_verified).desc())
    else:
        if score is not None:
            order.append(score)
        order += [col(Listing.accepting).desc(), rotation]
    order.append(col(Listing.id))

    stmt = stmt.order_by(*order).limit(query.per_page).offset((query.page - 1) * query.per_page)
    total = count(session, query, today=today, freshness_days=freshness_days)
    items: list[ResultItem] = []
    for row in session.execute(stmt):
        miles = round(math.sqrt(max(row[1], 0.0)), 1) if distance is not None else None
        items.append(ResultItem(row[0], miles))
    return SearchResult(
        items=items,
        total=total,
        query=query,
        search_ignored=bool(query.q) and match_expression(query.q) is None,
    )


def get_listing(session: Session, slug: str) -> Listing | None:
    return session.execute(select(Listing).where(col(Listing.slug) == slug)).scalars().first()
