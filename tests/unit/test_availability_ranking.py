"""Best match with availability: listings confirmed within 30 days or reached by people first,
those people mostly could not reach last with the stale ones; the same order whichever way a
query is read (walked in memory, driven by id, walked in SQL, ranked by search, a radius, or
SQL alone while the bitmaps are built)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, insert, select, update
from sqlmodel import Session

from portal.db import bump_data_version
from portal.directory import bitmaps, query, ranking
from portal.directory.availability import tiers
from portal.directory.filters import parse_query
from portal.directory.geo import zip_locator
from portal.directory.taxonomy import taxonomy
from portal.models import Listing, ListingReport
from tests.conftest import copy_database

TODAY = date(2026, 12, 7)
FRESH_DAYS = 180
L = Listing.__table__


@pytest.fixture(scope="module")
def engine(seeded_sqlite: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = copy_database(seeded_sqlite, tmp_path_factory.mktemp("rank") / "rank.db")
    fresh_since = TODAY - timedelta(days=FRESH_DAYS)
    with engine.begin() as conn:
        fresh = conn.execute(
            select(L.c.id, L.c.slug, L.c.accepting)
            .where(L.c.last_verified >= fresh_since)
            .order_by(L.c.slug)
        ).all()
        # Stale or not accepting ones would be ranked down anyway: pick fresh, later-shuffled
        # listings, so that moving them up is something the order must do.
        confirmed = [r.slug for r in fresh[-12:-6]]
        reached = [r.slug for r in fresh[-6:-3]]
        unreachable = [r.slug for r in fresh[:3]]
        conn.execute(
            update(L)
            .where(L.c.slug.in_(confirmed))
            .values(availability_confirmed=TODAY - timedelta(days=3))
        )
        conn.execute(
            update(L)
            .where(L.c.slug == fresh[-13].slug)
            .values(availability_confirmed=TODAY - timedelta(days=40))  # too long ago
        )
        reports = [
            {"listing_slug": s, "outcome": "got_consult", "day": TODAY - timedelta(days=5)}
            for s in reached
        ] + [
            {"listing_slug": s, "outcome": o, "day": TODAY - timedelta(days=2)}
            for s in unreachable
            for o in ("no_answer", "no_answer", "not_taking")
        ]
        conn.execute(insert(ListingReport.__table__), reports)
        bump_data_version(conn)
    query.clear_caches()
    yield engine
    query.clear_caches()
    engine.dispose()


def expected_order(engine: Engine) -> list[str]:
    """Every listing in Best match's order, computed here from the rule."""
    fresh_since = TODAY - timedelta(days=FRESH_DAYS)
    with Session(engine) as session:
        t = tiers(session, TODAY)
        rows = session.execute(
            select(L.c.id, L.c.slug, L.c.accepting, L.c.shuffle, L.c.last_verified)
        ).all()

    def group(r) -> int:  # type: ignore[no-untyped-def]
        if r.id in t.demoted or r.last_verified < fresh_since:
            return 2
        return 0 if r.id in t.boosted else 1

    return [
        r.slug for r in sorted(rows, key=lambda r: (group(r), not r.accepting, r.shuffle, r.id))
    ]


def found(engine: Engine, qs: dict[str, list[str]], pages: int = 3) -> list[str]:
    out: list[str] = []
    with Session(engine) as session:
        parsed = parse_query(qs, taxonomy(), zip_locator(session))
        assert not parsed.errors
        q = parsed.query
        for page in range(1, pages + 1):
            page_q = parse_query({**qs, "page": [str(page)]}, taxonomy(), zip_locator(session))
            result = query.run_search(
                session, page_q.query, today=TODAY, freshness_days=FRESH_DAYS, columns="all"
            )
            out += [i.listing.slug for i in result.items]
            if not result.has_next:
                break
    del q
    return out


def matching(engine: Engine, qs: dict[str, list[str]], everyone: list[str]) -> list[str]:
    """``everyone`` (in order) narrowed to the listings the query matches."""
    with Session(engine) as session:
        parsed = parse_query({**qs, "per_page": ["50"]}, taxonomy(), zip_locator(session))
        result = query.run_search(
            session, parsed.query, today=TODAY, freshness_days=FRESH_DAYS, columns="all"
        )
        wanted = set()
        page = 1
        while True:
            wanted |= {i.listing.slug for i in result.items}
            if not result.has_next:
                break
            page += 1
            parsed = parse_query(
                {**qs, "per_page": ["50"], "page": [str(page)]}, taxonomy(), zip_locator(session)
            )
            result = query.run_search(
                session, parsed.query, today=TODAY, freshness_days=FRESH_DAYS, columns="all"
            )
    return [s for s in everyone if s in wanted]


def test_confirmed_and_reached_listings_come_first(engine: Engine) -> None:
    order = found(engine, {})
    with Session(engine) as session:
        t = tiers(session, TODAY)
        boosted = {
            r.slug for r in session.execute(select(L.c.slug).where(L.c.id.in_(t.boosted))).all()
        }
    assert len(t.boosted) == 9 and len(t.demoted) == 3
    first = order[: len(boosted)]
    accepting_boosted = {
        s
        for s in boosted
        if Session(engine).execute(select(L.c.accepting).where(L.c.slug == s)).scalar_one()
    }
    assert accepting_boosted <= set(first)


def test_listings_people_could_not_reach_go_with_the_stale_ones(engine: Engine) -> None:
    everyone = found(engine, {"per_page": ["50"]}, pages=20)
    assert len(everyone) == len(expected_order(engine))
    with Session(engine) as session:
        t = tiers(session, TODAY)
        demoted = {
            r.slug for r in session.execute(select(L.c.slug).where(L.c.id.in_(t.demoted))).all()
        }
        stale_since = TODAY - timedelta(days=FRESH_DAYS)
        fresh_plain = session.execute(
            select(L.c.slug).where(
                L.c.last_verified >= stale_since, L.c.id.not_in(t.demoted | t.boosted)
            )
        ).scalars()
        last_fresh = max(everyone.index(s) for s in fresh_plain)
    assert all(everyone.index(s) > last_fresh for s in demoted)


@pytest.mark.parametrize(
    "qs",
    [
        {},  # walked in memory
        {"format": ["video"]},  # driven by id, ordered in SQL
        {"max_fee": ["200"]},  # walked in SQL, arm after arm
        {"zip": ["BOOSTED"], "radius": ["100"]},  # a radius measured in memory
        {"accepting": ["1"]},
    ],
    ids=["memory", "driven", "sql-walk", "radius", "accepting"],
)
def test_every_way_of_reading_gives_the_same_order(engine: Engine, qs) -> None:  # type: ignore[no-untyped-def]
    if qs.get("zip") == ["BOOSTED"]:  # around a boosted listing with an office
        with Session(engine) as session:
            t = tiers(session, TODAY)
            qs = {**qs, "zip": [
                session.execute(
                    select(L.c.zip).where(L.c.id.in_(t.boosted), L.c.zip.is_not(None)).limit(1)
                ).scalar_one()
            ]}  # fmt: skip
    everyone = expected_order(engine)
    got = found(engine, qs)
    assert got == matching(engine, qs, everyone)[: len(got)]
    assert len(got) > 10


def test_sql_alone_gives_the_same_order(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bitmaps, "current", lambda session: None)
    everyone = expected_order(engine)
    for qs in ({}, {"format": ["video"]}):
        got = found(engine, qs)
        assert got == matching(engine, qs, everyone)[: len(got)]


def test_a_search_ranks_by_availability_group_first(engine: Engine) -> None:
    with Session(engine) as session:
        t = tiers(session, TODAY)
        ids = {
            r.slug: r.id for r in session.execute(select(L.c.slug, L.c.id, L.c.last_verified)).all()
        }
        stale = {
            r.slug
            for r in session.execute(
                select(L.c.slug).where(L.c.last_verified < TODAY - timedelta(days=FRESH_DAYS))
            ).all()
        }

    def group(slug: str) -> int:
        i = ids[slug]
        if i in t.demoted or slug in stale:
            return 2
        return 0 if i in t.boosted else 1

    got = found(engine, {"q": ["couples"]}, pages=5)
    assert len(got) > 20
    groups = [group(s) for s in got]
    assert groups == sorted(groups)


FIT = {"specialty": ["co-parenting", "separation-divorce"], "language": ["es"]}
"""Needs that tell listings apart by fit (both specialties or one, Spanish or not)."""


def fit_order(engine: Engine, qs: dict[str, list[str]]) -> list[tuple[str, int, int]]:
    """Every listing ``qs`` matches in Best match's order, computed here from the rule: fresh
    and reachable first, then fit, then boosted, then accepting, then an opening within four
    weeks, then the shuffle; with each listing's fit and availability group (0 boosted,
    1 plain, 2 stale or unreachable)."""
    fresh_since = TODAY - timedelta(days=FRESH_DAYS)
    with Session(engine) as session:
        t = tiers(session, TODAY)
        q = parse_query(qs, taxonomy(), zip_locator(session)).query
        columns = [L.c.id, L.c.slug, L.c.accepting, L.c.shuffle, L.c.last_verified]
        columns.append(L.c.next_opening)
        rows = session.execute(select(*columns, *(L.c[n] for n in ranking.SCORE_COLUMNS))).all()
    wanted = set(matching(engine, qs, [r.slug for r in rows]))

    def group(r) -> int:  # type: ignore[no-untyped-def]
        if r.id in t.demoted or r.last_verified < fresh_since:
            return 2
        return 0 if r.id in t.boosted else 1

    soon_until = TODAY + timedelta(days=ranking.OPENING_SOON_DAYS)

    def key(r) -> tuple:  # type: ignore[no-untyped-def,type-arg]
        soon = r.accepting and r.next_opening is not None and r.next_opening <= soon_until
        fit = -ranking.score(r, q)
        return (group(r) == 2, fit, group(r), not r.accepting, not soon, r.shuffle, r.id)

    ordered = sorted((r for r in rows if r.slug in wanted), key=key)
    return [(r.slug, ranking.score(r, q), group(r)) for r in ordered]


@pytest.mark.parametrize("sql_alone", [False, True], ids=["bitmaps", "sql-alone"])
def test_best_match_ranks_by_fit_then_availability(engine: Engine, monkeypatch, sql_alone) -> None:  # type: ignore[no-untyped-def]
    if sql_alone:
        monkeypatch.setattr(bitmaps, "current", lambda session: None)
    query.clear_caches()
    expected = fit_order(engine, FIT)
    scores = [s for _, s, _ in expected]
    assert len(set(scores)) > 2  # fit tells them apart
    # Within one fit, a boosted listing comes before a plain one of the same fit, and the
    # unreachable and the stale come after every fresh one whatever their fit.
    assert any(g == 0 for _, _, g in expected) and any(g == 2 for _, _, g in expected)
    got = found(engine, FIT, pages=3)
    assert got == [s for s, _, _ in expected][: len(got)]
    assert len(got) > 10


@pytest.mark.parametrize("way", ["measured", "wide", "sql-alone"])
def test_best_match_with_a_radius_is_the_same_every_way(engine: Engine, monkeypatch, way) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        t = tiers(session, TODAY)
        zip_code = session.execute(
            select(L.c.zip).where(L.c.id.in_(t.boosted), L.c.zip.is_not(None)).limit(1)
        ).scalar_one()
    qs = {"specialty": ["co-parenting"], "zip": [zip_code], "radius": ["100"]}
    query.clear_caches()
    reference = found(engine, qs, pages=3)
    if way == "wide":  # too many to measure: walked by fit tier, each measured as it comes
        monkeypatch.setattr(query, "RADIUS_MAX", 1)
        monkeypatch.setattr(query, "DRIVE_MAX", 1)
    elif way == "sql-alone":
        monkeypatch.setattr(bitmaps, "current", lambda session: None)
    query.clear_caches()
    got = found(engine, qs, pages=3)
    assert got == reference
    assert len(got) > 10
