"""The directory over more listings than it counts: capped totals, and page 500 by cursor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from portal.app import create_app
from portal.db import make_engine
from portal.directory.filters import parse_query
from portal.directory.query import COUNT_CAP, run_search
from portal.directory.taxonomy import taxonomy
from portal.generate import load_generated
from portal.settings import Settings
from tests.web.helpers import soup

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

LISTINGS = 1510  # with 3 a page: 504 pages, far more than the 333 numbered ones


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("scale") / "scale.db"
    engine = make_engine(f"sqlite:///{path}")
    load_generated(engine, LISTINGS)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(big: Engine) -> Iterator[TestClient]:
    settings = Settings(database_url=str(big.url), rate_limit_posts_per_minute=100_000)
    with TestClient(create_app(settings, big), base_url="http://127.0.0.1") as test_client:
        yield test_client


def cursor_of_page(engine: Engine, page: int, per_page: int) -> str:
    """Follow Next from page 1, as a person would, and return the cursor that opens ``page``."""
    query = parse_query({"per_page": [str(per_page)]}, taxonomy()).query
    with Session(engine) as session:
        while query.page < page:
            result = run_search(session, query, today=date.today(), freshness_days=180)
            step = result.next_page()
            assert step is not None
            query = parse_query(
                {
                    "per_page": [str(per_page)],
                    "page": [str(step["page"])],
                    "after": [step["after"]],
                },
                taxonomy(),
            ).query
    return query.after


def count_text(client: TestClient, query: str) -> str:
    page = soup(client.get(f"/counselors?{query}", headers={"HX-Request": "true"}).text)
    return page.select_one("#result-count").get_text(" ", strip=True)


def test_a_counted_total_is_capped_and_still_announced(client: TestClient) -> None:
    # The fee is left to SQL, so the total is counted, and counting stops at the cap.
    assert count_text(client, "max_fee=1000").startswith(
        f"More than {COUNT_CAP:,} counselors match"
    )
    data = client.get("/api/counselors?max_fee=1000").json()
    assert data["total"] == COUNT_CAP and data["total_capped"] is True


def test_a_total_the_bitmaps_decide_is_exact_beyond_the_cap(
    client: TestClient, big: Engine
) -> None:
    assert count_text(client, "").startswith(f"{LISTINGS:,} counselors match, showing 1–20")
    with Session(big) as session:
        accepting = session.execute(text("SELECT count(*) FROM listing WHERE accepting")).scalar()
    assert accepting > COUNT_CAP // 2
    assert count_text(client, "accepting=1").startswith(f"{accepting:,} counselors")
    # The API keeps its documented contract: exact up to the cap, then capped.
    data = client.get("/api/counselors").json()
    assert data["total"] == COUNT_CAP and data["total_capped"] is True


def test_page_500_comes_from_a_cursor_without_a_deep_offset(
    client: TestClient, big: Engine
) -> None:
    after = cursor_of_page(big, 500, 3)
    executed: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(big, "before_cursor_execute", capture)
    try:
        response = client.get(f"/counselors?per_page=3&page=500&after={after}")
    finally:
        event.remove(big, "before_cursor_execute", capture)
    page = soup(response.text)
    assert len(page.select(".cards .card")) == 3
    assert page.select_one(".cards")["start"] == str(499 * 3 + 1)
    assert "Page 500" in page.select_one(".pagination").get_text()
    for sql, parameters in executed:
        if " OFFSET " in sql:
            assert not parameters[-1], f"page 500 used OFFSET {parameters[-1]}"  # type: ignore[index]


def test_page_500_by_number_alone_says_how_to_get_there(client: TestClient) -> None:
    page = soup(client.get("/counselors?per_page=3&page=500").text)
    assert "Next" in page.select_one(".empty").get_text()
    assert not page.select(".cards .card")


def test_next_links_switch_to_a_cursor_after_the_numbered_pages(client: TestClient) -> None:
    last_numbered = COUNT_CAP // 20
    page = soup(client.get(f"/counselors?page={last_numbered}").text)
    next_link = page.select_one('.pagination a[rel="next"]')["href"]
    assert f"page={last_numbered + 1}" in next_link and "after=" in next_link
    following = soup(client.get(next_link).text)
    assert len(following.select(".cards .card")) == 20
