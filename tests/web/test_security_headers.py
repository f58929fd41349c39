"""An Observatory-style check of every response, in production mode over HTTPS.

Each header is scored the way Mozilla's HTTP Observatory scores it, and every one must get the
result that earns full marks: CSP (no unsafe-*, default-src 'none', frame-ancestors 'none',
base-uri, form-action, object-src), cookies (Secure, HttpOnly, SameSite, ``__Host-``), HSTS
(at least six months), Referrer-Policy, X-Content-Type-Options, framing protection, CORP, no
permissive CORS, and Subresource Integrity on every script. Pages, JSON, static files, 404s,
429/413/503/500 error pages: all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.settings import Settings
from tests.readiness_answers import V6
from tests.web.helpers import soup
from tests.web.security_support import app_with, every_get_url, first_slug
from tests.web.test_readiness_pages import walk

PROD_SECRET = "prod-Zp4Lr8Vx1Qm6Tn0Kc3Hy7Bw2Dg5Js9Fe-UaXoRiEtWqYsPl"
SIX_MONTHS = 15_768_000


def directives(csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.strip().split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def score_csp(headers) -> str:
    csp = headers.get("content-security-policy")
    if not csp:
        return "csp-not-implemented"
    d = directives(csp)
    sources = " ".join(" ".join(v) for v in d.values())
    if (
        "'unsafe-inline'" in sources
        or "'unsafe-eval'" in sources
        or "data:" in " ".join(d.get("script-src", d.get("default-src", [])))
    ):
        return "csp-implemented-with-unsafe"
    if d.get("default-src") != ["'none'"]:
        return "csp-implemented-without-default-none"
    for name, allowed in {
        "frame-ancestors": [["'none'"]],
        "base-uri": [["'none'"], ["'self'"]],
        "form-action": [["'none'"], ["'self'"]],
        "object-src": [["'none'"]],
        "script-src": [["'self'"]],
        "style-src": [["'self'"]],
    }.items():
        if d.get(name) not in allowed:
            return f"csp-{name}-not-strict"
    if any(s.startswith(("http:", "https:", "*")) or s == "*" for s in sources.split()):
        return "csp-implemented-with-insecure-scheme"
    return "csp-implemented-with-no-unsafe-default-src-none"


def score_cookies(set_cookies: list[str]) -> str:
    if not set_cookies:
        return "cookies-not-found"
    for cookie in set_cookies:
        name = cookie.split("=", 1)[0]
        flags = {f.strip().split("=")[0].lower(): f.strip() for f in cookie.split(";")[1:]}
        if "secure" not in flags:
            return f"cookies-without-secure-flag ({name})"
        if "httponly" not in flags:
            return f"cookies-session-without-httponly-flag ({name})"
        if flags.get("samesite", "").lower() not in {"samesite=lax", "samesite=strict"}:
            return f"cookies-samesite-flag-invalid ({name})"
        if not name.startswith("__Host-") or "domain" in flags or flags.get("path") != "Path=/":
            return f"cookies-without-host-prefix ({name})"
    return "cookies-secure-with-httponly-sessions-and-samesite"


def score_hsts(headers) -> str:
    value = headers.get("strict-transport-security", "")
    match = re.search(r"max-age=(\d+)", value)
    if not match:
        return "hsts-not-implemented"
    if int(match.group(1)) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months"
    if "includesubdomains" not in value.lower():
        return "hsts-without-includesubdomains"
    return "hsts-implemented-max-age-at-least-six-months"


def score_referrer(headers) -> str:
    value = headers.get("referrer-policy", "").lower()
    good = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    return "referrer-policy-private" if value in good else "referrer-policy-not-private"


def score_framing(headers) -> str:
    if directives(headers.get("content-security-policy", "")).get("frame-ancestors") == ["'none'"]:
        return "x-frame-options-implemented-via-csp"
    return "x-frame-options-not-implemented"


def score_nosniff(headers) -> str:
    ok = headers.get("x-content-type-options", "").lower() == "nosniff"
    return "x-content-type-options-nosniff" if ok else "x-content-type-options-not-implemented"


def score_corp(headers) -> str:
    value = headers.get("cross-origin-resource-policy", "").lower()
    return "corp-implemented-with-same-origin" if value == "same-origin" else f"corp-{value}"


def score_cors(headers) -> str:
    return "cors-not-implemented" if "access-control-allow-origin" not in headers else "cors-open"


def score_sri(body: str, content_type: str) -> str:
    if "html" not in content_type:
        return "sri-not-implemented-response-not-html"
    page = soup(body)
    for script in page.find_all("script"):
        src = script.get("src")
        if not src:
            return "inline-script-present"
        if not str(src).startswith("/") or str(src).startswith("//"):
            return "sri-not-implemented-and-external-scripts-not-loaded-securely"
        if not str(script.get("integrity", "")).startswith("sha384-"):
            return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    for link in page.select("link[rel~='stylesheet']"):
        if not str(link.get("integrity", "")).startswith("sha384-"):
            return "sri-missing-on-stylesheet"
    if page.select("[style]") or page.find("style"):
        return "inline-style-present"
    if any(attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs):
        return "inline-event-handler-present"
    return "sri-implemented-and-external-scripts-loaded-securely"


FULL_MARKS = {
    "csp": "csp-implemented-with-no-unsafe-default-src-none",
    "hsts": "hsts-implemented-max-age-at-least-six-months",
    "referrer": "referrer-policy-private",
    "framing": "x-frame-options-implemented-via-csp",
    "nosniff": "x-content-type-options-nosniff",
    "corp": "corp-implemented-with-same-origin",
    "cors": "cors-not-implemented",
}


def scorecard(response) -> dict[str, str]:
    headers = response.headers
    card = {
        "csp": score_csp(headers),
        "hsts": score_hsts(headers),
        "referrer": score_referrer(headers),
        "framing": score_framing(headers),
        "nosniff": score_nosniff(headers),
        "corp": score_corp(headers),
        "cors": score_cors(headers),
    }
    sri = score_sri(response.text, headers.get("content-type", ""))
    if sri != "sri-not-implemented-response-not-html":
        card["sri"] = sri
    cookies = headers.get_list("set-cookie")
    if cookies:
        card["cookies"] = score_cookies(cookies)
    return card


EXPECTED = {
    **FULL_MARKS,
    "sri": "sri-implemented-and-external-scripts-loaded-securely",
    "cookies": "cookies-secure-with-httponly-sessions-and-samesite",
}


@pytest.fixture(scope="module")
def production(settings: Settings, engine: Engine) -> Litestar:
    return app_with(settings, engine, production=True, secret_key=PROD_SECRET, hsts=True)


@pytest.fixture
def https(production: Litestar) -> Iterator[TestClient]:
    with TestClient(production, base_url="https://127.0.0.1") as client:
        yield client


def assert_full_marks(response, what: str) -> None:
    card = scorecard(response)
    wrong = {k: v for k, v in card.items() if v != EXPECTED[k]}
    assert not wrong, f"{what} ({response.status_code}): {wrong}"


def test_every_get_url_gets_full_marks(
    production: Litestar, https: TestClient, engine: Engine
) -> None:
    urls = every_get_url(production, first_slug(engine))
    assert len(urls) >= 25
    for url in urls:
        assert_full_marks(https.get(url), url)
    for url in ("/", "/counselors", "/api/counselors", "/static/css/site.css"):
        assert_full_marks(https.head(url), f"HEAD {url}")
        assert_full_marks(https.options(url), f"OPTIONS {url}")


def test_pages_built_from_answers_get_full_marks(https: TestClient) -> None:
    result = walk(https, V6)
    assert_full_marks(result, "the readiness result")
    for url in ("/readiness", "/prep", "/prep/sheet", "/shortlist", "/counselors?from=readiness"):
        assert_full_marks(https.get(url), url)


def test_error_pages_get_full_marks(settings: Settings, engine: Engine) -> None:
    strict = app_with(
        settings,
        engine,
        production=True,
        secret_key=PROD_SECRET,
        hsts=True,
        rate_limit_posts_per_minute=5,
    )
    with TestClient(strict, base_url="https://127.0.0.1") as https:
        error_pages(https)


def error_pages(https: TestClient) -> None:
    https.get("/")
    token = https.cookies.get("__Host-csrf")
    assert token, "the CSRF cookie has the __Host- prefix in production"
    assert_full_marks(https.post("/erase", data={}), "403 without a CSRF token")
    too_big = https.post(
        "/prep",
        content=b"why=" + b"x" * 300_000,
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrftoken": token},
    )
    assert too_big.status_code == 413
    assert_full_marks(too_big, "413")
    statuses = [
        https.post("/prep", data={"why": "x", "_csrf_token": token}).status_code for _ in range(6)
    ]
    assert 429 in statuses
    limited = https.post("/prep", data={"why": "x", "_csrf_token": token})
    assert limited.status_code == 429
    assert_full_marks(limited, "429")


def test_production_cookies_are_host_prefixed_secure_and_session_only(https: TestClient) -> None:
    walk(https, V6)
    response = https.get("/readiness")
    cookies = [c for c in response.headers.get_list("set-cookie")]
    names = {c.split("=", 1)[0] for c in cookies}
    assert "__Host-portal" in names
    for cookie in cookies:
        lowered = cookie.lower()
        assert "secure" in lowered and "httponly" in lowered and "samesite=lax" in lowered
        if cookie.startswith("__Host-portal") and "null" not in cookie.split(";")[0]:
            assert "max-age" not in lowered and "expires" not in lowered, (
                "the session cookie ends with the browser"
            )


def test_hsts_only_when_configured(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/").headers


def test_the_csp_in_the_code_matches_the_issue() -> None:
    from portal.security import CSP

    d = directives(CSP)
    assert d["default-src"] == ["'none'"]
    assert d["script-src"] == ["'self'"] and d["style-src"] == ["'self'"]
    assert d["img-src"] == ["'self'", "data:"]
    assert d["form-action"] == ["'self'"] and d["base-uri"] == ["'none'"]
    assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]


def test_every_template_script_carries_integrity() -> None:
    templates = Path(__file__).resolve().parents[2] / "templates"
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            assert "src=" in tag and "integrity=" in tag, (path, tag)


def test_the_database_error_page_gets_full_marks(settings: Settings, tmp_path: Path) -> None:
    broken = app_with(
        settings,
        None,
        database_url=f"sqlite:///{tmp_path / 'gone' / 'portal.db'}",
        production=True,
        secret_key=PROD_SECRET,
        hsts=True,
    )
    with TestClient(broken, base_url="https://127.0.0.1") as https:
        for url in ("/counselors", "/api/counselors"):
            response = https.get(url)
            assert response.status_code == 503
            assert_full_marks(response, f"503 {url}")
