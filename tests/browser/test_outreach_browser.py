"""A first message and a shortlist to act on, in Chromium at desktop and phone widths: copy
the message, the email link follows the text, the safe version shares nothing, the shortlist
compares side by side, records progress and saves calendar files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.web.rendering import longdate
from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_readiness_browser import finish
from tests.handoff_personas import safety_pregnant

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SITUATION_WORDS = ("couple", "partner", "parent", "relationship", "family", "pregnan")


@pytest.fixture(params=list(SIZES))
def sized(
    request: pytest.FixtureRequest, browser: Browser, live_server: str
) -> Iterator[tuple[str, Page, Watch]]:
    """The width's name, a page at that width (the clipboard allowed) and what it logs."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    try:
        page = context.new_page()
        yield request.param, page, Watch(page, live_server)
    finally:
        context.close()


def profile_path(page: Page, live_server: str, query: str = "format=video") -> str:
    page.goto(f"{live_server}/counselors?{query}")
    href = page.locator(".cards .card-title a").first.get_attribute("href")
    assert href
    return href


def mail_body(page: Page) -> str:
    href = page.locator("a[data-reach-mailto]").get_attribute("href") or ""
    return parse_qs(urlsplit(href).query)["body"][0]


def test_the_first_message_copies_and_the_email_link_follows_the_text(
    sized: tuple[str, Page, Watch], live_server: str, artifacts: Path
) -> None:
    size, page, watch = sized
    page.goto(live_server + profile_path(page, live_server))
    section = page.locator("#reach-out")
    section.scroll_into_view_if_needed()
    box = page.get_by_label("Your message")
    expect(box).to_contain_text("Are you taking new clients")
    expect(page.locator("[data-no-js-note]")).to_be_hidden()

    page.get_by_role("button", name="Copy the message").click()
    expect(section.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == box.input_value()

    assert mail_body(page) == box.input_value().replace("\n", "\r\n")
    box.press("Control+End")
    box.type(" I can talk after 5.")
    assert mail_body(page).endswith("Thank you, I can talk after 5.")

    # Choosing what to say rewrites the message in place.
    page.evaluate("window.__stillHere = true")
    section.locator("summary").click()
    section.get_by_label("Video").check()
    section.get_by_label("Your first name").fill("Sam")
    section.get_by_role("button", name="Update the message").press("Enter")
    expect(page.get_by_label("Your message")).to_contain_text("I would like to meet by video.")
    # The keyboard stays where it was, never a Tab away from "Erase everything".
    expect(page.get_by_role("button", name="Update the message")).to_be_focused()
    expect(page.get_by_label("Your message")).to_contain_text("Thank you,\nSam")
    assert page.evaluate("window.__stillHere === true")
    expect(section.locator(".phone-script")).to_contain_text("Hello, my name is Sam.")
    expect(page.get_by_role("button", name="Copy the message")).to_be_visible()

    assert axe_violations(page) == []
    assert watch.problems == [] and watch.foreign == []
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"reach-out-{size}.png"), full_page=False)


def test_without_javascript_the_message_is_there_to_select(
    no_js_page: Page, live_server: str
) -> None:
    page = no_js_page
    page.goto(live_server + profile_path(page, live_server))
    expect(page.get_by_role("button", name="Copy the message")).to_be_hidden()
    expect(page.locator("[data-no-js-note]")).to_be_visible()
    page.locator("#reach-out summary").click()
    page.locator("#reach-out").get_by_label("Say I need evening or weekend times").check()
    page.get_by_role("button", name="Update the message").click()
    expect(page.get_by_label("Your message")).to_contain_text("evening or at the weekend")
    assert "evening" in mail_body(page)


def test_after_a_safety_result_the_message_shares_nothing(
    sized: tuple[str, Page, Watch], live_server: str, artifacts: Path
) -> None:
    size, page, watch = sized
    finish(page, live_server, {**safety_pregnant("60614"), "P2": ["video"]}, check_axe=False)
    page.goto(live_server + profile_path(page, live_server, "sees=individuals"))
    section = page.locator("#reach-out")
    expect(section).to_contain_text("says nothing about your situation")
    said = " ".join(
        [
            page.get_by_label("Your message").input_value(),
            mail_body(page),
            section.locator(".phone-script").inner_text(),
        ]
    ).lower()
    for word in (*SITUATION_WORDS, "video"):
        assert word not in said, word
    assert "please do not leave a detailed message." in said
    section.locator("summary").click()
    section.get_by_label("When can they safely call you back?").fill("weekdays 10 to 12")
    section.get_by_role("button", name="Update the message").click()
    expect(page.get_by_label("Your message")).to_contain_text(
        "The best time to reach me is weekdays 10 to 12."
    )
    expect(section.get_by_label("Video")).to_have_count(0)
    assert axe_violations(page) == []
    assert watch.problems == [] and watch.foreign == []
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"reach-out-safe-{size}.png"), full_page=False)


def add_to_shortlist(page: Page, live_server: str, n: int) -> list[str]:
    page.goto(f"{live_server}/counselors?format=in-person")
    hrefs = page.locator(".cards .card-title a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )[:n]
    names = []
    for href in hrefs:
        page.goto(live_server + href)
        names.append(page.locator("h1").inner_text().split(" (")[0])
        page.get_by_role("button", name="Add to shortlist").click()
        expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()
    return names


def test_the_shortlist_compares_tracks_and_saves_calendar_files(
    sized: tuple[str, Page, Watch], live_server: str, artifacts: Path
) -> None:
    size, page, watch = sized
    names = add_to_shortlist(page, live_server, 3)
    page.goto(f"{live_server}/shortlist")
    table = page.locator("table.compare")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody th > a")).to_have_text(names)
    wrap = page.locator(".compare-wrap")
    if size == "phone":
        # The table scrolls sideways inside its box, the page does not, and names stay put.
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        first = table.locator("tbody th").first
        left = first.bounding_box()["x"]
        wrap.evaluate("el => { el.scrollLeft = 300; }")
        assert first.bounding_box()["x"] == pytest.approx(left, abs=1)
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / f"shortlist-{size}.png"), full_page=True)

    # Booked, with the date.
    card = page.locator(".progress-list > li").first
    card.get_by_label("Progress").select_option("booked")
    day = (date.today() + timedelta(days=10)).isoformat()
    card.get_by_label("Appointment date").fill(day)
    card.get_by_role("button", name="Save progress").click()
    booked = f"Booked: {longdate(date.fromisoformat(day))}"
    expect(table.locator("tbody tr").first.locator("td").last).to_have_text(booked)
    second = page.locator(".progress-list > li").nth(1)
    second.get_by_label("Progress").select_option("left")
    second.get_by_role("button", name="Save progress").click()
    expect(table.locator("tbody tr").nth(1).locator("td").last).to_have_text("Message left")

    card = page.locator(".progress-list > li").first
    with page.expect_download() as download:
        card.get_by_role("button", name="Save the appointment to a calendar").click()
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert "SUMMARY:Appointment\r\n" in text
    assert f"DTSTART;VALUE=DATE:{day.replace('-', '')}" in text
    assert names[0].split()[-1] not in text
    assert download.value.suggested_filename == "appointment.ics"

    with page.expect_download() as check_in:
        page.get_by_role("button", name="Save the date to a calendar").click()
    assert "SUMMARY:Check in again" in Path(check_in.value.path()).read_bytes().decode("utf-8")

    # A mistyped date is explained beside the field and kept.
    card.get_by_label("Appointment date").fill("2099-01-01")
    card.get_by_role("button", name="Save progress").click()
    expect(page.get_by_role("alert")).to_contain_text("Check the year")
    expect(
        page.locator(".progress-list > li").first.get_by_label("Appointment date")
    ).to_have_value("2099-01-01")
    assert axe_violations(page) == []

    page.goto(f"{live_server}/shortlist")
    expect(page.get_by_role("button", name="Print this list")).to_be_visible()
    page.emulate_media(media="print")
    expect(table).to_be_visible()
    expect(page.locator(".progress-list")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this list")).to_be_hidden()
    page.screenshot(path=str(artifacts / f"shortlist-print-{size}.png"), full_page=True)
    page.emulate_media(media="screen")
    # The one 400 is the answer to the mistyped date, which the page explains.
    assert [p for p in watch.problems if "400 (Bad Request)" not in p] == []
    assert watch.foreign == []


def test_without_javascript_printing_is_explained(no_js_page: Page, live_server: str) -> None:
    page = no_js_page
    add_to_shortlist_plain(page, live_server)
    page.goto(f"{live_server}/shortlist")
    expect(page.locator("#print-h + p")).to_contain_text("Print command")
    expect(page.get_by_role("button", name="Print this list")).to_be_hidden()


def add_to_shortlist_plain(page: Page, live_server: str) -> None:
    page.goto(live_server + profile_path(page, live_server))
    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_role("button", name="Remove from shortlist")).to_be_visible()
