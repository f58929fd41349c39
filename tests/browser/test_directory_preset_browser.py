"""From a readiness result to the directory in Chromium: a safety result governs what is
shown, the hand-off finds counselors, and the address never holds the answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_readiness_browser import finish
from tests.handoff_personas import couple_video, safety_pregnant, spanish_father

CAUTION = "Not suggested for you right now"
ANSWER_FILTERS = re.compile(r"specialty=|sees=|modality=|screens_individually=")


def open_result_list(
    page: Page, live_server: str, answers: dict[str, Any], *, js: bool = True
) -> None:
    """Answer the readiness check, then follow its result to the counselors who fit."""
    finish(page, live_server, answers, check_axe=False, js=js)
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page.locator("#preset-note")).to_be_visible()


def test_a_safety_result_governs_the_directory(page: Page, live_server: str) -> None:
    watch = Watch(page, live_server)
    finish(page, live_server, safety_pregnant("60614"), check_axe=False)
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    expect(page.locator("#safety-note")).to_contain_text("Adjusted for your safety")
    expect(page.locator("#safety-note a[href='/help']")).to_be_visible()
    assert page.locator(".cards .card").count() >= 3
    expect(page.locator(".cards .caution")).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_label("Sort by").select_option("fee")
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness&sort=fee")
    expect(page.locator("#safety-note")).to_be_visible()

    # A wider distance keeps the result: still adjusted for safety, on a neutral address.
    page.get_by_label("Within").select_option("100")
    expect(page.locator("#preset-note")).to_be_visible()
    expect(page.get_by_label("Within")).to_have_value("100")
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness&sort=fee")
    expect(page.locator("#safety-note")).to_be_visible()
    expect(page.locator(".cards .caution")).to_have_count(0)

    # The kind of help, changed by hand, stays the result's list: what its safety rule
    # leaves out is not offered, and nothing goes into the address.
    who = page.locator("#group-sees")
    if who.get_attribute("open") is None:
        who.locator("summary").click()
    expect(page.get_by_label("Couples", exact=True)).to_be_disabled()
    specialty = page.locator("#group-specialty")
    if specialty.get_attribute("open") is None:
        specialty.locator("summary").click()
    grief = page.locator("input[name=specialty][value=grief]")
    grief.check()
    expect(grief).to_be_checked()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness&sort=fee")
    expect(page.locator("#safety-note")).to_be_visible()
    expect(page.locator(".cards .caution")).to_have_count(0)
    assert axe_violations(page) == []

    page.goto(f"{live_server}/counselors?sees=couples")  # a search of one's own
    cautioned = page.locator(".cards > li", has=page.locator(".caution"))
    expect(cautioned.first).to_contain_text(CAUTION)
    expect(cautioned.first.locator(".fits")).to_have_count(0)
    expect(page.locator("#preset-link")).to_contain_text("does not use your readiness check")
    cautioned.first.locator(".card-title a").click()
    expect(page.locator("#caution")).to_contain_text(CAUTION)
    expect(page.locator("#caution")).to_contain_text("not safe after what you told us")
    assert axe_violations(page) == []
    assert watch.problems == [] and watch.foreign == []


def test_without_javascript_the_preset_sorts_on_a_neutral_address(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        finish(page, live_server, safety_pregnant("30303"), check_axe=False, js=False)
        page.get_by_role("link", name="See counselors who fit").click()
        expect(page.locator("#safety-note")).to_be_visible()
        page.get_by_label("Sort by").select_option("fee")
        page.get_by_role("button", name="Show counselors").click()
        expect(page).to_have_url(f"{live_server}/counselors?from=readiness&sort=fee")
        assert page.locator(".cards .card").count() >= 3
    finally:
        context.close()


def test_the_hand_off_widens_and_says_so_at_phone_width(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    finish(page, live_server, spanish_father("98101"), check_axe=False)
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    expect(page.locator("#preset-note .widened")).to_contain_text("Washington by video or phone")
    assert page.locator(".cards .card").count() >= 3
    expect(page.locator(".cards .card").first).to_contain_text("Why it fits")
    assert axe_violations(page) == []


def test_the_hand_off_for_a_couple_in_austin(page: Page, live_server: str) -> None:
    finish(page, live_server, couple_video("78701"), check_axe=False)
    page.get_by_role("link", name="See counselors who fit").click()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    expect(page.locator("#result-count")).to_contain_text("match")
    assert page.locator(".cards .card").count() >= 3


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_typo_in_the_zip_code_on_the_result_s_list_is_said_and_kept(
    browser: Browser, live_server: str, js: bool
) -> None:
    context = browser.new_context(java_script_enabled=js)
    try:
        page = context.new_page()
        sent: list[str] = []
        page.on("request", lambda request: sent.append(request.url))
        open_result_list(page, live_server, safety_pregnant("60614"), js=js)
        expect(page.locator("#safety-note")).to_be_visible()
        first = page.locator(".cards .card-title a").first.inner_text()
        zip_code = page.locator("#filters").get_by_label("ZIP code")
        zip_code.fill("6061")
        zip_code.press("Enter")
        expect(page.locator(".error-summary")).to_contain_text("ZIP code")
        expect(zip_code).to_have_attribute("aria-invalid", "true")
        expect(zip_code).to_have_value("6061")
        # Still the result's counselors, adjusted for safety.
        expect(page.locator("#safety-note")).to_be_visible()
        expect(page.locator(".cards .card-title a").first).to_have_text(first)
        if js:  # axe-core runs as a script in the page
            assert axe_violations(page) == []
        zip_code.fill("60614")
        zip_code.press("Enter")
        expect(page.locator(".error-summary")).to_have_count(0)
        expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
        # The form holds filters chosen from the answers: none ever went into an address.
        assert not [url for url in sent if ANSWER_FILTERS.search(url)]
    finally:
        context.close()


def test_a_keyboard_user_keeps_their_place_on_the_result_s_list(
    page: Page, live_server: str
) -> None:
    open_result_list(page, live_server, spanish_father("60614"))
    form = page.locator("#filters")

    def press_space_on(box: Locator) -> None:
        for group in ("#group-cost", "#group-language", "#group-sees"):
            if (
                form.locator(group).get_attribute("open") is None
                and box.locator(f"xpath=ancestor::details[@id='{group[1:]}']").count()
            ):
                form.locator(f"{group} > summary").press("Enter")
        box.focus()
        page.keyboard.press("Space")

    # A yes/no filter: still the result's list, the box ticked and still in focus.
    sliding = form.locator("#sliding_scale")
    was = sliding.is_checked()
    sliding.scroll_into_view_if_needed()
    at = page.evaluate("window.scrollY")
    press_space_on(sliding)
    expect(sliding).to_be_checked(checked=not was)
    expect(sliding).to_be_focused()
    expect(sliding).to_be_in_viewport()  # the page did not jump
    assert abs(page.evaluate("window.scrollY") - at) < 40
    expect(page.locator("#preset-note")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    # Untick it again: its group may now have nothing chosen, and stays open all the same.
    page.keyboard.press("Space")
    expect(sliding).to_be_checked(checked=was)
    expect(sliding).to_be_focused()
    expect(form.locator("#group-cost")).to_have_attribute("open", "")

    # A choice without an id of its own keeps the focus too.
    english = form.locator("input[name=language][value=en]")
    press_space_on(english)
    expect(english).to_be_focused()
    expect(page.locator("#preset-note")).to_be_visible()

    # Who they see is kept with the result too, and the focus stays put.
    families = form.locator("input[name=sees][value=families]")
    press_space_on(families)
    expect(families).to_be_checked()
    expect(families).to_be_focused()
    expect(page.locator("#preset-note")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/counselors?from=readiness")
    assert axe_violations(page) == []


def test_changes_made_while_the_last_is_on_its_way_are_all_kept(
    page: Page, live_server: str
) -> None:
    open_result_list(page, live_server, spanish_father("60614"))

    def slowly(route: Route) -> None:  # a slow phone connection
        page.wait_for_timeout(800)
        route.continue_()

    page.route("**/counselors?from=readiness", slowly)
    within = page.locator("#filters").get_by_label("Within")
    within.select_option("50")
    page.locator("#filters").get_by_label("Search names and bios").fill("weekends")
    within.select_option("100")
    page.wait_for_timeout(3000)
    expect(within).to_have_value("100")
    expect(page.locator("#filters").get_by_label("Search names and bios")).to_have_value("weekends")
    page.unroute("**/counselors?from=readiness")
    page.reload()
    expect(page.locator("#filters").get_by_label("Within")).to_have_value("100")
    expect(page.locator("#filters").get_by_label("Search names and bios")).to_have_value("weekends")
