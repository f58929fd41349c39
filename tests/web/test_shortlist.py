"""The shortlist lives in the user's session only."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import Engine, inspect

from tests.web.helpers import post_form, soup


def first_slug(client: TestClient) -> str:
    return client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]


def test_add_view_and_remove(client: TestClient) -> None:
    slug = first_slug(client)
    response = post_form(
        client, "/shortlist", {"slug": slug, "action": "add", "next": f"/counselors/{slug}"}
    )
    assert response.status_code == 200  # followed the 303 back to the profile
    assert "Remove from shortlist" in response.text
    page = soup(client.get("/shortlist").text)
    assert [a["href"] for a in page.select(".card-title a")] == [f"/counselors/{slug}"]
    post_form(client, "/shortlist", {"slug": slug, "action": "remove", "next": "/shortlist"})
    assert "Your shortlist is empty" in client.get("/shortlist").text


def test_htmx_add_swaps_the_button_and_announces_it(client: TestClient) -> None:
    slug = first_slug(client)
    page = soup(client.get(f"/counselors/{slug}").text)
    token = page.select_one("input[name=_csrf_token]")["value"]
    response = client.post(
        "/shortlist",
        data={"slug": slug, "action": "add"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Added to your shortlist" in response.text


def test_unknown_slug_changes_nothing(client: TestClient) -> None:
    post_form(client, "/shortlist", {"slug": "nobody", "action": "add"})
    assert "Your shortlist is empty" in client.get("/shortlist").text


def test_posting_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/")
    response = client.post("/shortlist", data={"slug": first_slug(client), "action": "add"})
    assert response.status_code == 403


def test_shortlist_is_private_and_never_in_the_database(client: TestClient, engine: Engine) -> None:
    slug = first_slug(client)
    post_form(client, "/shortlist", {"slug": slug, "action": "add"})
    assert client.get("/shortlist").headers["cache-control"] == "no-store"
    tables = set(inspect(engine).get_table_names())
    assert not any("short" in t or "session" in t for t in tables)


def test_shortlist_does_not_survive_a_new_browser(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as first:
        post_form(first, "/shortlist", {"slug": first_slug(first), "action": "add"})
        assert "Your shortlist is empty" not in first.get("/shortlist").text
    with TestClient(app, base_url="http://127.0.0.1") as second:
        assert "Your shortlist is empty" in second.get("/shortlist").text
