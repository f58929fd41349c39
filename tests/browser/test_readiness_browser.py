"""A person answering the readiness check in Chromium: V1, V2 and V6 end to end, keyboard and
screen-reader basics, and zero axe-core violations on every step and the result."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.readiness import assess
from tests.browser.helpers import Watch, axe_violations
from tests.readiness_answers import V1, V2, V6

JOINT = ("couples", "discernment", "mediation", "co-parenting counseling", "parenting coordinat")


def answer_page(page: Page, answers: dict[str, Any]) -> None:
    """Fill every question on the current step from ``answers``, in order, as a person would
    (answering one question may reveal the next)."""
    wrap_ids = page.locator(".question").evaluate_all("els => els.map(e => e.id)")
    for wrap_id in wrap_ids:
        wrap = page.locator(f"#{wrap_id}")
        if not wrap.is_visible():
            continue
        field = wrap.locator("input, textarea").first
        name = field.get_attribute("name")
        value = answers.get(name)
        if value in (None, "", []):
            continue
        if field.get_attribute("type") in ("radio", "checkbox"):
            for v in value if isinstance(value, list) else [value]:
                wrap.locator(f"input[value='{v}']").check()
        else:
            field.fill(str(value))


def finish(
    page: Page, live_server: str, answers: dict[str, Any], *, check_axe: bool, js: bool = True
) -> None:
    page.goto(f"{live_server}/readiness")
    page.get_by_role("link", name="Start the check").click()
    for _ in range(15):
        if "/readiness/result" in page.url:
            break
        heading = page.locator("#step-title")
        expect(heading).to_be_visible()
        title = heading.inner_text()
        if check_axe:
            assert axe_violations(page) == [], title
        if js:
            # readiness.js hides the questions that do not apply once it has run on the step;
            # answering before then could pick a question it is about to hide.
            expect(page.locator("form.step-form")).to_have_attribute("data-ready", "1")
        answer_page(page, answers)
        page.get_by_role("button", name="Continue").or_(
            page.get_by_role("button", name="See my result")
        ).click()
        expect(page.locator("main h1")).not_to_have_text(title)
        if page.locator("#step-title").count() and js:
            # htmx has swapped and settled the next step once its heading has focus.
            expect(page.locator("#step-title")).to_be_focused()
    expect(page).to_have_url(f"{live_server}/readiness/result")


@pytest.mark.parametrize(("name", "answers"), [("V1", V1), ("V2", V2)])
def test_safety_vignettes_get_safety_first_and_no_joint_help(
    page: Page, live_server: str, name: str, answers: dict[str, Any]
) -> None:
    watch = Watch(page, live_server)
    finish(page, live_server, answers, check_axe=name == "V1")
    expected = assess(answers)
    expect(page.locator("h1")).to_have_text(expected.label)
    article = page.locator("article").inner_text().lower()
    # One reason exists to explain why joint sessions are not advised; it alone may name them.
    for explainer in page.locator(".reasons li[data-reason='SAFETY_NO_JOINT']").all():
        article = article.replace(explainer.inner_text().lower(), "")
    for word in JOINT:
        assert word not in article, word
    assert axe_violations(page) == []
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    expect(page.get_by_label("Individuals", exact=True)).to_be_checked()
    expect(page.get_by_label("Couples", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Co-parents", exact=True)).not_to_be_checked()
    assert watch.problems == [] and watch.foreign == []


def test_v6_co_parents_get_seek_counseling_now_and_a_co_parenting_directory(
    page: Page, live_server: str
) -> None:
    finish(page, live_server, V6, check_axe=True)
    expect(page.locator("h1")).to_have_text(assess(V6).label)
    expect(page.locator("article")).to_contain_text("parallel")
    assert axe_violations(page) == []
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page.get_by_label("Co-parents", exact=True)).to_be_checked()
    expect(page.get_by_label("ZIP code", exact=True)).to_have_value("60614")
    expect(page.locator(".cards .card").first).to_contain_text("Why it fits")


def test_steps_swap_in_place_and_focus_the_heading(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/readiness/step/start")
    page.evaluate("window.__stillHere = true")
    answer_page(page, V6)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server}/readiness/step/about")
    expect(page.locator("#step-title")).to_be_focused()
    assert page.evaluate("window.__stillHere === true")


@pytest.mark.parametrize("js", [True, False])
def test_a_step_with_a_mistake_says_so_first_and_links_to_the_answer(
    browser: Browser, live_server: str, js: bool
) -> None:
    context = browser.new_context(java_script_enabled=js)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/readiness/step/start")
        page.get_by_role("button", name="Continue").click()
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        summary.get_by_role("link").first.click()
        expect(page.locator("input[name='G0.5']").first).to_be_focused()
    finally:
        context.close()


def test_follow_up_question_appears_only_when_it_applies(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/readiness/step/start")
    answer_page(page, V6)
    page.get_by_role("button", name="Continue").click()
    ages = page.locator("#q-G0-2a-wrap")
    expect(ages).to_be_hidden()
    page.locator("#q-G0-2 input[value='yes']").check()
    expect(ages).to_be_visible()
    # The hint for pages without script ("Only if you answered ...") is not needed here.
    expect(ages.locator(".conditional-hint")).to_be_hidden()


def test_without_javascript_a_follow_up_question_says_when_to_skip_it(
    no_js_page: Page, live_server: str
) -> None:
    no_js_page.goto(f"{live_server}/readiness/step/start")
    answer_page(no_js_page, V6)
    no_js_page.get_by_role("button", name="Continue").click()
    ages = no_js_page.locator("#q-G0-2a-wrap")
    expect(ages).to_be_visible()
    expect(ages.locator(".conditional-hint")).to_have_text(
        "Only if you answered “Yes” above. Otherwise, skip it."
    )


def test_back_keeps_answers(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/readiness/step/start")
    answer_page(page, V6)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#step-title")).to_have_text("Who this is about")
    answer_page(page, V6)
    page.get_by_role("button", name="Back").click()
    expect(page).to_have_url(f"{live_server}/readiness/step/start")
    expect(page.locator("#step-title")).to_be_focused()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#step-title")).to_have_text("Who this is about")
    expect(page.locator("#q-G0-1 input[value='coparent_ex']")).to_be_checked()


def test_without_javascript_the_whole_check_works(browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        finish(page, live_server, V6, check_axe=False, js=False)
        expect(page.locator("h1")).to_have_text(assess(V6).label)
    finally:
        context.close()
