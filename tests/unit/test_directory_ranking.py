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
from portal.directory import query as query_module
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


def _keys(engine: Engine, qs: str) -> list[tuple[str, bool, int, bool, bool, int]]:
    """(slug, fresh, fit, accepting, opening soon, shuffle) of each listing of the page."""
    since = TODAY - timedelta(days=FRESH_DAYS)
    soon_until = TODAY + timedelta(days=ranking.OPENING_SOON_DAYS)
    out = []
    with Session(engine) as session:
        query = parsed(qs, session)
        for slug in page(engine, qs):
            listing = get_listing(session, slug)
            assert listing is not None
            fresh = listing.last_verified >= since
            soon = listing.next_opening is not None and listing.next_opening <= soon_until
            fit = ranking.score(listing, query)
            out.append((slug, fresh, fit, listing.accepting, soon, listing.shuffle))
    return out


@pytest.mark.parametrize(
    "qs",
    [
        "sees=co-parents&specialty=co-parenting&screens_individually=1",
        "sees=couples&sees=individuals&modality=eft&modality=gottman",
        "specialty=estrangement&specialty=parent-child-conflict&format=video&evenings=1",
    ],
)
def test_fresh_then_fit_then_accepting_then_soonest_opening_and_ties_fall_to_the_shuffle(
    engine: Engine, qs: str
) -> None:
    keys = _keys(engine, qs)
    assert len(keys) > 5
    order = [
        (not fresh, -score, not accepting, not (accepting and soon), shuffle)
        for _, fresh, score, accepting, soon, shuffle in keys
    ]
    assert order == sorted(order)
    assert len({score for _, _, score, _, _, _ in keys}) > 1, "the fit tells listings apart"
    # The opening tells apart accepting listings of one fit: the order has to use it.
    soon_after_not = any(
        a[1:4] == b[1:4] and a[3] and not a[4] and b[4] and a[5] < b[5] for a in keys for b in keys
    )
    assert soon_after_not, "some later-shuffled listing of the same fit opens sooner"


def test_equally_good_fits_rotate_by_the_shuffle(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two listings of the same fit trade places when their shuffle keys do."""
    qs = "sees=co-parents&specialty=co-parenting&screens_individually=1"
    keys = _keys(engine, qs)
    tied = [k for k in keys if k[1:5] == keys[0][1:5]]
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


class _Opening:
    """Four listings: 0 and 2 accepting and opening soon, 1 accepting later, 3 not accepting
    though opening soon."""

    def accepting(self) -> int:
        return 0b0111

    def opening_by(self, until: date) -> int:
        return 0b1101


def test_an_opening_within_four_weeks_comes_first_among_the_accepting() -> None:
    soon = TODAY + timedelta(days=ranking.OPENING_SOON_DAYS)
    b = _Opening()
    assert ranking.availability(b, 0b1111, 0, soon) == [0b0101, 0b0010, 0b1000]  # type: ignore[arg-type]
    # Boosted (confirmed or reached) first, each split the same way.
    assert ranking.availability(b, 0b1111, 0b0011, soon) == [  # type: ignore[arg-type]
        0b0001,
        0b0010,
        0,
        0b0100,
        0,
        0b1000,
    ]
    assert ranking.is_soon(soon, soon) and ranking.is_soon(TODAY - timedelta(days=3), soon)
    assert not ranking.is_soon(soon + timedelta(days=1), soon)
    assert not ranking.is_soon(None, soon)


def test_the_opening_bitmap_is_the_listings_with_an_opening_by_that_day(engine: Engine) -> None:
    from sqlalchemy import text

    until = TODAY + timedelta(days=ranking.OPENING_SOON_DAYS)
    with Session(engine) as session:
        b = bitmaps.build(session)
        expected = session.execute(
            text("SELECT id FROM listing WHERE next_opening <= :d ORDER BY id"), {"d": until}
        ).scalars()
        assert bitmaps.to_ids(b.opening_by(until)) == list(expected)
        assert 0 < b.opening_by(until).bit_count() < b.accepting().bit_count()


def _fit_keys(engine: Engine, qs: str, slugs: list[str]) -> list[tuple[bool, int, bool, bool]]:
    since = TODAY - timedelta(days=FRESH_DAYS)
    soon_until = TODAY + timedelta(days=ranking.OPENING_SOON_DAYS)
    out = []
    with Session(engine) as session:
        query = parsed(qs, session)
        for slug in slugs:
            listing = get_listing(session, slug)
            assert listing is not None
            soon = ranking.is_soon(listing.next_opening, soon_until)
            out.append(
                (
                    listing.last_verified < since,
                    -ranking.score(listing, query),
                    not listing.accepting,
                    not (listing.accepting and soon),
                )
            )
    return out


FEE = "sees=co-parents&specialty=co-parenting&language=es&evenings=1&max_fee=160"


@pytest.mark.parametrize("way", ["driven", "walked", "sql-alone"])
def test_best_match_with_a_fee_ranks_by_fit(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    if way == "walked":  # too many to read by id: the tiers walked in memory, fee tested there
        monkeypatch.setattr(query_module, "DRIVE_MAX", 1)
    elif way == "sql-alone":
        monkeypatch.setattr(bitmaps, "current", lambda session: None)
    clear_caches()
    found = page(engine, FEE)
    keys = _fit_keys(engine, FEE, found)
    assert len(found) > 10
    assert keys == sorted(keys)
    assert len({k[1] for k in keys}) > 2, "the fit tells listings apart"
    with Session(engine) as session:
        for slug in found:
            listing = get_listing(session, slug)
            assert listing is not None
            floor = listing.sliding_floor if listing.sliding_scale else None
            assert listing.fee_min <= 160 or (floor is not None and floor <= 160)
    clear_caches()
    monkeypatch.undo()
    assert page(engine, FEE) == found, "every way of reading gives the same order"


def test_a_walk_by_fit_continues_after_its_cursor(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyset paging names an arm of the fit walk by place: each arm (a fit tier, by
    availability and opening) is the same on every page."""
    monkeypatch.setattr(query_module, "DRIVE_MAX", 1)
    qs = "specialty=co-parenting&language=es&evenings=1"
    whole = page(engine, qs, per_page=60)
    with Session(engine) as session:
        first = run_search(
            session, parsed(f"{qs}&per_page=20", session), today=TODAY, freshness_days=180
        )
        assert first.has_next and first.next_cursor is not None
        rest = run_search(
            session,
            parsed(f"{qs}&per_page=20&page=2&after={first.next_cursor}", session),
            today=TODAY,
            freshness_days=180,
        )
    got = [i.listing.slug for i in first.items + rest.items]
    assert got == whole[:40]


WORDS = "q=family&specialty=co-parenting&specialty=estrangement&language=es"


@pytest.mark.parametrize("sql_alone", [False, True], ids=["bitmaps", "sql-alone"])
def test_best_match_with_search_words_ranks_by_fit_first(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, sql_alone: bool
) -> None:
    if sql_alone:
        monkeypatch.setattr(bitmaps, "current", lambda session: None)
    clear_caches()
    found = page(engine, WORDS)
    keys = [k[:2] for k in _fit_keys(engine, WORDS, found)]
    assert len(found) > 10
    assert keys == sorted(keys)
    assert len({k[1] for k in keys}) > 2, "the fit tells listings apart"
    # Within one fit the words' score orders them: not the shuffle, as without words.
    without = page(engine, WORDS.replace("q=family&", ""))
    assert [s for s in without if s in found] != found


def test_search_words_order_the_same_on_both_paths(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_caches()
    from_bitmaps = page(engine, WORDS)
    clear_caches()
    monkeypatch.setattr(bitmaps, "current", lambda session: None)
    assert page(engine, WORDS) == from_bitmaps
