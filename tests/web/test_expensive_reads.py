"""Hostile reads stay bounded: a search word of one or two letters, a search of many words,
a wide radius sorted by distance, every facet value at once, a new combination of filters.
Each is refused with a message next to its field, or answered from the bitmaps with a few
statements that scan no table (SQLite's query plans), whatever the listings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, event

from portal.app import create_app
from portal.directory.query import clear_caches
from portal.directory.search import MAX_WORDS, MIN_LETTERS
from portal.directory.taxonomy import taxonomy
from portal.settings import Settings
from tests.web.helpers import soup

FULL_SCAN = re.compile(r"^SCAN (listing|listing_facet|listing_fts)\b(?! USING (COVERING )?INDEX)")


@pytest.fixture(scope="module")
def seeded_app(seeded_sqlite: Engine) -> Litestar:
    return create_app(Settings(database_url=str(seeded_sqlite.url)), seeded_sqlite)


@pytest.fixture
def client(seeded_app: Litestar) -> Iterator[TestClient]:
    clear_caches()
    with TestClient(seeded_app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    clear_caches()


@pytest.fixture
def executed(seeded_sqlite: Engine) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not statement.startswith(("EXPLAIN", "BEGIN")):
            statements.append((statement, parameters))

    event.listen(seeded_sqlite, "before_cursor_execute", capture)
    yield statements
    event.remove(seeded_sqlite, "before_cursor_execute", capture)


def _scans(engine: Engine, statements: list[tuple[str, object]]) -> list[str]:
    found = []
    with engine.connect() as conn:
        for sql, parameters in statements:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters).all()  # type: ignore[arg-type]
            found += [f"{step[3]} in {sql[:80]}" for step in plan if FULL_SCAN.match(step[3])]
    return found


def _error(client: TestClient, query: str, field: str) -> str:
    page = soup(client.get(f"/counselors?{query}").text)
    message = page.find(id=f"{field}-error")
    assert message is not None, f"no message next to {field} for {query}"
    assert page.find(id=field)["aria-describedby"] == f"{field}-error"
    return message.get_text(" ", strip=True)


@pytest.mark.parametrize("q", ["a", "ab", "to", "a b c d e f g h i j k l", "Dr Li", "co-p"])
def test_a_search_word_of_fewer_than_3_letters_is_refused_next_to_the_field(
    client: TestClient, executed: list[tuple[str, object]], q: str
) -> None:
    assert f"at least {MIN_LETTERS} letters" in _error(client, urlencode({"q": q}), "q")
    assert not [sql for sql, _ in executed if "listing_fts" in sql], "the search never ran"


def test_a_search_of_more_than_six_words_is_refused_next_to_the_field(
    client: TestClient, executed: list[tuple[str, object]]
) -> None:
    q = "family couples parenting trust conflict grief trauma anger repair"
    assert f"at most {MAX_WORDS} words" in _error(client, urlencode({"q": q}), "q")
    assert not [sql for sql, _ in executed if "listing_fts" in sql]


def test_compound_words_with_short_parts_are_searched(client: TestClient) -> None:
    page = soup(client.get("/counselors?q=co-parenting").text)
    assert page.find(id="q-error") is None
    assert page.select("li.card")


def test_the_api_refuses_a_short_search_word_with_its_reason(client: TestClient) -> None:
    response = client.get("/api/counselors?q=a")
    assert response.status_code == 400
    assert "at least 3 letters" in response.json()["errors"]["q"]


def test_a_wide_radius_is_not_sorted_by_distance(client: TestClient) -> None:
    text = _error(client, "zip=60614&radius=500&sort=distance&page=50", "sort")
    assert "within 100 miles" in text


def test_a_wide_radius_at_its_last_page_reads_its_cells_not_the_listings(
    client: TestClient, seeded_sqlite: Engine, executed: list[tuple[str, object]]
) -> None:
    response = client.get("/counselors?zip=60614&radius=500&page=50")
    assert response.status_code == 200
    assert not _scans(seeded_sqlite, executed)


def _every_value() -> str:
    tax = taxonomy()
    names = ["sees", "specialty", "modality", "format", "insurance", "language", "licence"]
    return urlencode([(name, term.slug) for name in names for term in tax.terms(name)])


@pytest.mark.parametrize(
    "query",
    [
        _every_value(),
        _every_value() + "&accepting=1&sliding_scale=1&free_consult=1&evenings=1&sort=opening",
        "sees=families&specialty=estrangement&modality=eft&language=vi&insurance=cigna"
        "&sliding_scale=1&free_consult=1&evenings=1&sort=opening",
    ],
    ids=["every facet value", "every value and flag", "a new combination"],
)
def test_every_facet_value_or_a_new_combination_is_decided_from_the_bitmaps(
    client: TestClient, seeded_sqlite: Engine, executed: list[tuple[str, object]], query: str
) -> None:
    response = client.get(f"/counselors?{query}")
    assert response.status_code == 200
    assert len(executed) <= 4, [sql[:80] for sql, _ in executed]
    assert not _scans(seeded_sqlite, executed)
