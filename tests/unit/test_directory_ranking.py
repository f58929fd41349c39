""" "Best match" orders by fit to what the person needs, then reach and availability; equally
good fits rotate by the fixed shuffle; each card says its own reasons, most important first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from portal.directory import bitmaps, ranking
from portal.directory.filters import parse_query
from portal.directory.geo import zip_locator
from portal.directory.matching import fit_reasons
from portal.directory.query import clear_caches, get_listing, run_search
from portal.directory.taxonomy import taxonomy

TODAY = date(2026, 11, 20)
FRESH_DAYS = 180

# What a readiness result for a co-parent with no violence in the answers asks for in Chicago.
CO_PARENT = "sees=co-parents&specialty=co-parenting&screens_individually=1&zip=60614&radius=25"


@pytest.fixture
def engine(seeded_sqlite: Engine) -> Iterator[Engine]:
    clear_caches()
    yield seeded_sqlite
    clear_caches()


def parsed(qs: str, session: Session):  # type: ignore[no-untyped-def]
    params: dict[str, list[str]] = {}
    for pair in filter(None, qs.split("&")):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value)
    result = parse_query(params, taxonomy(), zip_locator(session))
    assert result.errors == {}, result.errors
    return result.query


def page(engine: Engine, qs: str, *, per_page: int = 100) -> list[str]:
    with Session(engine) as session:
        result = run_search(
            session, parsed(f"{qs}&per_page={per_page}", session), today=TODAY, freshness_days=180
        )
    return [item.listing.slug for item in result.items]


@given(st.lists(st.tuples(st.sets(st.integers(0, 40)), st.integers(1, 9)), max_size=8))
def test_the_bit_sliced_sum_is_each_listings_sum_of_points(
    terms: list[tuple[set[int], int]],
) -> None:
    planes = ranking.bit_sliced_sum([(bitmaps.from_ids(sorted(ids)), w) for ids, w in terms])
    for listing in range(41):
        expected = sum(w for ids, w in terms if listing in ids)
        got = sum(1 << k for k, plane in enumerate(planes) if plane >> listing & 1)
        assert got == expected


def test_tiers_are_every_sum_present_highest_first() -> None:
    planes = ranking.bit_sliced_sum([(0b0110, 4), (0b1100, 1), (0b0001, 5)])
    # listing 0: 5, listing 1: 4, listing 2: 5, listing 3: 1
    assert ranking.tiers_of(planes, 0b1111) == [(5, 0b0101), (4, 0b0010), (1, 0b1000)]
    assert ranking.tiers_of(planes, 0b1010) == [(4, 0b0010), (1, 0b1000)]
    assert ranking.tiers_of(planes, 0) == []


def test_the_co_parent_gets_the_handover_counselor_before_the_accountability_work(
    engine: Engine,
) -> None:
    found = page(engine, CO_PARENT)
    handovers = "meredith-franklin-lmft-chicago"  # "If every handover turns into an argument"
    accountability = "ashwin-khan-psyd-chicago"  # "I do accountability-focused work ..."
    assert handovers in found and accountability in found
    assert found.index(handovers) < found.index(accountability)
    with Session(engine) as session:
        query = parsed(CO_PARENT, session)
        first = get_listing(session, handovers)
        other = get_listing(session, accountability)
    assert ranking.score(first, query) > ranking.score(other, query)
    assert fit_reasons(first, query, taxonomy())[:4] == [
        "co-parenting and high-conflict separation",
        "co-parenting counseling",
        "parenting coordination",
        "family mediation",
    ]


def _keys(engine: Engine, qs: str) -> list[tuple[str, bool, int, bool, int]]:
    since = TODAY - timedelta(days=FRESH_DAYS)
    out = []
    with Session(engine) as session:
        query = parsed(qs, session)
        for slug in page(engine, qs):
            listing = get_listing(session, slug)
            assert listing is not None
            fresh = listing.last_verified >= since
            out.append((slug, fresh, ranking.score(listing, query), listing.accepting, 0))
            out[-1] = (*out[-1][:4], listing.shuffle)
    return out


@pytest.mark.parametrize(
    "qs",
    [
        "sees=co-parents&specialty=co-parenting&screens_individually=1",
        "sees=couples&sees=individuals&modality=eft&modality=gottman",
        "specialty=estrangement&specialty=parent-child-conflict&format=video&evenings=1",
    ],
)
def test_fresh_then_fit_then_accepting_and_ties_fall_to_the_shuffle(
    engine: Engine, qs: str
) -> None:
    keys = _keys(engine, qs)
    assert len(keys) > 5
    order = [
        (not fresh, -score, not accepting, shuffle) for _, fresh, score, accepting, shuffle in keys
    ]
    assert order == sorted(order)
    assert len({score for _, _, score, _, _ in keys}) > 1, "the fit tells listings apart"


def test_equally_good_fits_rotate_by_the_shuffle(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two listings of the same fit trade places when their shuffle keys do."""
    qs = "sees=co-parents&specialty=co-parenting&screens_individually=1"
    keys = _keys(engine, qs)
    tied = [k for k in keys if k[1:4] == keys[0][1:4]]
    assert len(tied) >= 2
    a, b = tied[0][0], tied[1][0]
    with Session(engine) as session:
        from sqlalchemy import text

        sa = session.execute(text("SELECT shuffle FROM listing WHERE slug=:s"), {"s": a}).scalar()
        sb = session.execute(text("SELECT shuffle FROM listing WHERE slug=:s"), {"s": b}).scalar()
    assert sa < sb
    built = bitmaps.build

    def swapped(session: Session) -> bitmaps.Bitmaps:
        b_ = built(session)
        ids = {s: get_listing(session, s).id for s in (a, b)}  # type: ignore[union-attr]
        shuffle = b_.order.shuffle
        shuffle[ids[a]], shuffle[ids[b]] = shuffle[ids[b]], shuffle[ids[a]]
        order = sorted(b_.order.ids, key=lambda i: (shuffle[i], i))
        b_.order.ids[:] = type(b_.order.ids)("q", order)
        return b_

    clear_caches()
    monkeypatch.setattr(bitmaps, "build", swapped)
    again = page(engine, qs)
    assert again.index(b) < again.index(a)


@pytest.mark.parametrize(
    "qs",
    [
        CO_PARENT,
        "sees=co-parents&specialty=co-parenting&screens_individually=1",
        "sees=couples&modality=eft&modality=gottman&language=es&zip=78701&radius=100",
    ],
)
def test_while_the_bitmaps_are_built_sql_alone_ranks_the_same(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str
) -> None:
    from_bitmaps = page(engine, qs)
    clear_caches()
    monkeypatch.setattr(bitmaps, "current", lambda session: None)
    assert page(engine, qs) == from_bitmaps


def test_nearer_comes_first_among_equal_fits(engine: Engine) -> None:
    qs = "sees=co-parents&specialty=co-parenting&zip=60614&radius=50"
    with Session(engine) as session:
        result = run_search(
            session, parsed(f"{qs}&per_page=100", session), today=TODAY, freshness_days=180
        )
        query = parsed(qs, session)
        since = TODAY - timedelta(days=FRESH_DAYS)
        keys = []
        for item in result.items:
            whole = get_listing(session, item.listing.slug)
            assert whole is not None and item.distance_miles is not None
            keys.append(
                (
                    whole.last_verified < since,
                    -ranking.score(whole, query),
                    ranking.reach_band(item.distance_miles**2, query.radius),
                    not whole.accepting,
                )
            )
    assert keys == sorted(keys)


def test_method_names_are_written_as_their_owners_write_them(engine: Engine) -> None:
    with Session(engine) as session:
        query = parsed("modality=eft&modality=gottman&modality=cbt", session)
        words = {
            w
            for item in run_search(session, query, today=TODAY, freshness_days=180).items
            for w in fit_reasons(item.listing, query, taxonomy())
        }
    assert "Emotionally Focused Therapy (EFT)" in words
    assert "Gottman Method" in words
    assert "cognitive behavioral therapy (CBT)" in words
    assert not any(w.startswith(("emotionally", "gottman")) for w in words)


def test_without_a_need_the_default_order_stays() -> None:
    assert not ranking.ranks_by_fit(parse_query({}, taxonomy()).query)
    assert not ranking.ranks_by_fit(parse_query({"accepting": ["1"]}, taxonomy()).query)
    sorted_by_fee = parse_query({"sees": ["couples"], "sort": ["fee"]}, taxonomy()).query
    assert not ranking.ranks_by_fit(sorted_by_fee)
