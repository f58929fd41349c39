"""Crisis at once, as a person meets it in Chromium: with and without JavaScript, at desktop
and phone widths, with zero axe-core violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.readiness import assess
from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_readiness_browser import answer_page
from tests.readiness_answers import vignette

CALM = vignette("partner")
WISHED_DEAD = {**CALM, "C1": "yes", "C2": "no"}
DANGER_NOW = {**CALM, "C3": "yes"}
PHONE = {"width": 390, "height": 844}


def answer_until_crisis(page: Page, live_server: str, answers: dict[str, Any], *, js: bool):
    """Start the check and answer the first three pages as a person would."""
    page.goto(f"{live_server}/readiness")
    page.get_by_role("link", name="Start the check").click()
    for title in ("Before we start", "Who this is about", "How you are right now"):
        expect(page.locator("#step-title")).to_have_text(title)
        if js:
            expect(page.locator("form.step-form")).to_have_attribute("data-ready", "1")
        answer_page(page, answers)
        page.get_by_role("button", name="Continue").click()


def expect_crisis_page(page: Page, live_server: str, answers: dict[str, Any]) -> None:
    expect(page).to_have_url(f"{live_server}/readiness/crisis")
    expect(page.locator("main h1")).to_have_text(assess(answers).label)
    expect(page.get_by_role("heading", name="How they treat you")).to_have_count(0)
    ids = page.locator("article li.line").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"line-{i}" for i in assess(answers).resources]
    expect(page.get_by_role("link", name="Continue the check")).to_be_visible()
    expect(page.get_by_role("link", name="Stop here")).to_be_visible()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_wishing_to_be_dead_leads_straight_to_988(browser: Browser, live_server: str, js) -> None:
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        watch = Watch(page, live_server)
        answer_until_crisis(page, live_server, WISHED_DEAD, js=js)
        expect_crisis_page(page, live_server, WISHED_DEAD)
        line = page.locator("#line-988")
        expect(line.locator("a[href='tel:988']")).to_be_visible()
        expect(line.locator("a[href='sms:988']")).to_be_visible()
        expect(page.locator("#line-crisis-text-line")).to_be_visible()
        if js:
            assert axe_violations(page) == []
        page.get_by_role("link", name="Continue the check").click()
        expect(page.locator("#step-title")).to_have_text("How they treat you")
        assert watch.problems == [] and watch.foreign == []
    finally:
        context.close()


def test_danger_right_now_puts_911_first_at_phone_width(browser: Browser, live_server: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        answer_until_crisis(page, live_server, DANGER_NOW, js=True)
        expect_crisis_page(page, live_server, DANGER_NOW)
        first = page.locator("article li.line").first
        expect(first).to_have_id("line-911")
        expect(first.locator("a[href='tel:911']")).to_be_visible()
        if "dv-hotline" in assess(DANGER_NOW).resources:
            expect(page.locator("article li.line").nth(1)).to_have_id("line-dv-hotline")
        # Nothing runs off the side of a phone screen.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert axe_violations(page) == []
    finally:
        context.close()


def test_stop_here_keeps_the_crisis_result(page: Page, live_server: str) -> None:
    answer_until_crisis(page, live_server, WISHED_DEAD, js=True)
    expect(page).to_have_url(f"{live_server}/readiness/crisis")
    page.get_by_role("link", name="Stop here").click()
    expect(page).to_have_url(f"{live_server}/readiness/result")
    expect(page.locator("main h1")).to_have_text(assess(WISHED_DEAD).label)
    expect(page.locator("article")).to_contain_text("stopped the check")
    assert axe_violations(page) == []


def test_the_other_persons_threat_gets_988_for_someone_else(page: Page, live_server: str):
    answers = {**CALM, "C4": "yes"}
    answer_until_crisis(page, live_server, answers, js=True)
    expect(page).to_have_url(f"{live_server}/readiness/crisis")
    expect(page.locator("main h1")).to_have_text("If they might end their life")
    expect(page.locator("#line-988 a[href='tel:988']")).to_be_visible()
    assert axe_violations(page) == []


def test_the_sources_page_reads_well_on_a_phone(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/about")
        page.get_by_role(
            "link", name="See every source, with the articles’ original titles"
        ).click()
        expect(page.locator("main h1")).to_have_text("Sources behind the readiness check")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert axe_violations(page) == []
    finally:
        context.close()
