"""A second page view asks the server for no asset it already has."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from portal.paths import STATIC_DIR


@pytest.fixture
def just_modified() -> Iterator[None]:
    """Static files modified a moment ago, as after a deploy: without an explicit lifetime a
    browser may keep a file for a tenth of its age since then, which is then next to nothing.
    The files' times are put back afterwards; their bytes are never touched."""
    files = [p for p in STATIC_DIR.rglob("*") if p.is_file()]
    times = {p: (p.stat().st_atime_ns, p.stat().st_mtime_ns) for p in files}
    for path in files:
        os.utime(path)
    yield
    for path, ns in times.items():
        os.utime(path, ns=ns)


def test_a_second_page_view_fetches_no_asset_again(
    just_modified: None, page: Page, live_server: str
) -> None:
    """Chromium announces every request, also those it answers from its own cache; the
    DevTools protocol says which of them went to the server."""
    fetched: list[str] = []
    from_cache: set[str] = set()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def note(event: dict[str, Any]) -> None:
        response = event["response"]
        cached = event["requestId"] in from_cache or response.get("fromDiskCache")
        if "/static/" in response["url"] and not cached:
            fetched.append(response["url"])

    cdp.on("Network.requestServedFromCache", lambda event: from_cache.add(event["requestId"]))
    cdp.on("Network.responseReceived", note)
    page.goto(f"{live_server}/")
    page.wait_for_load_state("load")
    first = list(fetched)
    assert any("site.css" in url for url in first) and any("htmx" in url for url in first)
    fetched.clear()
    page.goto(f"{live_server}/help")
    page.wait_for_load_state("load")
    again = [url for url in fetched if url in first]
    assert again == [], again
