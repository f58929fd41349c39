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
from portal.opendata.store import store_for
from portal.security import session_config
from portal.settings import DEV_SECRET, Settings
from tests.readiness_answers import V2, V6
from tests.web.helpers import csrf_token
from tests.web.security_support import (
    STATIC_FILES,
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
    assert response.headers["clear-site-data"] == '"cookies", "storage", "cache"'
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


# --- a cookie that does not decode is an empty session, cleared; never an error ---


def sealed(app_settings: Settings, plaintext: bytes, *, secret: str | None = None) -> str:
    """A cookie value sealed as the app seals one, around any plaintext."""
    import base64
    import json
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from portal.security import derive_key

    key = derive_key(secret or app_settings.secret_key, "session")
    aad = json.dumps({"expires_at": int(time.time()) + 600}).encode()
    nonce = os.urandom(12)
    box = AESGCM(key).encrypt(nonce, plaintext, aad)
    return base64.b64encode(nonce + box + b"additional_authenticated_data=" + aad).decode()


def malformed_cookies(app_settings: Settings) -> dict[str, str]:
    import base64
    import os

    return {
        "random bytes": base64.b64encode(os.urandom(64)).decode(),
        "random bytes, aad not json": base64.b64encode(
            os.urandom(40) + b"additional_authenticated_data=notjson"
        ).decode(),
        "aad a list": base64.b64encode(
            os.urandom(40) + b'additional_authenticated_data=["expires_at"]'
        ).decode(),
        "not base64": "%%%not-base64%%%",
        "valid seal, not json": sealed(app_settings, b"\xff\xfenot json"),
        "valid seal, a list": sealed(app_settings, b'["readiness"]'),
        "valid seal, wrong shape": sealed(app_settings, b'{"readiness": "yes"}'),
        "valid seal, shortlist of numbers": sealed(app_settings, b'{"shortlist": [1, 2]}'),
        "valid seal, unknown part": sealed(app_settings, b'{"admin": true}'),
        "another key": sealed(app_settings, b'{"shortlist": ["x"]}', secret="k" * 48),
    }


def session_set_cookies(response) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith("portal")]


@pytest.fixture
def exports_built(client: TestClient) -> TestClient:
    """The client, once the open-data exports it serves have been built (a first request
    for one starts the build in the background and answers 503 until it ends)."""
    client.get("/api/export/hsds.zip")
    store_for(client.app.state.engine).wait()
    return client


@pytest.mark.slow  # some 500 requests: every malformed cookie on every route
def test_a_malformed_session_cookie_is_an_empty_session_cleared_on_every_route(
    exports_built: TestClient, settings: Settings, engine: Engine
) -> None:
    client = exports_built
    urls = every_get_url(client.app, first_slug(engine))
    for name, value in malformed_cookies(settings).items():
        for url in urls:
            if url == "/no-such-page":
                continue  # no route, so no session: a plain 404 (checked below)
            client.cookies.clear()
            client.cookies.set("portal", value)
            response = client.get(url, follow_redirects=False)
            assert response.status_code < 500, (name, url, response.status_code)
            cleared = session_set_cookies(response)
            assert cleared and all("Max-Age=0" in c for c in cleared), (name, url, cleared)
            assert "public" not in response.headers.get("cache-control", ""), (name, url)
        client.cookies.clear()
        client.cookies.set("portal", value)
        assert "Continue where you left off" not in client.get("/readiness").text
        client.cookies.set("portal", value)
        erased = client.post("/erase", data={"_csrf_token": csrf_token(client)})
        assert erased.status_code == 200, name
        client.cookies.set("portal", value)
        assert client.get("/healthz").status_code == 200
        assert client.get("/exit", follow_redirects=False).status_code == 303
        client.cookies.set("portal", value)
        assert client.get("/no-such-page").status_code == 404


# --- the session cookie only where the session changes ---


def with_a_session(client: TestClient, engine: Engine) -> None:
    walk(client, V2)
    client.post("/shortlist", data={"slug": first_slug(engine), "_csrf_token": csrf_token(client)})
    post_prep(client, prep_form("zq"))
    assert decode_session(client.app.state.settings, client)


@pytest.mark.parametrize("existing", [False, True], ids=["no session", "a session"])
def test_no_session_cookie_on_responses_that_do_not_change_it(
    exports_built: TestClient, engine: Engine, existing: bool
) -> None:
    client = exports_built
    if existing:
        with_a_session(client, engine)
    else:
        client.get("/")
    slug = first_slug(engine)
    public = [
        *STATIC_FILES,
        "/healthz",
        "/api/counselors",
        f"/api/counselors/{slug}",
        "/api/readiness/questionnaire",
        "/api/schema/openapi.json",
        "/api/export/hsds.zip",
        "/api/export/fhir.json",
        "/",
        "/help",
        "/about",
        "/privacy",
    ]
    directory = ["/counselors", "/counselors?specialty=trauma"]
    if existing:
        # The session holds a safety result (V2): the directory marks listings from it, so
        # its pages are private and renew the session like any private page.
        for url in directory:
            assert "no-store" in client.get(url).headers["cache-control"], url
    else:
        public += directory
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert session_set_cookies(response) == [], url
    for url in every_get_url(client.app, slug):
        response = client.get(url, follow_redirects=False)
        cache = response.headers.get("cache-control", "")
        if response.headers.get_list("set-cookie"):
            assert "public" not in cache, url
        if session_set_cookies(response):
            assert "no-store" in cache, url  # a private page renews the idle expiry


def test_a_first_request_for_a_cacheable_response_sets_no_cookie_at_all(
    exports_built: TestClient,
) -> None:
    client = exports_built
    for url in (*STATIC_FILES, "/healthz", "/api/counselors", "/api/export/fhir.json"):
        client.cookies.clear()
        response = client.get(url)
        assert response.headers.get_list("set-cookie") == [], url
    assert "public" in client.get("/api/export/hsds.zip").headers["cache-control"]


def test_a_profile_shows_shortlist_state_and_is_private(client: TestClient, engine: Engine) -> None:
    slug = first_slug(engine)
    client.post("/shortlist", data={"slug": slug, "_csrf_token": csrf_token(client)})
    response = client.get(f"/counselors/{slug}")
    assert "Remove from shortlist" in response.text
    assert "no-store" in response.headers["cache-control"]
    assert "public" not in response.headers["cache-control"]


def test_a_cookie_set_beside_a_public_cache_control_makes_it_private() -> None:
    from portal.security import for_one_browser

    headers = [(b"cache-control", b"public, max-age=300, s-maxage=600")]
    for_one_browser(headers)
    assert headers == [(b"cache-control", b"private, max-age=300")]
    bare: list[tuple[bytes, bytes]] = []
    for_one_browser(bare)
    assert bare == [(b"cache-control", b"private")]


# --- erase lands on a plain address ---


def test_erase_lands_on_a_plain_address_and_says_so_once(client: TestClient) -> None:
    walk(client, V2)
    first = client.post("/erase", data={"_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert "cache" in first.headers["clear-site-data"]
    landed = client.post("/erase", data={"_csrf_token": csrf_token(client)})
    assert landed.history[-1].url.path == "/erase/done"  # a redirect: no history entry
    assert landed.url.path == "/" and landed.url.query == b""
    assert "Everything you entered has been erased" in landed.text
    assert landed.headers["cache-control"] == "no-store"
    assert "Everything you entered has been erased" not in client.get("/").text


def test_the_erased_note_needs_a_fresh_proof(client: TestClient, settings: Settings) -> None:
    from portal.security import moment_token

    for token in ("", "123.abc", moment_token(settings.secret_key, "erased", time.time() - 3600)):
        client.cookies.clear()
        landed = client.get(f"/erase/done?t={token}")
        assert landed.url.path == "/"
        assert "Everything you entered has been erased" not in landed.text
    assert "?erased" not in client.get("/?erased=1").text
    assert "has been erased" not in client.get("/?erased=1").text


# --- the quick exit ends the session ---


def test_the_exit_link_erases_and_leaves_for_the_neutral_site(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    with_a_session(client, engine)
    response = client.get("/exit", follow_redirects=False)  # no token: erasing is all it does
    assert response.status_code == 303
    assert response.headers["location"] == settings.quick_exit_url
    assert response.headers["clear-site-data"] == '"cookies", "storage", "cache"'
    assert response.headers["cache-control"] == "no-store"
    cleared = session_set_cookies(response)
    assert cleared and all("Max-Age=0" in c for c in cleared)


def test_the_background_exit_request_erases_without_a_redirect(
    client: TestClient, engine: Engine
) -> None:
    with_a_session(client, engine)
    response = client.get("/exit", headers={"x-quick-exit": "1"}, follow_redirects=False)
    assert response.status_code == 204
    assert "cookies" in response.headers["clear-site-data"]
    assert session_set_cookies(response)
    assert "Continue where you left off" not in client.get("/readiness").text


ANSWER_PAGES = (
    "/readiness",
    "/readiness/result",
    "/prep",
    "/prep/sheet",
    "/shortlist",
    "/counselors?from=readiness",
)


def test_after_the_exit_every_page_that_held_answers_is_empty_and_never_cached(
    client: TestClient, engine: Engine
) -> None:
    from portal.readiness import assess

    with_a_session(client, engine)
    slug = first_slug(engine)
    label = assess(V2).label
    before = {url: client.get(url) for url in ANSWER_PAGES}
    assert label in before["/readiness/result"].text
    assert "zq why" in before["/prep"].text and "zq why" in before["/prep/sheet"].text
    assert slug in before["/shortlist"].text
    client.get("/exit", follow_redirects=False)
    for url in ANSWER_PAGES:
        response = client.get(url)
        if url != "/counselors?from=readiness":  # with no answers, the plain public list
            assert "no-store" in response.headers["cache-control"], url
        assert label not in response.text, url
        assert "zq why" not in response.text, url
        assert "Continue where you left off" not in response.text, url
    assert slug not in client.get("/shortlist").text
    assert client.get("/readiness/result", follow_redirects=False).status_code == 302
    # The preset from the result is gone: the directory shows its plain, unfiltered list.
    assert client.get("/counselors?from=readiness").text.count("domestic") <= client.get(
        "/counselors"
    ).text.count("domestic")


# --- the whole Cookie header stays under 6 KB, however the person types ---

HOSTILE_TEXTS = {
    "quotes": '"' * 2000,
    "backslashes": "\\" * 2000,
    "emoji": "\U0001f600" * 2000,
    "mixed": 'a"\\\U0001f469\u200d\U0001f467 <>&' * 300,
}


def cookie_header(client: TestClient) -> int:
    return len("; ".join(f"{k}={v}" for k, v in client.cookies.items() if v != "null"))


@pytest.mark.parametrize("kind", list(HOSTILE_TEXTS))
def test_the_cookie_header_stays_under_6_kb_however_the_person_types(
    client: TestClient, engine: Engine, kind: str
) -> None:
    from portal.prep.fields import TEXTS
    from portal.web.session import COOKIE_HEADER_MAX

    text = HOSTILE_TEXTS[kind]
    walk(client, {**V2, "F1": text[:150]})
    with engine.connect() as conn:
        from sqlalchemy import text as sql

        slugs = [r[0] for r in conn.execute(sql("SELECT slug FROM listing LIMIT 20"))]
    token = csrf_token(client)
    for slug in slugs:
        client.post("/shortlist", data={"slug": slug, "_csrf_token": token})
    typed = {spec.name: text[: spec.cap] for spec in TEXTS}
    response = post_prep(client, typed)
    assert cookie_header(client) < COOKIE_HEADER_MAX, cookie_header(client)
    data = decode_session(client.app.state.settings, client)
    assert len(data["shortlist"]) == 20
    # Told plainly, beside the field, that the browser had no more room (each text is within
    # its own limit), and everything typed is still in the form.
    assert "This browser has room for only the first" in response.text
    assert "longer than the sheet has room for" not in response.text
    from tests.web.helpers import soup

    page = soup(response.text)
    for spec in TEXTS:
        field = page.select_one(f"[name='{spec.name}']")
        if field is None:
            # After a safety result the person attends alone: no field for who comes; and
            # no court orders were named, so there is no field for them.
            assert spec.name in ("who", "bg_orders")
            continue
        shown = field.get_text() if field.name == "textarea" else field.get("value", "")
        assert shown.replace("\r\n", "\n") == typed[spec.name], spec.name
    # Every request still carries all of it, and erasing works.
    assert client.get("/prep/sheet").status_code == 200
    assert cookie_header(client) < COOKIE_HEADER_MAX


def test_a_readiness_note_that_would_not_fit_is_refused_beside_the_field(
    client: TestClient,
) -> None:
    from portal.prep.fields import TEXTS
    from portal.web.session import COOKIE_HEADER_MAX
    from tests.web.test_readiness_pages import form_for

    post_prep(client, {spec.name: "\U0001f600" * spec.cap for spec in TEXTS})
    walk(client, V2)  # the sheet written first leaves room for the answers
    note = "\x01" * 1000  # six bytes each in JSON
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/impact",
        data={**form_for("impact", {**V2, "F1": note}), "_csrf_token": token},
    )
    assert response.status_code == 400
    assert "longer than this browser can keep" in response.text
    assert note in response.text.replace("&#1;", "\x01")  # kept in the form, as typed
    assert cookie_header(client) < COOKIE_HEADER_MAX
