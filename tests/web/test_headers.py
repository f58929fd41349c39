"""Security headers on every response: pages, JSON, static files and errors."""

from __future__ import annotations

import pytest
from litestar import Litestar, Response, get
from litestar.testing import TestClient

from portal.security import BASE_HEADERS, security_headers_hook
from portal.settings import Settings

PATHS = [
    "/",
    "/counselors",
    "/api/counselors",
    "/api/schema/openapi.json",
    "/static/css/site.css",
    "/static/vendor/htmx-2.0.11.min.js",
    "/no-such-page",
    "/api/counselors/no-such-slug",
    "/healthz",
]


@pytest.mark.parametrize("path", PATHS)
def test_strict_csp_and_friends(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["cross-origin-resource-policy"] == "same-origin"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"


def test_no_hsts_over_plain_http_by_default(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/").headers


def test_cookies_are_httponly_and_samesite(client: TestClient) -> None:
    response = client.get("/")
    for cookie in response.headers.get_list("set-cookie"):
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered


def test_a_header_the_response_already_has_is_kept_and_not_doubled(settings: Settings) -> None:
    @get("/own", sync_to_thread=False)
    def own() -> Response[str]:
        return Response("ok", headers={"Referrer-Policy": "same-origin"})

    app = Litestar([own], before_send=[security_headers_hook(settings)])
    with TestClient(app) as test_client:
        raw = test_client.get("/own").headers.multi_items()
    names = [name.lower() for name, _ in raw]
    for name in BASE_HEADERS:
        assert names.count(name) == 1, name
    assert dict(raw)["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/help", "/counselors", "/about", "/no-such-page"])
def test_a_page_is_never_kept_by_a_shared_cache(client: TestClient, path: str) -> None:
    client.get("/")  # the browser has its CSRF cookie: a page sets none, yet carries its token
    response = client.get(path)
    assert "set-cookie" not in response.headers
    cache = response.headers.get("cache-control", "")
    assert "private" in cache or "no-store" in cache, (path, cache)
