"""On a phone every control can be hit with a finger: at least 44 px tall, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

CONTROLS = (
    ".site-nav a, .language-switch a, .link-button, .option, label.check, .quick-exit, button,"
    " select, input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
)
PAGES = ["/", "/readiness/step/start", "/counselors", "/prep", "/shortlist", "/help"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_control_is_at_least_44_px_tall_on_a_phone(
    browser: Browser, live_server: str, language: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    try:
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{live_server}{path}")
            small = page.evaluate(
                """selector => [...document.querySelectorAll(selector)]
                    .filter(e => e.getClientRects().length)
                    .filter(e => getComputedStyle(e).visibility !== 'hidden')
                    .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
                    .filter(([, height]) => height < 44)""",
                CONTROLS,
            )
            assert small == [], (path, small)
    finally:
        context.close()
