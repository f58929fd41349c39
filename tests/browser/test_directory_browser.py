"""What a person does in the directory, in Chromium: filter, share, go back, use the keyboard."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import Watch, axe_violations


def card_links(page: Page) -> list[str]:
    return page.locator(".cards .card-title a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def test_filters_update_results_and_url_without_a_full_load(page: Page, live_server: str) -> None:
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/counselors")
    before = card_links(page)
    page.evaluate("window.__stillHere = true")
    page.locator("summary", has_text="Language").click()
    page.get_by_label("Spanish").check()
    expect(page).to_have_url(f"{live_server}/counselors?language=es")
    expect(page.locator("#result-count")).to_contain_text("match")
    assert card_links(page) != before
    assert page.evaluate("window.__stillHere === true"), "htmx swapped results in place"
    expect(page.locator("#announcer")).to_contain_text("match")

    page.get_by_label("ZIP code", exact=True).fill("60614")
    page.get_by_label("ZIP code", exact=True).press("Tab")
    expect(page).to_have_url(f"{live_server}/counselors?zip=60614&language=es")
    expect(page.locator(".card").first).to_contain_text("mi")

    page.go_back()
    expect(page).to_have_url(f"{live_server}/counselors?language=es")
    expect(page.get_by_label("Spanish")).to_be_checked()
    expect(page.get_by_label("ZIP code", exact=True)).to_have_value("")
    assert watch.problems == [] and watch.foreign == []


def test_the_same_url_works_without_javascript(
    browser: Browser, page: Page, live_server: str
) -> None:
    url = (
        f"{live_server}/counselors?zip=60614&radius=25&language=es&format=video"
        "&sliding_scale=1&specialty=co-parenting"
    )
    page.goto(url)
    with_js = card_links(page)
    assert with_js
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(url)
        assert card_links(plain) == with_js
        plain.get_by_label("Free first consultation").check()
        plain.get_by_role("button", name="Show counselors").click()
        assert "free_consult=1" in plain.url
    finally:
        context.close()


def test_keyboard_only_search(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/counselors")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-quick-exit')")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    else:
        raise AssertionError("the search box is reachable by keyboard")
    page.keyboard.type("grief")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/counselors?q=grief")
    expect(page.locator(".cards .card").first).to_be_visible()


def test_the_keyboard_can_skip_the_filters_to_the_results(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/counselors?sees=couples")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-results')"):
            break
    else:
        raise AssertionError("the skip link is reachable by keyboard, before the filters")
    expect(page.locator(".skip-results")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(".cards .card-title a").first
    expect(first).to_be_focused()


def test_no_accessibility_violations(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/counselors")
    slug = page.locator(".cards .card-title a").first.get_attribute("href")
    for path in [
        "/counselors",
        "/counselors?zip=99999&language=es",
        slug,
        "/shortlist",
        "/",
        "/help",
    ]:
        page.goto(f"{live_server}{path}")
        assert axe_violations(page) == [], path


def press_enter_and_settle(page: Page) -> None:
    """Press Enter and wait for htmx to have set up what it swapped in (htmx:load), as a
    person's next key press would."""
    page.evaluate(
        "() => { window.loaded = new Promise(done =>"
        " document.addEventListener('htmx:load', done, { once: true })); }"
    )
    page.keyboard.press("Enter")
    page.evaluate("() => window.loaded")


def test_shortlist_from_a_profile(page: Page, live_server: str) -> None:
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/counselors")
    first = page.locator(".cards .card-title a").first
    name = first.inner_text()
    first.click()
    # From the keyboard: the answer is read out from a live region that stays on the page
    # (a replaced one is not reliably announced), and the focus stays on the button.
    note = page.locator(".shortlist-note")
    note.evaluate("region => { region.dataset.before = 'yes'; }")
    page.get_by_role("button", name="Add to shortlist").focus()
    press_enter_and_settle(page)
    expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()
    expect(page.get_by_role("button", name="Remove from shortlist")).to_be_focused()
    press_enter_and_settle(page)
    expect(note).to_contain_text("Removed from your shortlist.")
    expect(page.get_by_role("button", name="Add to shortlist")).to_be_focused()
    press_enter_and_settle(page)
    expect(note).to_contain_text("Added to your shortlist.")
    expect(note).to_have_attribute("data-before", "yes")
    page.get_by_role("link", name="Shortlist", exact=True).click()
    expect(page.locator(".card-title")).to_have_text(name)
    assert axe_violations(page) == []
    assert watch.problems == []


def test_next_page_from_the_keyboard_starts_at_the_new_count(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/counselors")
    page.get_by_role("link", name="Next").focus()
    press_enter_and_settle(page)
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#result-count")).to_be_focused()
    assert (
        page.evaluate("document.getElementById('result-count').getBoundingClientRect().top") < 900
    )


def test_screenshots_at_desktop_and_phone_widths(
    browser: Browser, live_server: str, artifacts: Path
) -> None:
    url = f"{live_server}/counselors?zip=60614&radius=25&language=es&format=video"
    for name, viewport in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        try:
            page = context.new_page()
            page.goto(url)
            path = artifacts / f"directory-{name}.png"
            page.screenshot(path=str(path), full_page=False)
            assert path.stat().st_size > 10_000
        finally:
            context.close()


def test_a_failed_update_is_said_in_the_page_language_and_keeps_the_form(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(extra_http_headers={"Accept-Language": "es"})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/counselors")
        page.route("**/counselors?*", lambda route: route.fulfill(status=429, body="slow"))
        page.locator("#q").fill("familia")
        page.locator("#q").press("Enter")
        alert = page.locator("#request-problem")
        expect(alert).to_have_text(
            "Vaya un poco más despacio y vuelva a intentarlo en un minuto. "
            "Lo que escribió sigue aquí."
        )
        expect(page.locator("#q")).to_have_value("familia")
    finally:
        context.close()


def test_a_zip_code_error_marks_the_field_and_clears_once_fixed(
    page: Page, live_server: str
) -> None:
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/counselors")
    zip_code = page.get_by_label("ZIP code", exact=True)
    zip_code.fill("606")
    zip_code.press("Tab")
    expect(page.locator(".error-summary")).to_contain_text("ZIP code")
    expect(zip_code).to_have_attribute("aria-invalid", "true")
    expect(zip_code).to_have_accessible_description(re.compile(r"^Error: .*ZIP"))
    assert axe_violations(page) == []

    zip_code.fill("60614")
    zip_code.press("Tab")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(zip_code).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#filters .field-error")).to_have_count(0)
    assert watch.problems == [] and watch.foreign == []


def test_on_a_phone_a_filter_error_opens_its_group_and_goes_once_fixed(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/counselors?language=zz")
        error = page.locator("#language-error")
        expect(error).to_be_visible()  # the filters and the language group are open
        page.locator(".error-summary a[href='#language']").click()
        expect(page).to_have_url(re.compile(r"#language$"))  # the link leads to the field
        page.get_by_label("Spanish").check()
        expect(page).to_have_url(f"{live_server}/counselors?language=es")
        expect(page.locator(".error-summary")).to_have_count(0)
        expect(page.locator("#filters .field-error")).to_have_count(0)
        expect(page.locator("#filters [aria-invalid]")).to_have_count(0)
    finally:
        context.close()
