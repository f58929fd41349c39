"""Bitmaps: exact totals for any combination of filters, and the same pages whichever way a
query is read (by id from the bitmaps' set, walking the sort's index, a ZIP radius from its
cells or its bounding box, a search ranked from its kept matches or by SQL)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from portal.db import bump_data_version
from portal.directory import bitmaps
from portal.directory import query as directory_query
from portal.directory.filters import parse_query
from portal.directory.geo import zip_locator
from portal.directory.query import SearchResult, clear_caches, count, run_search
from portal.directory.taxonomy import taxonomy
from tests.conftest import copy_database

TODAY = date(2026, 11, 20)


@pytest.fixture
def engine(seeded_sqlite: Engine) -> Iterator[Engine]:
    clear_caches()
    yield seeded_sqlite
    clear_caches()


def parsed(qs: str, session: Session | None = None):  # type: ignore[no-untyped-def]
    params: dict[str, list[str]] = {}
    for pair in filter(None, qs.split("&")):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value.replace("+", " "))
    result = parse_query(params, taxonomy(), zip_locator(session) if session else None)
    assert result.errors == {}, result.errors
    return result.query


@pytest.mark.parametrize("ids", [[], [0], [1, 2, 3], [7, 8, 9, 64, 1000, 99_999]])
def test_ids_survive_a_round_trip_through_a_bitmap(ids: list[int]) -> None:
    assert bitmaps.to_ids(bitmaps.from_ids(ids)) == ids
    assert bitmaps.from_ids(ids).bit_count() == len(ids)


@given(st.sets(st.integers(min_value=0, max_value=120_000), max_size=3000))
def test_any_set_of_ids_survives_a_round_trip(ids: set[int]) -> None:
    assert bitmaps.to_ids(bitmaps.from_ids(ids)) == sorted(ids)


FACET_SQL = (
    "SELECT count(*) FROM listing l WHERE "
    "EXISTS (SELECT 1 FROM listing_facet f WHERE f.listing_id = l.id AND f.facet = 'sees' "
    "AND f.value = :sees) AND EXISTS (SELECT 1 FROM listing_facet f WHERE f.listing_id = l.id "
    "AND f.facet = 'format' AND f.value = :format) AND (:accepting = 0 OR l.accepting)"
)


@pytest.mark.parametrize("accepting", [0, 1])
def test_totals_from_bitmaps_equal_counting_in_sql(engine: Engine, accepting: int) -> None:
    tax = taxonomy()
    sees = [term.slug for term in tax.terms("sees")][:4]
    formats = ["in-person", "video", "phone"]
    with Session(engine) as session:
        for who, how in itertools.product(sees, formats):
            qs = f"sees={who}&format={how}" + ("&accepting=1" if accepting else "")
            expected = session.execute(
                text(FACET_SQL), {"sees": who, "format": how, "accepting": accepting}
            ).scalar_one()
            got = count(session, parsed(qs), today=TODAY, freshness_days=180)
            assert got == min(expected, directory_query.COUNT_CAP + 1), qs


SHAPES = [
    "sees=couples&format=video&accepting=1",
    "sees=parent-adult-child&specialty=co-parenting",
    "language=es&specialty=co-parenting&sliding_scale=1",
    "sees=families&sort=fee",
    "sees=couples&accepting=1&sort=opening",
    "format=video&sort=verified",
    "insurance=aetna&accepting=1&per_page=10&page=2",
]


@pytest.mark.parametrize("qs", SHAPES)
def test_reading_by_id_or_walking_the_index_gives_the_same_page(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str
) -> None:
    def page() -> list[str]:
        with Session(engine) as session:
            result = run_search(session, parsed(qs), today=TODAY, freshness_days=180)
        return [item.listing.slug for item in result.items]

    driven = page()
    monkeypatch.setattr(directory_query, "DRIVE_MAX", 0)
    walked = page()
    assert driven == walked
    assert driven or "page=" not in qs


def test_a_combination_that_matches_nobody_reads_no_listing(engine: Engine) -> None:
    """Each value alone has listings; together they have none. The bitmaps say so without
    reading a listing, where SQL would visit every listing with either value."""
    with Session(engine) as session:
        languages = [term.slug for term in taxonomy().terms("language")]
        pair = "sees=couples&specialty=co-parenting"
        empty = [
            language
            for language in languages
            if count(session, parsed(f"language={language}"), today=TODAY, freshness_days=180)
            and not count(
                session, parsed(f"{pair}&language={language}"), today=TODAY, freshness_days=180
            )
        ]
        assert empty, "the seed has no empty combination to test with"
        impossible = parsed(f"{pair}&language={empty[0]}")
        statements: list[str] = []

        def capture(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        clear_counts = directory_query._counts.items.clear
        clear_counts()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            result = run_search(session, impossible, today=TODAY, freshness_days=180)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
    assert result.total == 0 and result.items == []
    assert statements == []


FLAG_SQL = {
    "sliding_scale=1": "sliding_scale",
    "free_consult=1": "free_consult",
    "screens_individually=1": "screens_individually",
    "evenings=1": "(evenings OR weekends)",
    "sliding_scale=1&free_consult=1&evenings=1": "sliding_scale AND free_consult AND "
    "(evenings OR weekends)",
}


@pytest.mark.parametrize("qs", FLAG_SQL)
def test_yes_no_filters_from_bitmaps_equal_counting_in_sql(engine: Engine, qs: str) -> None:
    with Session(engine) as session:
        expected = session.execute(
            text(f"SELECT count(*) FROM listing WHERE {FLAG_SQL[qs]}")
        ).scalar_one()
        assert 0 < expected < 410
        assert count(session, parsed(qs), today=TODAY, freshness_days=180) == expected


def test_cells_cover_a_box_and_nothing_far_from_it() -> None:
    assert bitmaps.cells(41.56, 42.28, -88.13, -87.16) == ["41,-89", "41,-88", "42,-89", "42,-88"]
    assert bitmaps.cells(40.2, 40.7, -74.3, -74.1) == ["40,-75"]


def _page(engine: Engine, qs: str) -> tuple[int, list[tuple[str, float | None]]]:
    # Verified within 60 days: about half the seed is "not verified recently", and the
    # orders put fresh listings first.
    with Session(engine) as session:
        result = run_search(session, parsed(qs, session), today=TODAY, freshness_days=60)
    return result.total, [(i.listing.slug, i.distance_miles) for i in result.items]


RADIUS_SHAPES = [
    "zip=75206",
    "zip=75206&radius=100&max_fee=150",
    "zip=75206&radius=100&sort=verified",
    "zip=75206&radius=100&sort=distance",
    "zip=80210&radius=50&sliding_scale=1",
    "zip=55418&radius=200&format=in-person&sort=fee",
    "zip=70119&radius=25&per_page=5&page=2",
]


@pytest.mark.parametrize("drive_max", [3000, 0], ids=["few", "measured-only"])
@pytest.mark.parametrize("qs", RADIUS_SHAPES)
def test_a_radius_read_from_its_cells_gives_what_its_bounding_box_gives(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str, drive_max: int
) -> None:
    """With ``drive_max`` 0, only a radius measured in memory (RADIUS_MAX) is read by id."""
    monkeypatch.setattr(directory_query, "DRIVE_MAX", drive_max)
    from_cells = _page(engine, qs)
    clear_caches()
    monkeypatch.setattr(bitmaps, "CELLS_MAX", 0)
    from_box = _page(engine, qs)
    assert from_cells == from_box
    assert from_cells[0] > 0, "the seed has listings there"


WIDE_RADIUS_SHAPES = [
    "zip=75206&radius=500",
    "zip=75206&radius=500&per_page=5&page=3",
    "zip=75206&radius=500&accepting=1&sliding_scale=1",
    "zip=55418&radius=200&sort=fee&per_page=5&page=2",
    "zip=75206&radius=100&sort=verified",
    "zip=75206&radius=100&sort=distance",
]


@pytest.mark.parametrize("qs", WIDE_RADIUS_SHAPES)
def test_a_radius_too_wide_to_measure_is_walked_and_gives_the_same_page(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str
) -> None:
    """Only the distance order reads every candidate; the other orders walk, testing each
    listing's distance as it comes, and stop after the page."""
    measured = _page(engine, qs)
    clear_caches()
    monkeypatch.setattr(directory_query, "RADIUS_MAX", 0)
    with Session(engine) as session:
        p = directory_query.plan(session, parsed(qs, session), date(2026, 9, 21))
    assert p.distances is None
    if p.ids is None:  # not a few listings read by id
        assert p.drive == ("sort=distance" in qs)
    assert _page(engine, qs) == measured
    assert measured[0] > 0, "the seed has listings there"


SEARCH_SHAPES = [
    "q=family",
    "q=co-parenting&format=video",
    "q=couples&per_page=5&page=3",
    "q=family&sliding_scale=1&max_fee=150",
    "q=family&zip=75206&radius=500",
    "q=family&zip=75206&radius=100",
    "q=couples&zip=80210&radius=100&sort=distance",
    "q=family&sort=fee",
    "q=parent&sees=parent-adult-child",
]


@pytest.mark.parametrize("qs", SEARCH_SHAPES)
def test_a_search_ranked_from_its_kept_matches_is_ranked_as_sql_ranks_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str
) -> None:
    kept = _page(engine, qs)
    assert directory_query._matches.items, "the search's matches are kept"
    clear_caches()
    monkeypatch.setattr(bitmaps, "current", lambda session: None)  # no bitmaps: SQL ranks
    ranked_by_sql = _page(engine, qs)
    assert not directory_query._matches.items
    assert kept == ranked_by_sql
    assert kept[0] > 0, "the seed has listings that match"


@pytest.mark.parametrize("qs", ["q=family", "q=family&format=video&per_page=5&page=2"])
def test_a_search_matching_too_many_to_rank_is_a_filter_in_the_default_order(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str
) -> None:
    """Ranking every listing that has a common word would cost a read of all their scores
    on each request; their bitmap is kept instead, and they come in the default order."""
    monkeypatch.setattr(directory_query, "SEARCH_KEEP_MAX", 5)
    with Session(engine) as session:
        matching = set(session.execute(text(FTS_SQL), {"m": '"family"'}).scalars())
        result = run_search(session, parsed(qs), today=TODAY, freshness_days=180)
        rank = bitmaps.current(session).relevance(date(2026, 5, 24))
    assert [m.broad for m in directory_query._matches.items.values()] == [True]
    ids = [item.listing.id for item in result.items]
    assert ids and set(ids) <= matching
    assert ids == sorted(ids, key=rank.__getitem__)
    if "format" not in qs:
        assert result.known_total == len(matching) > 5


FTS_SQL = "SELECT rowid FROM listing_fts WHERE listing_fts MATCH :m"


WALK_SHAPES = [
    "",
    "accepting=1",
    "sees=couples&format=video",
    "insurance=aetna&accepting=1&per_page=10&page=2",
    "sliding_scale=1&evenings=1&per_page=5&page=7",
]


@pytest.mark.parametrize("small_arm", [4096, 0], ids=["arms-sorted", "arms-scanned"])
@pytest.mark.parametrize("qs", WALK_SHAPES)
def test_the_default_order_walked_in_memory_is_the_order_sql_walks(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str, small_arm: int
) -> None:
    """Every page, by number and then by cursor, the same from the bitmaps as from SQL."""
    monkeypatch.setattr(directory_query, "DRIVE_MAX", 0)
    monkeypatch.setattr(directory_query, "SMALL_ARM", small_arm)
    monkeypatch.setattr(directory_query, "COUNT_CAP", 40)  # cursors after page 4 (of 10)

    def walk() -> list[tuple[str, str | None]]:
        seen: list[tuple[str, str | None]] = []
        params = qs
        for _ in range(60):
            with Session(engine) as session:
                result = run_search(session, parsed(params), today=TODAY, freshness_days=180)
            seen += [(item.listing.slug, result.next_cursor) for item in result.items]
            step = result.next_page()
            if step is None:
                break
            base = "&".join(p for p in qs.split("&") if p and not p.startswith("page="))
            params = f"{base}&page={step['page']}" + (
                f"&after={step['after']}" if step["after"] else ""
            )
        return seen

    in_memory = walk()
    monkeypatch.setattr(directory_query, "MEMORY_WALK_SORTS", frozenset())
    in_sql = walk()
    assert in_memory == in_sql
    assert len({slug for slug, _ in in_memory}) == len(in_memory) > 20


def _copy(seeded_sqlite: Engine, tmp_path: Path) -> Engine:
    return copy_database(seeded_sqlite, tmp_path / "copy.db")


def _without_couples(engine: Engine, listing_id: int) -> None:
    """Another writer's change: one listing no longer sees couples, in a transaction that
    bumps the data version as every load does."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM listing_facet WHERE listing_id = :id AND facet = 'sees' "
                "AND value = 'couples'"
            ),
            {"id": listing_id},
        )
        bump_data_version(conn)


def _couples(engine: Engine) -> SearchResult:
    with Session(engine) as session:
        return run_search(
            session, parsed("sees=couples&per_page=100"), today=TODAY, freshness_days=180
        )


def test_a_change_with_a_new_data_version_is_seen_on_the_next_read(
    seeded_sqlite: Engine, tmp_path: Path
) -> None:
    engine = _copy(seeded_sqlite, tmp_path)
    clear_caches()
    try:
        before = _couples(engine)
        gone = before.items[0].listing.id
        _without_couples(engine, gone)
        after = _couples(engine)
        assert after.total == before.total - 1
        assert gone not in {item.listing.id for item in after.items}
    finally:
        clear_caches()
        engine.dispose()


def test_a_server_answers_by_sql_while_the_new_versions_bitmaps_are_built(
    seeded_sqlite: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never from the old version's bitmaps, and never building them on the request."""
    for name in ("_kept", "_served", "_wanted", "_builders"):
        monkeypatch.setattr(bitmaps, name, {})
    engine = _copy(seeded_sqlite, tmp_path)
    clear_caches()
    bitmaps.serve(engine)  # start-up: built now
    built = bitmaps.build
    release = threading.Event()
    builders: list[str] = []

    def held_build(session: Session) -> bitmaps.Bitmaps:
        builders.append(threading.current_thread().name)
        assert release.wait(30)
        return built(session)

    monkeypatch.setattr(bitmaps, "build", held_build)
    try:
        before = _couples(engine)
        assert before.known_total is not None, "answered from the bitmaps"
        gone = before.items[0].listing.id
        _without_couples(engine, gone)
        during = _couples(engine)  # the new version's bitmaps are still being built
        assert during.known_total is None, "answered by SQL"
        assert during.total == before.total - 1
        assert gone not in {item.listing.id for item in during.items}
        release.set()
        bitmaps.wait(engine)
        assert builders == ["bitmaps"], "built once, in the background thread"
        after = _couples(engine)
        assert after.known_total == before.total - 1, "answered from the new bitmaps"
        assert [i.listing.slug for i in after.items] == [i.listing.slug for i in during.items]
    finally:
        release.set()
        clear_caches()
        engine.dispose()


SQL_ALONE_SHAPES = [
    *SHAPES,
    "sees=couples&sliding_scale=1&evenings=1&free_consult=1",
    "zip=75206&radius=100&sort=distance",
    "q=family&format=video",
]


@pytest.mark.parametrize("qs", SQL_ALONE_SHAPES)
@pytest.mark.parametrize("leave_out", [(), ("gottman", "eft")], ids=["all", "modalities left out"])
def test_while_the_bitmaps_are_built_sql_alone_gives_the_same_page(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, qs: str, leave_out: tuple[str, ...]
) -> None:
    def page() -> tuple[int, list[str]]:
        with Session(engine) as session:
            query = replace(parsed(qs, session), exclude_modality=leave_out)
            result = run_search(session, query, today=TODAY, freshness_days=180)
        return result.total, [item.listing.slug for item in result.items]

    from_bitmaps = page()
    clear_caches()
    monkeypatch.setattr(bitmaps, "current", lambda session: None)
    assert page() == from_bitmaps
