"""Phones get results: at 390 x 844 the first result is on the first screen, the filters open
from one "Filters (n)" control, every tap target is at least 44 px, and the readiness result's
actions follow its summary on the first screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portal.settings import Settings
from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_prep_browser import session_cookies
from tests.readiness_answers import V6

PHONE = {"width": 390, "height": 844}
TAP_MIN = 44


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context
    context.close()


def small_targets(page: Page, scope: str) -> list[str]:
    """Visible controls in ``scope`` whose tap target is under 44 px tall. A checkbox's or a
    radio's target is its whole label row."""
    return page.eval_on_selector_all(
        f"{scope} :is(a[href], button, input:not([type=hidden]), select, textarea, summary)",
        """(els, min) => els.flatMap(el => {
            const target = el.matches("input[type=checkbox], input[type=radio]")
                ? (el.closest("label") || el) : el;
            const box = target.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) return [];
            return box.height + 0.5 < min
                ? [`${el.outerHTML.slice(0, 80)}: ${Math.round(box.height)} px`] : [];
        })""",
        TAP_MIN,
    )


def test_on_a_phone_the_results_come_first(
    phone: BrowserContext, live_server: str, artifacts: Path
) -> None:
    page = phone.new_page()
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/counselors?language=es&format=video")
    toggle = page.locator("summary.filters-toggle")
    expect(toggle).to_contain_text("Filters (2)")
    first = page.locator(".card").first
    top = first.bounding_box()["y"]
    assert top < PHONE["height"], f"the first result starts {top:.0f} px down"
    expect(page.locator("#filters")).to_be_hidden()
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "directory-phone.png"))

    toggle.click()
    expect(page.locator("#filters")).to_be_visible()
    page.eval_on_selector_all("#filters details", "groups => groups.forEach(g => g.open = true)")
    assert small_targets(page, "#filters") == []
    assert small_targets(page, ".filters-panel > summary") == []
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "directory-phone-filters.png"), full_page=True)
    assert watch.problems == [] and watch.foreign == []


def test_result_cards_have_tap_targets_of_44_px(phone: BrowserContext, live_server: str) -> None:
    page = phone.new_page()
    page.goto(f"{live_server}/counselors")
    assert small_targets(page, "#results .card") == []


def test_without_javascript_the_filters_still_open(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/counselors")
        expect(page.locator("#filters")).to_be_hidden()
        page.locator("summary.filters-toggle").click()
        expect(page.locator("#filters")).to_be_visible()
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_show_beside_the_results(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/counselors")
    expect(page.locator("#filters")).to_be_visible()
    expect(page.locator("summary.filters-toggle")).to_be_hidden()
    filters, results = (
        page.locator("#filters").bounding_box(),
        page.locator("#results").bounding_box(),
    )
    assert filters["x"] < results["x"]


def test_the_readiness_results_actions_are_on_the_first_screen(
    phone: BrowserContext, app: Litestar, settings: Settings, live_server: str, artifacts: Path
) -> None:
    phone.add_cookies(session_cookies(app, settings, {"readiness": V6}, live_server))
    page = phone.new_page()
    page.goto(f"{live_server}/readiness/result")
    summary = page.locator(".result .lede").first.bounding_box()
    actions = page.locator(".result-actions")
    expect(actions.get_by_role("link", name="Make my prep sheet")).to_be_visible()
    box = actions.bounding_box()
    assert box["y"] >= summary["y"] + summary["height"]
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert small_targets(page, ".result-actions") == []
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "readiness-result-phone.png"))


NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def test_moving_back_with_the_keyboard_never_hides_focus_under_the_quick_exit(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        slug = page.goto(f"{live_server}/api/counselors?per_page=1").json()["items"][0]["slug"]
        page.goto(f"{live_server}/counselors/{slug}")
        page.keyboard.press("End")
        page.locator("footer a").last.focus()
        bar = page.locator(".top-controls").bounding_box()
        hidden = []
        for _ in range(25):
            page.keyboard.press("Shift+Tab")
            # The browser brings the focused element into view on its next frames: measure
            # after them, not before.
            page.evaluate(NEXT_FRAMES)
            box = page.evaluate(
                "() => { const r = document.activeElement.getBoundingClientRect();"
                " return [r.top, document.activeElement.outerHTML.slice(0, 60),"
                " !!document.activeElement.closest('.top-controls')]; }"
            )
            if not box[2] and box[0] < bar["y"] + bar["height"] - 1:
                hidden.append(box[1])
        assert hidden == []
    finally:
        context.close()
