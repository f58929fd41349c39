"""Sessions and CSRF: every state-changing request needs a token; the session holds only what
the person entered, ends after 30 idle minutes, is erased with Clear-Site-Data and leaves
nothing on the server; private pages are never cached; production refuses weak secrets."""

from __future__ import annotations

import time

import pytest
from litestar.middleware.session import client_side
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.app import create_app
from portal.security import session_config
from portal.settings import DEV_SECRET, Settings
from tests.readiness_answers import V2, V6
from tests.web.helpers import csrf_token
from tests.web.security_support import (
    app_with,
    client_for,
    database_dump,
    every_get_url,
    fill,
    first_slug,
    post_prep,
    prep_form,
    routes,
)
from tests.web.test_readiness_pages import walk

STATELESS = {"/api/readiness/assess"}  # JSON in, JSON out: reads no cookie, changes nothing


def post_urls(client: TestClient, engine: Engine) -> list[str]:
    return [fill(path, first_slug(engine)) for path in routes(client.app, "POST")]


def test_every_post_route_refuses_a_missing_or_forged_token(
    client: TestClient, engine: Engine
) -> None:
    urls = post_urls(client, engine)
    assert {"/erase", "/shortlist", "/prep", "/prep/mode", "/readiness/step/start"} <= set(urls)
    client.get("/")  # the browser has a CSRF cookie, as a victim would
    for url in urls:
        if url in STATELESS:
            continue
        for data, headers in (
            ({"slug": "x"}, {}),
            ({"slug": "x", "_csrf_token": "forged"}, {}),
            ({"slug": "x"}, {"x-csrftoken": "forged", "HX-Request": "true"}),
        ):
            response = client.post(url, data=data, headers=headers, follow_redirects=False)
            assert response.status_code == 403, url


def test_the_htmx_header_token_is_accepted(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/start",
        data={"G0.5": "yes", "G0.6": "yes"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 200


def test_the_stateless_api_ignores_cookies(client: TestClient) -> None:
    walk(client, V2)
    alone = client.post("/api/readiness/assess", json={"answers": V6})
    fresh = TestClient(client.app).__enter__()
    try:
        assert fresh.post("/api/readiness/assess", json={"answers": V6}).json() == alone.json()
    finally:
        fresh.__exit__(None, None, None)


def decode_session(app_settings: Settings, client: TestClient) -> dict:
    config = session_config(app_settings)
    backend = config._backend_class(config=config)
    cookies = sorted(
        (k, v) for k, v in client.cookies.items() if k.startswith("portal") and v != "null"
    )
    return backend.load_data([v.strip('"').encode() for _, v in cookies])


def test_the_session_holds_only_what_the_person_entered(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    walk(client, V6)
    slug = first_slug(engine)
    client.post("/shortlist", data={"slug": slug, "_csrf_token": csrf_token(client)})
    post_prep(client, {**prep_form("zq"), "counselor": slug})
    data = decode_session(settings, client)
    assert set(data) <= {"readiness", "shortlist", "prep"}
    assert data["shortlist"] == [slug]
    assert set(data["readiness"]) <= set(V6), "answers only, nothing derived or tracked"


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch):
    start = time.time()

    def move(minutes: float) -> None:
        now = start + minutes * 60
        monkeypatch.setattr(client_side.time, "time", lambda: now)

    return move


def test_the_session_ends_after_30_idle_minutes(client: TestClient, later) -> None:
    token = csrf_token(client, "/readiness")
    client.post("/readiness/step/start", data={"G0.5": "yes", "G0.6": "yes", "_csrf_token": token})
    later(29)
    assert "Continue where you left off" in client.get("/readiness").text  # renewed on use
    later(29 + 29)
    assert "Continue where you left off" in client.get("/readiness").text
    later(29 + 29 + 31)
    assert "Continue where you left off" not in client.get("/readiness").text


def test_the_idle_limit_is_a_setting(settings: Settings, engine: Engine, later) -> None:
    with client_for(app_with(settings, engine, session_idle_minutes=5)) as client:
        token = csrf_token(client, "/readiness")
        client.post(
            "/readiness/step/start", data={"G0.5": "yes", "G0.6": "yes", "_csrf_token": token}
        )
        later(6)
        assert "Continue where you left off" not in client.get("/readiness").text


def test_erase_clears_the_browser_and_leaves_nothing_on_the_server(
    client: TestClient, engine: Engine
) -> None:
    before = database_dump(engine)
    walk(client, {**V2, "F1": "zq-erase-marker"})
    post_prep(client, prep_form("zq-erase-marker"))
    assert database_dump(engine) == before, "nothing typed is ever written to the database"
    response = client.post(
        "/erase", data={"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["clear-site-data"] == '"cookies", "storage"'
    assert response.headers["cache-control"] == "no-store"
    cleared = [c for c in response.headers.get_list("set-cookie") if c.startswith("portal")]
    assert cleared and all("null" in c.split(";")[0] for c in cleared)
    assert "Continue where you left off" not in client.get("/readiness").text
    assert "zq-erase-marker" not in client.get("/prep").text


PRIVATE = ("/readiness", "/readiness/result", "/shortlist", "/prep", "/prep/sheet", "/prep/blank")


def test_private_pages_are_never_cached(client: TestClient, engine: Engine) -> None:
    walk(client, V6)
    urls = [u for u in every_get_url(client.app, first_slug(engine)) if u.startswith(PRIVATE)]
    urls += ["/counselors?from=readiness", *PRIVATE]
    for url in urls:
        response = client.get(url)
        assert response.headers.get("cache-control") == "no-store", url
    token = csrf_token(client, "/readiness")
    step = client.post(
        "/readiness/step/impact",
        data={"F1": "x"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert step.headers["cache-control"] == "no-store"


def test_production_refuses_the_development_a_short_or_a_predictable_secret(
    settings: Settings,
) -> None:
    from dataclasses import replace

    with pytest.raises(SystemExit, match="published"):
        create_app(replace(settings, production=True, secret_key=DEV_SECRET))
    with pytest.raises(SystemExit, match="too short"):
        create_app(replace(settings, production=True, secret_key="short-secret"))
    with pytest.raises(SystemExit, match="too predictable"):
        create_app(replace(settings, production=True, secret_key="s" * 48))


def test_the_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-the-environment-" + "z" * 30)
    monkeypatch.setenv("PORTAL_PRODUCTION", "1")
    settings = Settings.from_env()
    assert settings.secret_key.startswith("from-the-environment-") and settings.production
