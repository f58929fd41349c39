"""Best match on the page and in the API: within one fit, an accepting counselor with an
opening within four weeks comes first; search words and a fee limit keep the order of fit.

On a database of its own: these tests change listings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from portal.app import create_app
from portal.db import bump_data_version
from portal.directory import query, ranking
from portal.directory.filters import parse_query
from portal.directory.taxonomy import taxonomy
from portal.models import Listing
from portal.security import session_config
from portal.settings import Settings
from tests.conftest import TEST_SECRET, copy_database
from tests.web.helpers import soup

L = Listing.__table__
NEEDS = "sees=co-parents&specialty=co-parenting&language=es"


@pytest.fixture(scope="module")
def own(
    seeded_sqlite: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, TestClient, str]]:
    """The seed, where the best fits of NEEDS are all fresh and accepting with an opening in
    two months, but for the last of them in shuffle order, which opens in three days."""
    engine = copy_database(seeded_sqlite, tmp_path_factory.mktemp("best") / "best.db")
    url = engine.url.render_as_string(hide_password=False)
    today = date.today()
    params = dict(pair.split("=") for pair in NEEDS.split("&"))
    needs = parse_query({k: [v] for k, v in params.items()}, taxonomy()).query
    with engine.begin() as conn:
        rows = [r for r in conn.execute(select(L)).all() if "es" in r.languages]
        best = max(ranking.score(r, needs) for r in rows)
        top = sorted((r for r in rows if ranking.score(r, needs) == best), key=lambda r: r.shuffle)
        assert len(top) >= 3
        ids = [r.id for r in top]
        conn.execute(
            update(L)
            .where(L.c.id.in_(ids))
            .values(
                accepting=True,
                last_verified=today,
                availability_confirmed=None,
                next_opening=today + timedelta(days=60),
            )
        )
        conn.execute(
            update(L).where(L.c.id == ids[-1]).values(next_opening=today + timedelta(days=3))
        )
        bump_data_version(conn)
    query.clear_caches()
    settings = Settings(database_url=url, secret_key=TEST_SECRET)
    app = create_app(settings, engine)
    with TestClient(
        app, base_url="http://127.0.0.1", session_config=session_config(settings)
    ) as client:
        yield engine, client, top[-1].slug
    query.clear_caches()
    engine.dispose()


def test_the_soonest_opening_comes_first_among_equal_fits_in_the_page_and_the_api(
    own: tuple[Engine, TestClient, str],
) -> None:
    _, client, soonest = own
    api = client.get(f"/api/counselors?{NEEDS}&per_page=10").json()["items"]
    assert api[0]["slug"] == soonest
    page = soup(client.get(f"/counselors?{NEEDS}&per_page=10").text)
    first = page.select_one(".card-title a")
    assert first is not None and first["href"] == f"/counselors/{soonest}"


@pytest.mark.parametrize(
    "extra", ["max_fee=400", "q=co-parenting"], ids=["fee limit", "search words"]
)
def test_a_fee_limit_or_search_words_keep_the_order_of_fit(
    own: tuple[Engine, TestClient, str], extra: str
) -> None:
    engine, client, _ = own
    qs = f"{NEEDS}&{extra}&per_page=50"
    items = client.get(f"/api/counselors?{qs}").json()["items"]
    slugs = [i["slug"] for i in items]
    page = soup(client.get(f"/counselors?{qs}").text)
    assert [a["href"].removeprefix("/counselors/") for a in page.select(".card-title a")] == slugs
    params: dict[str, list[str]] = {}
    for pair in qs.split("&"):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value)
    needs = parse_query(params, taxonomy()).query
    fresh_since = date.today() - timedelta(days=Settings(secret_key=TEST_SECRET).freshness_days)
    with Session(engine) as session:
        rows = {r.slug: r for r in session.execute(select(L).where(L.c.slug.in_(slugs)))}
    fresh_fits = [
        ranking.score(rows[s], needs) for s in slugs if rows[s].last_verified >= fresh_since
    ]
    assert len(fresh_fits) > 5 and len(set(fresh_fits)) > 1
    assert fresh_fits == sorted(fresh_fits, reverse=True)


def test_about_explains_the_opening_search_words_and_the_fee_in_both_languages(
    own: tuple[Engine, TestClient, str],
) -> None:
    _, client, _ = own
    english = soup(client.get("/about", headers={"accept-language": "en-US"}).text).get_text()
    assert "an opening in the next four weeks" in english
    assert "With search words, fit still comes first" in english
    assert "A price limit only leaves out those who cost more" in english
    spanish = soup(client.get("/about", headers={"accept-language": "es-US,es"}).text).get_text()
    assert "espacio libre en las próximas cuatro semanas" in spanish
    assert "Con palabras de búsqueda, el ajuste sigue siendo lo primero" in spanish
