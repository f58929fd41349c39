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
