"""Every page: quick exit first, crisis banner, fictional-data notes, erase everything."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.app import create_app
from portal.settings import Settings
from tests.web.helpers import post_form, soup

PAGES = ["/", "/counselors", "/help", "/about", "/privacy", "/shortlist"]


@pytest.mark.parametrize("path", [*PAGES, "/counselors/does-not-exist"])
def test_quick_exit_is_the_first_focusable_element(client: TestClient, path: str) -> None:
    page = soup(client.get(path).text)
    first = page.body.find(["a", "button", "input", "select", "textarea"])
    assert first is not None and first.has_attr("data-quick-exit")
    assert "noreferrer" in first["rel"]


@pytest.mark.parametrize("path", PAGES)
def test_crisis_lines_are_one_click_away(client: TestClient, path: str) -> None:
    banner = soup(client.get(path).text).select_one(".safety-banner")
    hrefs = [a["href"] for a in banner.select("a")]
    assert "tel:988" in hrefs and "/help" in hrefs


def test_help_page_lists_the_lines_from_the_data_file(client: TestClient) -> None:
    text = soup(client.get("/help").text).get_text(" ", strip=True)
    for needle in ("988", "1-800-799-7233", "START to 88788", "1-833-TLC-MAMA", "911"):
        assert needle in text


@pytest.mark.parametrize("path", PAGES)
def test_scripts_are_local_and_carry_integrity(client: TestClient, path: str) -> None:
    page = soup(client.get(path).text)
    scripts = page.find_all("script")
    assert scripts
    for script in scripts:
        assert script["src"].startswith("/static/")
        assert script["integrity"].startswith("sha384-")
        assert not script.string
    sources = [script["src"].partition("?")[0] for script in scripts]
    assert "/static/vendor/htmx-2.0.11.min.js" in sources


def test_integrity_hashes_match_the_files(client: TestClient) -> None:
    import base64
    import hashlib

    page = soup(client.get("/").text)
    for tag in page.find_all(["script", "link"], integrity=True):
        url = tag.get("src") or tag.get("href")
        body = client.get(url).content
        expected = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert tag["integrity"] == expected, url


def test_erase_everything_clears_the_session_and_the_site_data(client: TestClient) -> None:
    slug = client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]
    post_form(client, "/shortlist", {"slug": slug, "action": "add"})
    response = post_form(client, "/erase", {}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["clear-site-data"] == '"cookies", "storage", "cache"'
    client.cookies.clear()
    assert "Your shortlist is empty" in client.get("/shortlist").text


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_the_quick_exit_goes_where_the_settings_say(settings: Settings, engine: Engine) -> None:
    elsewhere = replace(settings, quick_exit_url="https://example.org/weather")
    with TestClient(create_app(elsewhere, engine)) as other:
        for path in ("/", "/counselors"):
            link = soup(other.get(path).text).select_one("a[data-quick-exit]")
            assert link is not None and link["data-quick-exit"] == "https://example.org/weather"
            assert link["href"] == "/exit"
        left = other.get("/exit", follow_redirects=False)
        assert left.headers["location"] == "https://example.org/weather"


def test_about_explains_the_order_of_best_match_and_its_reasons(client: TestClient) -> None:
    section = soup(client.get("/about").text).select_one("#order").find_next("ol")
    words = section.get_text(" ", strip=True)
    for part in ("not verified recently", "Fit", "Reach", "Availability", "fixed shuffle"):
        assert part in words
