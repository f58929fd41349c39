"""The quick exit leaves for a neutral site, by button or by pressing Shift three times."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

NEUTRAL = "https://www.weather.gov/"


@pytest.fixture
def neutral_site(page: Page) -> Page:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>Weather")

    page.route(f"{NEUTRAL}**", fulfil)
    return page


def test_button_replaces_the_page(neutral_site: Page, live_server: str) -> None:
    page = neutral_site
    page.goto(f"{live_server}/")
    page.goto(f"{live_server}/counselors")
    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    # location.replace removed /counselors from the history: Back skips it.
    assert "/counselors" not in page.url


def test_three_shift_presses(neutral_site: Page, live_server: str) -> None:
    page = neutral_site
    page.goto(f"{live_server}/help")
    page.locator("body").click(position={"x": 5, "y": 400})
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)


# --- with answers on the page: nothing typed in any URL, the exited page gone from history ---

MARKER = "zq7exitmarker"


class Navigations:
    """Every URL the tab requested or navigated to (history itself is not readable
    cross-origin, but every entry in it was once one of these)."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.on("framenavigated", lambda frame: self.urls.append(frame.url))
        page.on("request", lambda request: self.urls.append(request.url))


def walk_to_free_text(page: Page, live_server: str) -> None:
    """Answer the questionnaire (the V2 vignette) up to the free-text question, then type the
    marker there without sending it: the step being typed when someone walks in."""
    from tests.browser.test_readiness_browser import answer_page
    from tests.readiness_answers import V2

    page.goto(f"{live_server}/readiness")
    page.get_by_role("link", name="Start the check").click()
    for _ in range(15):
        heading = page.locator("#step-title")
        expect(heading).to_be_visible()
        if page.locator("textarea[name='F1']").count():
            break
        title = heading.inner_text()
        answer_page(page, V2)
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("main h1")).not_to_have_text(title)
    page.locator("textarea[name='F1']").fill(f"{MARKER} he reads my phone")


@pytest.mark.parametrize("how", ["button", "shift"])
def test_quick_exit_mid_questionnaire_leaves_no_answer_in_any_url(
    neutral_site: Page, live_server: str, how: str
) -> None:
    page = neutral_site
    seen = Navigations(page)
    walk_to_free_text(page, live_server)
    exited_from = page.url
    length_before = page.evaluate("history.length")
    if how == "button":
        page.get_by_role("link", name="Leave this site quickly").click()
    else:
        page.locator("textarea[name='F1']").blur()
        for _ in range(3):
            page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)
    # location.replace: the neutral site took the exited page's place in the history.
    assert page.evaluate("history.length") == length_before
    assert [u for u in seen.urls if MARKER in u] == []
    page.go_back()
    assert page.url != exited_from, "Back does not return to the page that was left"
    assert MARKER not in page.content()


def test_quick_exit_from_the_prep_sheet_and_the_result(
    neutral_site: Page, live_server: str
) -> None:
    page = neutral_site
    seen = Navigations(page)
    page.goto(f"{live_server}/prep")
    page.locator("[name='why']").fill(f"{MARKER} why I am going")
    page.get_by_role("button", name="Save and preview my sheet").click()
    expect(page).to_have_url(f"{live_server}/prep/sheet")
    expect(page.locator("main")).to_contain_text(MARKER)
    # The deferred quick-exit script has run by DOMContentLoaded; a click before that follows
    # the plain link (the no-JavaScript exit), which adds a history entry.
    page.wait_for_load_state("domcontentloaded")
    length_before = page.evaluate("history.length")
    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_url(NEUTRAL)
    assert page.evaluate("history.length") == length_before
    assert [u for u in seen.urls if MARKER in u] == []
    page.go_back()
    assert "/prep/sheet" not in page.url
