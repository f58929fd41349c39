"""Distances: ZIP centroids, the SQL approximation against the great circle, bounding boxes."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from portal.directory.geo import (
    approx_miles,
    bounding_box,
    haversine_miles,
    zip_locator,
    zip_point,
)


def test_known_zip_has_a_centroid_and_unknown_has_none() -> None:
    point = zip_point("60614")
    assert point is not None
    assert point.state == "IL"
    assert 41.8 < point.lat < 42.0 and -87.8 < point.lon < -87.5
    assert zip_point("00000") is None


@pytest.mark.parametrize("code", ["60614", "10001", "99501", "96813", "00000", "6061", "abcde"])
def test_the_database_locates_a_zip_where_the_package_does(
    seeded_sqlite: Engine, code: str
) -> None:
    with Session(seeded_sqlite) as session:
        assert zip_locator(session)(code) == zip_point(code)


def test_chicago_to_evanston_is_about_ten_miles() -> None:
    a, b = zip_point("60614"), zip_point("60201")
    assert a and b
    assert 7 < haversine_miles(a.lat, a.lon, b.lat, b.lon) < 11


@pytest.mark.parametrize(
    ("zip_a", "zip_b"),
    [("60614", "60201"), ("10001", "11201"), ("94110", "94612"), ("33125", "33021")],
)
def test_the_sql_approximation_is_within_one_percent_at_search_radii(
    zip_a: str, zip_b: str
) -> None:
    a, b = zip_point(zip_a), zip_point(zip_b)
    assert a and b
    exact = haversine_miles(a.lat, a.lon, b.lat, b.lon)
    assert approx_miles(a.lat, a.lon, b.lat, b.lon) == pytest.approx(exact, rel=0.01)


def test_bounding_box_contains_every_point_within_the_radius() -> None:
    origin = zip_point("60614")
    assert origin
    box = bounding_box(origin.lat, origin.lon, 25)
    for code in ("60201", "60302", "60601", "60007"):
        p = zip_point(code)
        assert p
        if approx_miles(origin.lat, origin.lon, p.lat, p.lon) <= 25:
            assert box.min_lat <= p.lat <= box.max_lat
            assert box.min_lon <= p.lon <= box.max_lon
