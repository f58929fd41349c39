"""Why a listing fits: always read from the listing's own values, for the listings a query
found and for any other."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.directory.filters import parse_query
from portal.directory.matching import fit_columns, fit_reasoner, fit_reasons, miss_reasoner
from portal.directory.query import ListingRow, clear_caches, get_listing, run_search
from portal.directory.taxonomy import taxonomy
from portal.models import Listing

QUERIES = [
    "sees=couples&format=video",
    "sees=co-parents&sees=families&language=es",
    "specialty=co-parenting&modality=gottman&accepting=1",
    "insurance=aetna&sliding_scale=1&evenings=1&free_consult=1",
    "screens_individually=1&licence=lmft&state=TX",
]


def _query(qs: str):  # type: ignore[no-untyped-def]
    params: dict[str, list[str]] = {}
    for pair in qs.split("&"):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value)
    parsed = parse_query(params, taxonomy())
    assert parsed.errors == {}, parsed.errors
    return parsed.query


@pytest.mark.parametrize("qs", QUERIES)
def test_the_words_for_found_listings_are_the_words_read_from_their_lists(
    seeded_sqlite: Engine, qs: str
) -> None:
    clear_caches()
    query, tax = _query(qs), taxonomy()
    with Session(seeded_sqlite) as session:
        items = run_search(session, query, today=date(2026, 11, 20), freshness_days=180).items
        assert items, qs
        found = fit_reasoner(query, tax)
        for item in items:
            whole = get_listing(session, item.listing.slug)
            assert isinstance(whole, ListingRow)
            assert found(item.listing) == fit_reasons(whole, query, tax) != []


def test_a_listing_the_query_did_not_find_is_not_said_to_fit(seeded_sqlite: Engine) -> None:
    query = _query("sees=couples")
    with Session(seeded_sqlite) as session:
        others = run_search(
            session,
            _query("sees=parent-adult-child"),
            today=date(2026, 11, 20),
            freshness_days=180,
        ).items
    outside = [i.listing for i in others if "couples" not in i.listing.sees]
    assert outside
    assert all(fit_reasons(listing, query, taxonomy()) == [] for listing in outside)


def _only(row: ListingRow, names: frozenset[str]) -> ListingRow:
    """The row as a page reads it when it asks for ``names`` only."""
    values = {name: getattr(row, name) for name in names}
    return ListingRow(values)


MORE_QUERIES = [
    *QUERIES,
    "sees=couples&sees=families&specialty=co-parenting&specialty=trust-infidelity",
    "modality=gottman&modality=eft&language=es&language=en&insurance=aetna&insurance=cigna",
    "format=video&format=in-person&state=CA&licence=lpc&licence=lmft",
]


@pytest.mark.parametrize("qs", MORE_QUERIES)
def test_the_words_need_only_the_columns_fit_columns_names(seeded_sqlite: Engine, qs: str) -> None:
    query, tax = _query(qs), taxonomy()
    names = fit_columns(query)
    reasons = fit_reasoner(query, tax)
    said = 0
    with Session(seeded_sqlite) as session:
        for slug in session.exec(select(Listing.slug).limit(120)):
            whole = get_listing(session, slug)
            assert isinstance(whole, ListingRow)
            words = reasons(_only(whole, names))  # AttributeError for a column not named
            assert words == reasons(whole)
            said += bool(words)
    assert said, qs


def test_a_single_value_is_read_from_the_listing_not_assumed() -> None:
    assert fit_columns(_query("sees=couples&format=video&accepting=1")) == {"sees", "formats"}
    assert "sliding_floor" in fit_columns(_query("sliding_scale=1"))
    query = _query("specialty=domestic-violence")
    other = ListingRow({"specialties": '["co-parenting"]', "modalities": '["cbt"]'})
    assert fit_reasoner(query, taxonomy())(other) == []


def test_in_spanish_the_reasons_are_spanish_and_name_languages_in_lower_case() -> None:
    query = _query("language=es&format=video&sees=couples")
    listing = ListingRow(
        {"languages": '["en", "es"]', "formats": '["video"]', "sees": '["couples"]'}
    )
    assert fit_reasoner(query, taxonomy())(listing) == [
        "sees couples",
        "speaks Spanish",
        "offers video",
    ]
    assert fit_reasoner(query, taxonomy(), "es")(listing) == [
        "atiende a parejas",
        "habla español",
        "atiende por video",
    ]


def _widened(wished: str, shown: str):  # type: ignore[no-untyped-def]
    """The query a preset shows after letting go of some wishes, ranked by all of them."""
    return replace(_query(shown), fit_to=_query(wished))


def test_a_widened_list_says_which_wishes_a_listing_does_not_meet() -> None:
    query = _widened(
        "sees=co-parents&specialty=co-parenting&specialty=separation-divorce&sliding_scale=1&evenings=1",
        "sees=co-parents&evenings=1",
    )
    assert fit_columns(query) >= {"specialties", "sliding_scale", "evenings", "weekends"}
    misses = miss_reasoner(query, taxonomy())
    neither = ListingRow(
        {"sees": '["co-parents"]', "specialties": '["trust"]', "sliding_scale": False}
    )
    assert misses(neither) == [
        "co-parenting and high-conflict separation or separation and divorce",
        "sliding scale",
    ]
    both = ListingRow(
        {"sees": '["co-parents"]', "specialties": '["co-parenting"]', "sliding_scale": True}
    )
    assert misses(both) == []


def test_missed_wishes_are_said_in_spanish() -> None:
    query = _widened("language=es&format=in-person&sliding_scale=1", "language=es")
    listing = ListingRow({"formats": '["video"]', "sliding_scale": False})
    assert miss_reasoner(query, taxonomy(), "es")(listing) == [
        "en persona",
        "tarifa según ingresos",
    ]


def test_a_list_that_was_not_widened_misses_nothing() -> None:
    query = _query("specialty=co-parenting&sliding_scale=1")
    listing = ListingRow({"specialties": '["trust"]', "sliding_scale": False})
    assert miss_reasoner(query, taxonomy())(listing) == []


def test_a_listing_reached_only_by_video_is_not_said_to_fit_by_meeting_in_person() -> None:
    query = _query("format=in-person&format=video&sees=couples")
    listing = ListingRow({"formats": '["in-person", "video"]', "sees": '["couples"]'})
    reasons = fit_reasoner(query, taxonomy())
    assert reasons(listing) == ["sees couples", "offers in person, video"]
    assert reasons(listing, remote_only=True) == ["sees couples", "offers video"]
    in_person_only = ListingRow({"formats": '["in-person"]', "sees": '["couples"]'})
    assert reasons(in_person_only, remote_only=True) == ["sees couples"]
