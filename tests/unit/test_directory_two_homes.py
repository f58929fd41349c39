"""Two homes and telehealth reach: within the radius of both homes (sorted by the longer
distance), or by video or phone licensed in both homes' states; one home and a wish for
video or phone reaches every counselor licensed in its state who offers it."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from portal.directory import bitmaps, geo, query
from portal.directory.filters import parse_query
from portal.directory.geo import telehealth_reach, two_homes_distances, zip_locator
from portal.directory.query import SearchResult, clear_caches, get_listing, run_search
from portal.directory.taxonomy import taxonomy

TODAY = date(2026, 11, 20)
CHICAGO, NAPERVILLE = (41.92, -87.65), (41.75, -88.15)


@pytest.fixture
def engine(seeded_sqlite: Engine) -> Iterator[Engine]:
    clear_caches()
    yield seeded_sqlite
    clear_caches()


def search(engine: Engine, qs: str, *, sql_alone: bool = False) -> SearchResult:
    params: dict[str, list[str]] = {}
    for pair in filter(None, qs.split("&")):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value)
    clear_caches()
    with Session(engine) as session:
        parsed = parse_query(params, taxonomy(), zip_locator(session))
        assert parsed.errors == {}, parsed.errors
        kept = bitmaps.current
        if sql_alone:
            bitmaps.current = lambda session: None  # type: ignore[assignment]
        try:
            return run_search(session, parsed.query, today=TODAY, freshness_days=180, columns="all")
        finally:
            bitmaps.current = kept  # type: ignore[assignment]


# --- the arithmetic ----------------------------------------------------------------------------


def test_reach_with_one_home_needs_video_or_phone_wanted() -> None:
    assert telehealth_reach((), ("TX",), two_homes=False) is None
    assert telehealth_reach(("in-person",), ("TX",), two_homes=False) is None
    reach = telehealth_reach(("in-person", "video"), ("TX",), two_homes=False)
    assert reach == geo.Reach(("TX",), ("video",))


def test_reach_with_two_homes_is_telehealth_licensed_in_both_states() -> None:
    assert telehealth_reach((), ("IL", "TX"), two_homes=True) == geo.Reach(
        ("IL", "TX"), ("video", "phone")
    )
    assert telehealth_reach(("phone",), ("IL", "IL"), two_homes=True) == geo.Reach(
        ("IL",), ("phone",)
    )
    assert telehealth_reach(("in-person",), ("IL", "TX"), two_homes=True) is None


def test_an_office_counts_only_within_the_radius_of_both_homes() -> None:
    office = (41.88, -87.63)  # the Loop: about 3 miles from one home, 26 from the other
    near, far = two_homes_distances((CHICAGO,), 25, *office), None
    assert near is not None and near[0] == pytest.approx(2.9, abs=0.1)
    both = two_homes_distances((CHICAGO, NAPERVILLE), 30, *office)
    assert both is not None and both[0] < 5 < 20 < both[1] < 30
    assert two_homes_distances((CHICAGO, NAPERVILLE), 25, *office) is far
    assert two_homes_distances((CHICAGO,), 25, None, None) is None  # telehealth only


def test_a_second_zip_needs_a_first_and_a_real_one() -> None:
    assert "zip2" in parse_query({"zip2": ["60540"]}, taxonomy()).errors
    assert "zip2" in parse_query({"zip": ["60614"], "zip2": ["00000"]}, taxonomy()).errors
    query = parse_query({"zip": ["60614"], "zip2": ["78701"]}, taxonomy()).query
    assert query.states == ("IL", "TX") and query.origin2 is not None
    assert query.without("zip").zip2 is None and query.without("zip").origin2 is None
    assert query.without("zip2").states == ("IL",)
    assert query.query_string() == "zip=60614&zip2=78701"


# --- the search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qs",
    [
        "zip=60614&zip2=60540&radius=30",
        "zip=60614&zip2=60540&radius=30&sort=distance",
        "zip=60614&zip2=60540&radius=30&sees=co-parents&specialty=co-parenting",
        "zip=60614&zip2=60540&radius=30&format=video&max_fee=200",
    ],
)
def test_two_homes_find_offices_near_both_or_telehealth_licensed_in_both_states(
    engine: Engine, qs: str
) -> None:
    result = search(engine, f"{qs}&per_page=100")
    assert result.items
    assert any(i.telehealth for i in result.items) and not all(i.telehealth for i in result.items)
    for item in result.items:
        listing = item.listing
        if item.telehealth:
            assert item.distance_miles is None and item.distance2_miles is None
            assert "IL" in listing.telehealth_states
            assert {"video", "phone"} & set(listing.formats)
        else:
            assert item.distance_miles is not None and item.distance2_miles is not None
            assert max(item.distance_miles, item.distance2_miles) <= 30
    alone = search(engine, f"{qs}&per_page=100", sql_alone=True)
    assert [i.listing.slug for i in alone.items] == [i.listing.slug for i in result.items]


def test_two_homes_by_distance_come_by_the_longer_of_the_two(engine: Engine) -> None:
    items = search(engine, "zip=60614&zip2=60540&radius=30&sort=distance&per_page=100").items
    # Listings not verified recently come last in every order.
    fresh = [i for i in items if i.listing.last_verified >= date(2026, 5, 24)]
    longer = [
        math.inf if i.telehealth else max(i.distance_miles or 0, i.distance2_miles or 0)
        for i in fresh
    ]
    offices = [d for d in longer if d != math.inf]
    assert len(offices) > 5 and offices == sorted(offices)
    assert longer[: len(offices)] == offices


def test_homes_in_two_states_reach_only_telehealth_licensed_in_both(engine: Engine) -> None:
    result = search(engine, "zip=60614&zip2=46204&radius=25&per_page=100")  # Chicago, Indianapolis
    assert result.items and all(i.telehealth for i in result.items)
    for item in result.items:
        assert {"IL", "IN"} <= set(item.listing.telehealth_states)


def test_video_reaches_every_counselor_licensed_in_the_zip_codes_state(engine: Engine) -> None:
    local = search(engine, "zip=78701&format=in-person&per_page=100")
    video = search(engine, "zip=78701&format=video&per_page=100")
    assert not any(i.telehealth for i in local.items)
    remote = [i for i in video.items if i.telehealth]
    assert len(remote) > 10 and video.total > local.total
    for item in remote:
        assert "TX" in item.listing.telehealth_states and "video" in item.listing.formats
        assert item.distance_miles is None
    near = [i for i in video.items if not i.telehealth]
    assert near and all((i.distance_miles or 0) <= 25 for i in near)
    # Best match puts the offices within the radius before the reach by telehealth alone.
    assert video.items.index(near[-1]) < video.items.index(remote[0]) or any(
        i.listing.last_verified < date(2026, 5, 24) for i in near
    )


def test_reach_counts_the_same_while_the_bitmaps_are_built(engine: Engine) -> None:
    for qs in ("zip=78701&format=video", "zip=60614&zip2=60540&format=phone&sort=distance"):
        slugs = [i.listing.slug for i in search(engine, qs).items]
        assert slugs == [i.listing.slug for i in search(engine, qs, sql_alone=True).items]
        assert search(engine, qs).total == search(engine, qs, sql_alone=True).total


def test_a_listing_without_an_office_is_reached_only_by_telehealth(engine: Engine) -> None:
    result = search(engine, "zip=98101&format=video&per_page=100")
    with Session(engine) as session:
        for item in result.items:
            whole = get_listing(session, item.listing.slug)
            assert whole is not None
            if whole.zip is None:
                assert item.telehealth


@pytest.mark.parametrize(
    "qs",
    [
        "zip=60614&zip2=60540&radius=100&per_page=100",
        "zip=78701&radius=100&format=video&per_page=100",
        "zip=60614&zip2=60540&radius=100&format=phone&sort=distance&per_page=100",
    ],
)
def test_a_radius_too_wide_to_measure_reaches_the_same(
    engine: Engine, qs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured = search(engine, qs)
    monkeypatch.setattr(query, "RADIUS_MAX", 1)
    wide = search(engine, qs)
    assert [i.listing.slug for i in wide.items] == [i.listing.slug for i in measured.items]
    assert [i.telehealth for i in wide.items] == [i.telehealth for i in measured.items]
    assert wide.total == measured.total and any(i.telehealth for i in wide.items)
