"""Limits: POSTs per minute (429, Retry-After, a friendly page, nothing typed lost), the request
body cap (413 that says what to do) and a cap with a clear message on every form field."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.prep.fields import TEXTS
from portal.readiness import load_questionnaire
from portal.settings import Settings
from tests.readiness_answers import V6
from tests.web.helpers import csrf_token, soup
from tests.web.security_support import app_with, client_for, first_slug, post_prep
from tests.web.test_readiness_pages import form_for, walk

LIMIT = 5


@pytest.fixture
def limited(settings: Settings, engine: Engine):
    """A separate app (its own in-memory counter) allowing 5 POSTs a minute."""
    with client_for(app_with(settings, engine, rate_limit_posts_per_minute=LIMIT)) as client:
        yield client


def exhaust(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    for _ in range(LIMIT):
        ok = client.post(
            "/readiness/step/start", data={**form_for("start", V6), "_csrf_token": token}
        )
        assert ok.status_code == 200


def test_posts_over_the_limit_get_a_friendly_429_with_retry_after(limited: TestClient) -> None:
    exhaust(limited)
    token = csrf_token(limited, "/readiness")
    typed = "we keep arguing about the holidays"
    response = limited.post("/prep", data={"why": typed, "goal1": "calm", "_csrf_token": token})
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["cache-control"] == "no-store"
    page = soup(response.text)
    assert "slow down" in page.select_one("h1").get_text().lower()
    assert "Traceback" not in response.text
    form = page.select_one("section form[method='post']")
    assert form["action"] == "/prep"
    assert typed in [i.get("value") for i in form.select("input[type='hidden']")]
    assert page.select_one("footer input[name='_csrf_token']")["value"], "erase still works"


def test_the_api_gets_json_429(limited: TestClient) -> None:
    exhaust(limited)
    response = limited.post("/api/readiness/assess", json={"answers": V6})
    assert response.status_code == 429
    assert response.headers["retry-after"].isdigit()
    assert response.json()["status_code"] == 429


def test_reading_and_erasing_are_never_limited(limited: TestClient) -> None:
    exhaust(limited)
    for _ in range(3 * LIMIT):
        assert limited.get("/counselors").status_code == 200
    token = csrf_token(limited, "/")
    erased = limited.post("/erase", data={"_csrf_token": token}, follow_redirects=False)
    assert erased.status_code == 303
    assert "cookies" in erased.headers["clear-site-data"]


def test_each_app_counts_on_its_own_and_zero_turns_the_limit_off(
    settings: Settings, engine: Engine
) -> None:
    with client_for(app_with(settings, engine, rate_limit_posts_per_minute=0)) as client:
        token = csrf_token(client, "/readiness")
        for _ in range(3 * LIMIT):
            response = client.post(
                "/readiness/step/start", data={**form_for("start", V6), "_csrf_token": token}
            )
            assert response.status_code == 200


# --- the body cap ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/prep", "/readiness/step/start", "/shortlist", "/prep/mode"])
def test_an_oversized_form_gets_a_friendly_413(client: TestClient, path: str) -> None:
    token = csrf_token(client, "/")
    response = client.post(
        path,
        content=b"why=" + b"x" * (300 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrftoken": token},
    )
    assert response.status_code == 413
    page = soup(response.text)
    message = page.select_one("main").get_text(" ", strip=True)
    assert "256 kB" in message and "Back" in message
    assert "Traceback" not in response.text


def test_an_oversized_multipart_form_and_json_body_get_413(client: TestClient) -> None:
    token = csrf_token(client, "/")
    response = client.post(
        "/prep",
        files={"why": ("why.txt", b"x" * (300 * 1024), "text/plain")},
        headers={"x-csrftoken": token},
    )
    assert response.status_code == 413
    api = client.post(
        "/api/readiness/assess",
        content=b'{"answers": {"F1": "' + b"x" * (300 * 1024) + b'"}}',
        headers={"content-type": "application/json"},
    )
    assert api.status_code == 413 and "256 kB" in api.json()["detail"]


def test_a_100_kb_value_is_within_the_body_cap_and_explained_by_the_field_cap(
    client: TestClient,
) -> None:
    result = walk(client, V6)
    assert result.status_code == 200
    token = csrf_token(client, "/readiness")
    big = "x" * 100_000
    response = client.post(
        "/readiness/step/impact",
        data={**form_for("impact", V6), "F1": big, "_csrf_token": token},
    )
    assert response.status_code == 400
    assert "1000 characters or fewer (you have 100000)" in response.text


# --- a cap and a clear message on every field -------------------------------------------------


def test_every_readiness_text_item_has_a_cap() -> None:
    for step in load_questionnaire().steps:
        for item in step.items:
            if item.type == "text":
                assert isinstance(item.max_length, int) and item.max_length <= 1000, item.id


def test_every_prep_text_field_has_a_cap_and_says_what_was_kept(client: TestClient) -> None:
    assert all(0 < spec.cap <= 400 for spec in TEXTS)
    data = {spec.name: "y" * (spec.cap + 10) for spec in TEXTS}
    response = post_prep(client, data)
    assert response.status_code == 200
    summary = soup(response.text).select_one(".error-summary").get_text(" ", strip=True)
    assert "only the first" in summary and "characters are kept" in summary


def test_directory_and_api_filters_are_capped_with_a_message(client: TestClient) -> None:
    page = client.get("/counselors", params={"q": "z" * 5000})
    assert page.status_code == 200
    assert "at most 200 characters" in page.text
    api = client.get("/api/counselors", params={"q": "z" * 5000})
    assert api.status_code == 400
    assert "200 characters" in api.json()["errors"]["q"]


def test_shortlist_and_slugs_are_capped(client: TestClient, engine: Engine) -> None:
    token = csrf_token(client, "/")
    response = client.post("/shortlist", data={"slug": "s" * 50_000, "_csrf_token": token})
    assert response.status_code == 200
    assert client.get("/counselors/" + "s" * 5000).status_code == 404
    assert client.get("/api/counselors/" + "s" * 5000).status_code == 404
    slug = first_slug(engine)
    for _ in range(30):
        client.post("/shortlist", data={"slug": slug, "_csrf_token": token})
    shortlist = soup(client.get("/shortlist").text)
    assert len(shortlist.select(f"a[href='/counselors/{slug}']")) >= 1
