"""The quick exit leaves for a neutral site, by button or by pressing Shift three times, and
erases the session on the way: Back and a new tab show nothing that was entered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from portal.readiness import assess

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


# --- the exit ends the session: Back and a new tab show nothing that was entered ---

SHEET_TEXT = "zq7sheetmarker why I am going"


def neutral(context: BrowserContext) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>Weather")

    context.route(f"{NEUTRAL}**", fulfil)


def session_cookies(context: BrowserContext) -> list[str]:
    return [c["name"] for c in context.cookies() if "portal" in c["name"]]


def wait_until_erased(page: Page, context: BrowserContext) -> None:
    """The erase runs in the background after the tab has left; wait until the browser has
    dropped the session cookie (a condition, not a fixed delay)."""
    for _ in range(100):
        if not session_cookies(context):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the session cookie is still there: {session_cookies(context)}")


def safety_result_and_a_sheet(page: Page, live_server: str, *, js: bool = True) -> None:
    """A person answers to a safety result, then types on the prep sheet and saves it."""
    from tests.browser.test_readiness_browser import finish
    from tests.readiness_answers import V2

    finish(page, live_server, V2, check_axe=False, js=js)
    expect(page.locator("h1")).to_have_text(assess(V2).label)
    page.goto(f"{live_server}/prep")
    page.locator("[name='why']").fill(SHEET_TEXT)
    page.get_by_role("button", name="Save and preview my sheet").click()
    expect(page).to_have_url(f"{live_server}/prep/sheet")
    expect(page.locator("main")).to_contain_text(SHEET_TEXT)
    assert session_cookies(page.context)


def shows_nothing_entered(page: Page, live_server: str) -> None:
    from tests.readiness_answers import V2

    label = assess(V2).label
    assert SHEET_TEXT not in page.content()
    for field in page.locator("input[type='text'], textarea").all():
        assert "zq7sheetmarker" not in field.input_value()
    assert label not in page.locator("body").inner_text()


def look_after_the_exit(page: Page, context: BrowserContext, live_server: str) -> None:
    """Back, and Back again, then a new tab at the result and the sheet: nothing entered."""
    for _ in range(2):
        page.go_back()
        if page.url.startswith(NEUTRAL):
            continue
        shows_nothing_entered(page, live_server)
    fresh = context.new_page()
    for path in ("/readiness/result", "/prep/sheet", "/prep", "/shortlist"):
        fresh.goto(f"{live_server}{path}")
        shows_nothing_entered(fresh, live_server)
    fresh.close()


@pytest.mark.parametrize("how", ["button", "shift"])
def test_the_quick_exit_erases_everything_entered(
    browser: Browser, live_server: str, how: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        neutral(context)
        page = context.new_page()
        safety_result_and_a_sheet(page, live_server)
        if how == "button":
            page.get_by_role("link", name="Leave this site quickly").click()
        else:
            page.locator("main h1").click()
            for _ in range(3):
                page.keyboard.press("Shift")
        expect(page).to_have_url(NEUTRAL)
        wait_until_erased(page, context)
        look_after_the_exit(page, context, live_server)
    finally:
        context.close()


def test_without_javascript_the_exit_link_erases_too(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        neutral(context)
        page = context.new_page()
        safety_result_and_a_sheet(page, live_server, js=False)
        page.get_by_role("link", name="Leave this site quickly").click()
        expect(page).to_have_url(NEUTRAL)
        assert session_cookies(context) == []
        look_after_the_exit(page, context, live_server)
    finally:
        context.close()


def test_typing_capitals_does_not_exit(neutral_site: Page, live_server: str) -> None:
    page = neutral_site
    page.goto(f"{live_server}/prep")
    page.wait_for_load_state("domcontentloaded")
    page.locator("[name='t_name']").click()
    for word in ("Dr", "Ann", "Lee"):
        page.keyboard.press(f"Shift+{word[0]}")
        page.keyboard.type(word[1:] + " ")
    expect(page.locator("[name='t_name']")).to_have_value("Dr Ann Lee ")
    assert page.url == f"{live_server}/prep"
    # Shift, another key, Shift, Shift: the count started again, so still here.
    page.keyboard.press("Shift")
    page.keyboard.press("x")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.url == f"{live_server}/prep"
    page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)


def test_only_a_keyboard_with_javascript_is_told_to_press_shift(
    browser: Browser, live_server: str
) -> None:
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    plain = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        on_phone = phone.new_page()
        on_phone.goto(f"{live_server}/")
        expect(on_phone.get_by_role("link", name="Leave this site quickly")).to_be_visible()
        expect(on_phone.locator(".quick-exit-hint")).to_be_hidden()
        on_desktop = desktop.new_page()
        on_desktop.goto(f"{live_server}/")
        expect(on_desktop.locator(".quick-exit-hint")).to_be_visible()
        without_script = plain.new_page()  # the shortcut is the script's
        without_script.goto(f"{live_server}/")
        expect(without_script.locator(".quick-exit-hint")).to_be_hidden()
    finally:
        phone.close()
        desktop.close()
        plain.close()


def test_erase_says_so_at_a_plain_address(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/prep")
    page.locator("[name='why']").fill(SHEET_TEXT)
    page.get_by_role("button", name="Save and preview my sheet").click()
    expect(page).to_have_url(f"{live_server}/prep/sheet")
    page.get_by_role("button", name="Erase everything I entered").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("status")).to_contain_text("Everything you entered has been erased")
    assert session_cookies(page.context) == []
    page.reload()
    expect(page.get_by_text("Everything you entered has been erased")).to_have_count(0)


@pytest.mark.parametrize("width", [320, 390, 700, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_exit_never_covers_the_danger_line_and_stays_on_screen(
    browser: Browser, live_server: str, width: int, language: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 700}, extra_http_headers={"Accept-Language": language}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server}/counselors")
        exit_link = page.locator(".quick-exit")
        first_line = page.locator(".safety-banner p").first.bounding_box()
        box = exit_link.bounding_box()
        assert first_line is not None and box is not None
        # Nothing of the banner's first words ("In danger now? Call 911") lies under the exit.
        x, y = first_line["x"] + 5, first_line["y"] + 5
        covered = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.quick-exit') !== null", [x, y]
        )
        assert not covered
        page.mouse.wheel(0, 2000)
        expect(exit_link).to_be_in_viewport()
    finally:
        context.close()
