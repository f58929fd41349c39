"""A Spanish-speaking person in Chromium: the check in Spanish from start to result, and the
language switch both ways, with and without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from portal.readiness import assess
from tests.browser.helpers import axe_violations
from tests.browser.test_readiness_browser import answer_page
from tests.readiness_answers import V6


def spanish_page(browser: Browser, *, js: bool = True) -> Page:
    context = browser.new_context(locale="es-US", java_script_enabled=js)
    return context.new_page()


def walk_in_spanish(page: Page, live_server: str, *, js: bool) -> None:
    page.goto(f"{live_server}/readiness")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Empezar la evaluación").click()
    for _ in range(15):
        if "/readiness/result" in page.url:
            break
        heading = page.locator("#step-title")
        expect(heading).to_be_visible()
        expect(page.locator(".progress-text")).to_contain_text("Paso ")
        title = heading.inner_text()
        if js:
            expect(page.locator("form.step-form")).to_have_attribute("data-ready", "1")
        answer_page(page, V6)
        page.get_by_role("button", name="Continuar").or_(
            page.get_by_role("button", name="Ver mi resultado")
        ).click()
        expect(page.locator("main h1")).not_to_have_text(title)
    expect(page).to_have_url(f"{live_server}/readiness/result")


def test_the_check_in_spanish_reaches_a_result_and_switches_to_english(
    browser: Browser, live_server: str
) -> None:
    page = spanish_page(browser)
    try:
        walk_in_spanish(page, live_server, js=True)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", name="Por qué sugerimos esto")).to_be_visible()
        expect(page.get_by_role("link", name="Salir rápido de este sitio")).to_be_visible()
        assert axe_violations(page) == []
        page.locator(".language-switch").get_by_role("link", name="English").click()
        expect(page).to_have_url(f"{live_server}/readiness/result")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text(assess(V6).label)
        expect(page.get_by_role("heading", name="Why we suggest this")).to_be_visible()
        page.locator(".language-switch").get_by_role("link", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page).to_have_url(f"{live_server}/readiness/result")
    finally:
        page.context.close()


def test_without_javascript_the_check_and_the_switch_work_in_spanish(
    browser: Browser, live_server: str
) -> None:
    page = spanish_page(browser, js=False)
    try:
        walk_in_spanish(page, live_server, js=False)
        page.goto(f"{live_server}/help")
        page.locator(".language-switch").get_by_role("link", name="English").click()
        expect(page).to_have_url(f"{live_server}/help")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Crisis and support lines")).to_be_visible()
        page.goto(f"{live_server}/")
        expect(page.locator("html")).to_have_attribute("lang", "en")  # remembered
    finally:
        page.context.close()
