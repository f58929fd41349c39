"""ZIP centroids and distances.

Distances are "ZIP centre to ZIP centre". Filtering and sorting in SQL use a bounding box plus
the equirectangular approximation, which is plain arithmetic (the same on SQLite and
PostgreSQL) and within 0.5% of the great-circle distance at the radii people search.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from sqlalchemy.orm import Session

from portal.models import ZipCentroid
from portal.states import US_STATES as US_STATES  # the filters and the API read it here

MILES_PER_DEGREE_LAT = 69.0
SORT_RADIUS_MAX = 100
"""Sorting by distance measures every listing within the radius to order them; beyond this
many miles that is tens of thousands of listings, so a wider radius is not sorted by it."""


@dataclass(frozen=True)
class ZipPoint:
    zip: str
    city: str
    state: str
    lat: float
    lon: float


_ZIP5 = re.compile(r"[0-9]{5}")

Locate = Callable[[str], "ZipPoint | None"]


@lru_cache(maxsize=4096)
def zip_point(code: str) -> ZipPoint | None:
    """The centroid of a five-digit ZIP code, or None.

    One lookup in the zipcodes package's compiled index (well under a millisecond), kept per
    code. Not ``zipcodes.list_all()``: that builds 42,000 dicts and the package keeps them
    for the life of the process (about 150 MB of the server's memory).
    """
    if not isinstance(code, str) or not _ZIP5.fullmatch(code):
        return None
    try:
        rows = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    found: ZipPoint | None = None
    for row in rows:
        if row.get("zip_code") != code:
            continue
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        found = ZipPoint(row["zip_code"], row["city"], row["state"], lat, lon)
    return found


_located: dict[str, ZipPoint | None] = {}


def zip_locator(session: Session) -> Locate:
    """``zip_point`` from the database's ``zip_centroid`` table (the same centroids, loaded
    with the seed): one primary-key lookup per code, kept, and none of the package's 35 MB."""

    def locate(code: str) -> ZipPoint | None:
        if not isinstance(code, str) or not _ZIP5.fullmatch(code):
            return None
        if code in _located:
            return _located[code]
        row = session.get(ZipCentroid, code)
        point = ZipPoint(row.zip, row.city, row.state, row.lat, row.lon) if row else None
        if len(_located) >= 4096:
            _located.clear()
        _located[code] = point
        return point

    return locate


def miles_per_degree_lon(lat: float) -> float:
    return MILES_PER_DEGREE_LAT * math.cos(math.radians(lat))


def approx_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in miles, the formula the SQL filter uses."""
    dy = (lat2 - lat1) * MILES_PER_DEGREE_LAT
    dx = (lon2 - lon1) * miles_per_degree_lon(lat1)
    return math.hypot(dx, dy)


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance: what the tests hold ``approx_miles`` and the generator to."""
    r = 3958.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_miles: float) -> BoundingBox:
    dlat = radius_miles / MILES_PER_DEGREE_LAT
    dlon = radius_miles / max(miles_per_degree_lon(lat), 1e-6)
    return BoundingBox(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


REMOTE_FORMATS = ("video", "phone")


@dataclass(frozen=True)
class Reach:
    """Telehealth reach: counselors licensed in every one of ``states`` who offer any of
    ``formats`` can see the person (or both people) wherever their office is."""

    states: tuple[str, ...]
    formats: tuple[str, ...]

    def covers(self, formats: Sequence[str], telehealth_states: Sequence[str]) -> bool:
        """Whether a listing offering ``formats``, licensed for telehealth in
        ``telehealth_states``, is within this reach (the SQL and bitmap tests of
        directory.query, for one listing in hand)."""
        return all(s in telehealth_states for s in self.states) and any(
            f in self.formats for f in formats
        )


def telehealth_reach(
    formats: tuple[str, ...], states: tuple[str, ...], *, two_homes: bool
) -> Reach | None:
    """The reach of a ZIP search: with one home, when video or phone is wanted; with two,
    telehealth licensed in both states unless only in person is wanted."""
    if not states:
        return None
    wanted = formats or (REMOTE_FORMATS if two_homes else ())
    remote = tuple(f for f in wanted if f in REMOTE_FORMATS)
    return Reach(tuple(dict.fromkeys(states)), remote) if remote else None


def squared_miles(origin: tuple[float, float], lat: float | None, lon: float | None) -> float:
    """The squared distance the directory filters by (inf for a listing with no office)."""
    if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return math.inf
    dy = (lat - origin[0]) * MILES_PER_DEGREE_LAT
    dx = (lon - origin[1]) * miles_per_degree_lon(origin[0])
    return dy * dy + dx * dx


def miles(origin: tuple[float, float], lat: float | None, lon: float | None) -> float:
    """The distance the directory filters by, in miles (inf for a listing with no office)."""
    return math.sqrt(max(squared_miles(origin, lat, lon), 0.0))


def two_homes_distances(
    origins: tuple[tuple[float, float], ...], radius: int, lat: float | None, lon: float | None
) -> tuple[float | None, ...] | None:
    """Miles (to a tenth) from each home, if the office is within the radius of all of
    them; otherwise None (the listing is within reach by telehealth)."""
    squared = [squared_miles(o, lat, lon) for o in origins]
    if any(d > radius * radius for d in squared):
        return None
    return tuple(round(math.sqrt(max(d, 0.0)), 1) for d in squared)
