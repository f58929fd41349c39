"""Query plans of the directory's main shapes: no full scan of the listings at any scale.

Every statement ``run_search`` executes (counts and facet sizes included) is captured and
explained with SQLite's EXPLAIN QUERY PLAN. Without ANALYZE statistics SQLite plans by the
schema alone, so a plan read on the small seed is the plan it uses at 100,000 listings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from portal.directory import bitmaps
from portal.directory import query as directory_query
from portal.directory.filters import parse_query
from portal.directory.query import clear_caches, run_search
from portal.directory.taxonomy import taxonomy

TODAY = date(2026, 11, 20)
FULL_SCAN = re.compile(r"^SCAN (listing|listing_facet)\b(?! USING (COVERING )?INDEX)")

SHAPES = {
    "everyone, default order": "",
    "three facets": "sees=couples&format=video&accepting=1",
    "facets and flags": "language=es&specialty=co-parenting&sliding_scale=1&max_fee=120",
    "a rare facet value": "language=so",
    "telehealth state and gender": "state=WY&gender=man",
    "ZIP radius and two filters": "zip=60614&language=es&sliding_scale=1",
    "ZIP radius by distance": "zip=60614&radius=50&sort=distance",
    "search and a filter": "q=blended+families&format=video",
    "search alone": "q=family",
    "by fee": "sort=fee&accepting=1",
    "by opening": "sort=opening",
    "by recently verified": "sort=verified&insurance=aetna",
    "evenings and free consultation": "evenings=1&free_consult=1&screens_individually=1",
    "a page within the numbered window": "sees=couples&page=12",
}


def _params(qs: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in filter(None, qs.split("&")):
        key, _, value = pair.partition("=")
        out.setdefault(key, []).append(value.replace("+", " "))
    return out


@pytest.fixture
def engine(seeded_sqlite: Engine) -> Engine:
    """SQLite's query plans, whichever database the rest of the suite runs on."""
    return seeded_sqlite


@pytest.fixture
def executed(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not statement.startswith("EXPLAIN"):
            statements.append((statement, parameters))

    clear_caches()
    with Session(engine) as session:
        bitmaps.current(session)  # built once per data version, before any request
    event.listen(engine, "before_cursor_execute", capture)
    yield statements
    event.remove(engine, "before_cursor_execute", capture)


def plans(engine: Engine, statements: list[tuple[str, object]]) -> list[tuple[str, list[str]]]:
    out = []
    with engine.connect() as conn:
        for sql, parameters in statements:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters).all()  # type: ignore[arg-type]
            out.append((sql, [row[3] for row in rows]))
    return out


def search(engine: Engine, qs: str):  # type: ignore[no-untyped-def]
    parsed = parse_query(_params(qs), taxonomy())
    assert parsed.errors == {}
    with Session(engine) as session:
        return run_search(session, parsed.query, today=TODAY, freshness_days=180)


@pytest.mark.parametrize("drive_max", [directory_query.DRIVE_MAX, 0], ids=["planned", "walk"])
@pytest.mark.parametrize("qs", SHAPES.values(), ids=SHAPES.keys())
def test_no_main_query_shape_scans_the_listings(
    engine: Engine,
    executed: list[tuple[str, object]],
    monkeypatch: pytest.MonkeyPatch,
    qs: str,
    drive_max: int,
) -> None:
    # On the small seed every facet value is "rare"; DRIVE_MAX=0 forces the walk a broad
    # query takes at 100,000 listings, so both ways of reading are checked.
    monkeypatch.setattr(directory_query, "DRIVE_MAX", drive_max)
    search(engine, qs)
    assert executed, "run_search executed nothing"
    for sql, steps in plans(engine, executed):
        scans = [step for step in steps if FULL_SCAN.match(step)]
        assert not scans, f"{qs!r} scans a table: {scans}\n{sql}\n" + "\n".join(steps)


def test_a_page_far_down_a_broad_list_follows_a_cursor_not_an_offset(
    engine: Engine, executed: list[tuple[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory_query, "COUNT_CAP", 40)  # the seed's 410 make a "broad" list
    monkeypatch.setattr(directory_query, "DRIVE_MAX", 0)
    numbered = search(engine, "per_page=10&page=3")  # pages 1-4 are reached by number
    assert numbered.total_capped and numbered.next_page() == {"page": 4, "after": ""}
    assert search(engine, "per_page=10&page=4").next_page()["after"]  # type: ignore[index]
    assert search(engine, "per_page=10&page=9").beyond_window

    # Walk the whole list with Next links: page N+1 continues exactly where page N ended.
    seen: list[str] = []
    qs = "per_page=10"
    while True:
        result = search(engine, qs)
        seen += [item.listing.slug for item in result.items]
        step = result.next_page()
        if step is None:
            break
        qs = f"per_page=10&page={step['page']}" + (
            f"&after={step['after']}" if step["after"] else ""
        )
    with engine.connect() as conn:
        listings = conn.exec_driver_sql("SELECT count(*) FROM listing").scalar_one()
    assert len(seen) == len(set(seen)) == listings

    executed.clear()
    last = search(engine, qs)
    assert last.items and last.query.page == math.ceil(listings / 10) and "after=" in qs
    for sql, parameters in executed:
        if " OFFSET " in sql:
            offset = parameters[-1]  # type: ignore[index]
            assert not offset, f"the last page used OFFSET {offset}: {sql}"
