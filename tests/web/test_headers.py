"""Security headers on every response: pages, JSON, static files and errors."""

from __future__ import annotations

import asyncio

import pytest
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
    message = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"Referrer-Policy", b"same-origin"), (b"content-type", b"text/html")],
    }
    asyncio.run(security_headers_hook(settings)(message, {}))  # type: ignore[arg-type]
    names = [name.decode().lower() for name, _ in message["headers"]]  # type: ignore[attr-defined]
    assert sorted(names) == sorted([*BASE_HEADERS, "content-type"])
    assert (b"Referrer-Policy", b"same-origin") in message["headers"]  # type: ignore[operator]
