"""Static files: fingerprinted URLs cached for a year, anything else revalidated."""

from __future__ import annotations

import hashlib
import re

from litestar.testing import TestClient

from portal.paths import STATIC_DIR

IMMUTABLE = "public, max-age=31536000, immutable"


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_every_page_asset_url_carries_the_hash_of_the_file(client: TestClient) -> None:
    urls = asset_urls(client.get("/").text) + asset_urls(client.get("/prep").text)
    assert len(urls) >= 8
    for url in urls:
        path, _, version = url.removeprefix("/static/").partition("?v=")
        digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()
        assert version and digest.startswith(version), url


def test_a_fingerprinted_asset_is_immutable_and_keeps_compression(client: TestClient) -> None:
    [css] = [u for u in asset_urls(client.get("/").text) if "site.css" in u]
    response = client.get(css, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-encoding"] == "gzip"
    assert client.head(css).headers["cache-control"] == IMMUTABLE


def test_an_old_or_missing_fingerprint_is_not_cached_as_immutable(client: TestClient) -> None:
    for url in ("/static/css/site.css", "/static/css/site.css?v=0123456789abcdef"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers["cache-control"], url
    assert "immutable" not in client.get("/static/nope.css?v=1").headers.get("cache-control", "")


def test_integrity_hashes_are_kept(client: TestClient) -> None:
    html = client.get("/").text
    tags = re.findall(r"<(?:script|link rel=\"stylesheet\")[^>]*>", html)
    assert tags and all('integrity="sha384-' in tag for tag in tags)
