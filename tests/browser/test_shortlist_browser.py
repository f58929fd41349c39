"""The shortlist in Chromium: a save that did not happen is said first, with and without
JavaScript; the comparison reads on a phone; adding from a profile is confirmed beside the
button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, Page, expect

from portal.settings import Settings
from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_prep_browser import session_cookies
from tests.handoff_personas import couple_video

PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["javascript", "no javascript"])
def shortlisted(
    request: pytest.FixtureRequest,
    browser: Browser,
    app: Litestar,
    settings: Settings,
    live_server: str,
) -> Iterator[tuple[Page, list[str], bool]]:
    """A phone-sized page, with and without JavaScript, whose shortlist holds three
    counselors near Austin, after a readiness result that wants them by video."""
    javascript = request.param == "javascript"
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        found = page.request.get(
            f"{live_server}/api/counselors?zip=78701&sees=couples&format=video&per_page=3"
        ).json()
        slugs = [item["slug"] for item in found["items"]]
        data = {"readiness": couple_video("78701"), "shortlist": slugs}
        context.add_cookies(session_cookies(app, settings, data, live_server))
        yield page, slugs, javascript
    finally:
        context.close()


def test_a_booking_that_was_not_saved_is_said_first_and_focused(
    shortlisted: tuple[Page, list[str], bool], live_server: str, artifacts: Path
) -> None:
    page, slugs, javascript = shortlisted
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/shortlist")
    card = page.locator(".progress-list > li").first
    card.get_by_label("Progress").select_option("booked")
    card.get_by_role("button", name="Save progress").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("is not saved: Enter the date of the appointment, for example")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"]
    # What was chosen is still chosen, and the table still tells the truth.
    expect(card.get_by_label("Progress")).to_have_value("booked")
    expect(page.locator("table.compare tbody tr").first.locator("td").last).to_have_text(
        "Not contacted"
    )
    if javascript:  # axe runs in the page
        assert axe_violations(page) == []
        page.screenshot(path=str(artifacts / "shortlist-not-saved-phone.png"))

    summary.get_by_role("link").click()
    expect(page.locator(f"#booked-{slugs[0]}")).to_be_in_viewport()
    assert [p for p in watch.problems if "400 (Bad Request)" not in p] == []
    assert watch.foreign == []


def test_on_a_phone_the_comparison_rows_stay_short_and_scroll_sideways(
    shortlisted: tuple[Page, list[str], bool], live_server: str, artifacts: Path
) -> None:
    page, _, javascript = shortlisted
    page.goto(f"{live_server}/shortlist")
    rows = page.locator("table.compare tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("td").nth(7)).to_contain_text("couples")  # why it fits
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) < 240, f"rows {heights} px tall at 390 px wide"
    widest = page.locator("table.compare thead th").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert min(widest) >= 100, widest
    wrap = page.locator(".compare-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if javascript:
        wrap.screenshot(path=str(artifacts / "shortlist-compare-phone.png"))
        wrap.evaluate("el => { el.scrollLeft = el.scrollWidth - el.clientWidth - 120; }")
        wrap.screenshot(path=str(artifacts / "shortlist-compare-phone-scrolled.png"))


def test_without_javascript_adding_from_a_profile_is_confirmed_beside_the_button(
    no_js_page: Page, live_server: str
) -> None:
    page = no_js_page
    page.set_viewport_size(PHONE)
    found = page.request.get(f"{live_server}/api/counselors?format=video&per_page=1").json()
    slug = found["items"][0]["slug"]
    page.goto(f"{live_server}/counselors/{slug}")
    page.get_by_role("button", name="Add to shortlist").click()
    assert page.url.endswith(f"#shortlist-{slug}")
    said = page.locator(f"#shortlist-{slug}").get_by_role("status")
    expect(said).to_contain_text("Added to your shortlist.")
    expect(said).to_be_in_viewport()
    remove = page.get_by_role("button", name="Remove from shortlist")
    expect(remove).to_be_in_viewport()
    remove.click()
    expect(said).to_contain_text("Removed from your shortlist.")
    expect(page.get_by_role("button", name="Add to shortlist")).to_be_in_viewport()
