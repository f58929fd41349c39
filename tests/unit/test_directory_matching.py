"""Why a listing fits: the same words for the listings a query found, whether each one's
facet lists are read or the query's single values are taken as given."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from portal.directory.filters import parse_query
from portal.directory.matching import fit_reasoner, fit_reasons
from portal.directory.query import ListingRow, clear_caches, get_listing, run_search
from portal.directory.taxonomy import taxonomy

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
        found = fit_reasoner(query, tax, matched=True)
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
