"""/counselors and profiles: filters, rendering for htmx and for plain browsers, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from litestar.testing import TestClient

from tests.web.helpers import soup

DEMO = (
    "/counselors?zip=60614&radius=25&language=es&format=video&sliding_scale=1"
    "&specialty=co-parenting"
)


def card_links(html: str) -> list[str]:
    return [a["href"] for a in soup(html).select(".cards .card-title a")]


def test_directory_lists_counselors_and_says_the_data_is_fictional(client: TestClient) -> None:
    response = client.get("/counselors")
    assert response.status_code == 200
    page = soup(response.text)
    assert len(page.select(".cards .card")) == 20
    assert "fictional" in page.select_one(".page-head").get_text().lower()
    assert "counselors match" in page.select_one("#result-count").get_text()


def test_the_demo_search_finds_spanish_co_parenting_video_sliding_scale_near_60614(
    client: TestClient,
) -> None:
    response = client.get(DEMO)
    page = soup(response.text)
    cards = page.select(".cards .card")
    assert cards, "the seed must make the documented demo search work"
    for card in cards:
        text = card.get_text(" ", strip=True)
        assert "about" in text and "mi" in text
        assert "speaks Spanish" in text and "sliding scale" in text


def test_every_card_is_within_the_radius(client: TestClient) -> None:
    data = client.get("/api/counselors?zip=60614&radius=10&per_page=100").json()
    assert data["items"]
    assert all(item["distance_miles"] <= 10 for item in data["items"])


def test_htmx_request_gets_only_the_results_fragment(client: TestClient) -> None:
    full = client.get(DEMO)
    fragment = client.get(DEMO, headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in fragment.text
    assert card_links(full.text) == card_links(fragment.text)
    assert "HX-Request" in fragment.headers["vary"]


def test_boosted_and_history_restore_requests_get_the_whole_page(client: TestClient) -> None:
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        response = client.get(DEMO, headers={"HX-Request": "true", **extra})
        assert "<html" in response.text


def test_the_same_url_gives_the_same_results(client: TestClient) -> None:
    assert card_links(client.get(DEMO).text) == card_links(client.get(DEMO).text)


def test_the_form_shows_the_filters_from_the_url(client: TestClient) -> None:
    page = soup(client.get(DEMO).text)
    assert page.select_one("#zip")["value"] == "60614"
    assert page.select_one('input[name="language"][value="es"]').has_attr("checked")
    assert page.select_one('input[name="sliding_scale"]').has_attr("checked")


@pytest.mark.parametrize(
    ("sort", "key"),
    [("fee", "fee_min"), ("distance", "distance_miles")],
)
def test_sorting_keeps_stale_listings_last(client: TestClient, sort: str, key: str) -> None:
    items = client.get(f"/api/counselors?zip=60614&radius=100&sort={sort}&per_page=50").json()[
        "items"
    ]
    cutoff = (date.today() - timedelta(days=180)).isoformat()
    keys = [(item["last_verified"] < cutoff, item[key]) for item in items]
    assert len(keys) > 10 and keys == sorted(keys)


def test_sort_by_recently_verified(client: TestClient) -> None:
    items = client.get("/api/counselors?sort=verified&per_page=50").json()["items"]
    dates = [item["last_verified"] for item in items]
    assert dates == sorted(dates, reverse=True)


def test_pagination_links_keep_the_filters(client: TestClient) -> None:
    page = soup(client.get("/counselors?language=en").text)
    next_link = page.select_one('.pagination a[rel="next"]')
    assert next_link is not None
    assert "language=en" in next_link["href"] and "page=2" in next_link["href"]
    assert page.select_one("ol.cards")["start"] == "1"  # type: ignore[index]
    second = soup(client.get(next_link["href"]).text)
    assert second.select_one("ol.cards")["start"] == "21"  # type: ignore[index]


def test_empty_result_says_which_filter_to_relax(client: TestClient) -> None:
    response = client.get("/counselors?zip=59001&radius=5&language=so&specialty=grief")
    page = soup(response.text)
    assert "No counselors match" in page.select_one("#result-count").get_text()
    suggestions = page.select(".empty li a")
    assert suggestions, "an empty result offers a filter to relax"
    assert all("Remove" in a.get_text() or "Distance" in a.get_text() for a in suggestions)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("zip=99999", "zip"),
        ("zip=60614&radius=-3", "radius"),
        ("zip=60614&radius=99999", "radius"),
        (f"page={10**9}", "page"),
        (f"per_page={10**6}", "per_page"),
        ("q=" + "x" * 5000, "q"),
        ("specialty=%3Cscript%3Ealert(1)%3C/script%3E", "specialty"),
    ],
)
def test_bad_input_is_explained_in_the_page_and_keeps_the_other_filters(
    client: TestClient, query: str, field: str
) -> None:
    response = client.get(f"/counselors?{query}&language=es")
    assert response.status_code == 200
    page = soup(response.text)
    summary = page.select_one(".error-summary")
    assert summary is not None and summary.get("role") == "alert"
    assert page.select_one('input[name="language"][value="es"]').has_attr("checked")
    assert "<script>alert(1)</script>" not in response.text


def test_a_rejected_zip_is_still_in_the_box(client: TestClient) -> None:
    page = soup(client.get("/counselors?zip=99999").text)
    assert page.select_one("#zip")["value"] == "99999"
    assert page.select_one("#zip")["aria-invalid"] == "true"


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "a AND (b", "<script>alert(1)</script>", "'--"])
def test_search_syntax_never_breaks_the_page(client: TestClient, q: str) -> None:
    response = client.get("/counselors", params={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_free_text_search_ranks_name_matches_first(client: TestClient) -> None:
    first = client.get("/api/counselors?per_page=1").json()["items"][0]
    surname = first["name"].split()[-1]
    items = client.get("/api/counselors", params={"q": surname}).json()["items"]
    assert items and surname in items[0]["name"]


def test_profile_has_what_is_needed_to_decide_and_make_contact(client: TestClient) -> None:
    slug = client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]
    page = soup(client.get(f"/counselors/{slug}").text)
    text = page.get_text(" ", strip=True)
    for needed in ("Last verified", "Per session", "Phone", "Email", "License", "fictional"):
        assert needed in text
    assert page.select_one("form[action='/shortlist']") is not None
    assert page.select_one(f"a[href='/prep?counselor={slug}']") is not None


def test_a_profile_s_email_and_website_wrap_at_their_dots_not_mid_word(
    client: TestClient,
) -> None:
    found = client.get("/api/counselors?per_page=1").json()["items"][0]
    html = client.get(f"/counselors/{found['slug']}").text
    email = soup(html).select_one(f"a[href='mailto:{found['email']}']")
    assert email.get_text() == found["email"]
    user, domain = found["email"].split("@")
    wrapped = "<wbr>".join([f"{user}@", *domain.replace(".", "\n.").split("\n")])
    assert f'<a href="mailto:{found["email"]}">{wrapped}</a>' in html


@pytest.mark.parametrize(
    ("licence", "credential"), [("phd", "Psychologist (PhD)"), ("lmft", "(LMFT)")]
)
def test_a_profile_names_the_licence_once(
    client: TestClient, licence: str, credential: str
) -> None:
    slug = client.get("/api/counselors", params={"licence": licence}).json()["items"][0]["slug"]
    text = soup(client.get(f"/counselors/{slug}").text).select_one(".credential").get_text()
    assert text.count(credential) == 1 and "(PhD) (PhD)" not in text


def test_unknown_profile_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/counselors/no-such-counselor")
    assert response.status_code == 404
    assert "could not find" in response.text.lower()
    assert response.headers["content-type"].startswith("text/html")


def test_the_phone_filters_control_counts_the_filters_set_also_after_an_update(
    client: TestClient,
) -> None:
    url = "/counselors?sees=couples&sees=families&zip=60614&radius=50"
    page = soup(client.get(url).text)
    assert (
        page.select_one(".filters-toggle #filters-count")
        .get_text(" ", strip=True)
        .startswith("Filters (3)")
    )
    fragment = soup(client.get(url, headers={"HX-Request": "true"}).text)
    count = fragment.select_one("#filters-count")
    assert count["hx-swap-oob"] == "true" and count.get_text().startswith("Filters (3)")
    assert len(page.select("#filters-count")) == 1 and not page.select("[hx-swap-oob]")


@pytest.mark.parametrize("sort", ["distance", "fee", "relevance"])
def test_where_the_listings_not_verified_recently_start_is_said(
    client: TestClient, sort: str
) -> None:
    seen_note = False
    for number in range(1, 30):
        page = soup(client.get(f"/counselors?zip=78701&radius=100&sort={sort}&page={number}").text)
        cards = page.select(".cards > li.card")
        if not cards:
            break
        note = page.select_one("#later-note")
        if note is None:  # a page before the listings that go last
            assert not [c for c in cards if "card-stale" in c["class"]]
            continue
        seen_note = True
        before = note.find_all_previous("li", class_="card")
        assert not [c for c in before if "card-stale" in c["class"]]
        after = note.find_next("ol", class_="cards")
        assert int(after["start"]) == (number - 1) * 20 + 1 + len(before)
    assert seen_note
