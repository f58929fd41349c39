"""A counselor confirms their listing through its link; a person reports whether they reached
one, with JavaScript (htmx answers in place) and without. On a server and database of their
own: confirming changes the listing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from portal.app import create_app
from portal.directory import confirm, query
from portal.models import Listing, ListingReport
from portal.settings import Settings
from tests.browser.conftest import serve
from tests.browser.helpers import Watch, axe_violations
from tests.conftest import TEST_SECRET, copy_database

L = Listing.__table__
REPORT = ListingReport.__table__


@pytest.fixture(scope="module")
def own_engine(seeded_sqlite: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = copy_database(seeded_sqlite, tmp_path_factory.mktemp("abrowser") / "a.db")
    yield engine
    engine.dispose()
    query.clear_caches()


@pytest.fixture(scope="module")
def own_server(own_engine: Engine) -> Iterator[str]:
    settings = Settings(
        database_url=own_engine.url.render_as_string(hide_password=False),
        secret_key=TEST_SECRET,
        rate_limit_posts_per_minute=100_000,
    )
    with serve(create_app(settings, own_engine)) as url:
        yield url


def _slug(engine: Engine, offset: int) -> str:
    with engine.connect() as conn:
        return conn.execute(
            select(L.c.slug).where(L.c.zip.is_not(None)).order_by(L.c.slug).offset(offset).limit(1)
        ).scalar_one()


def test_a_counselor_confirms_their_listing_through_its_link(
    page: Page, own_server: str, own_engine: Engine
) -> None:
    slug = _slug(own_engine, 0)
    with own_engine.begin() as conn:
        token = confirm.issue_link(conn, TEST_SECRET, slug, confirm.utc_now())
    watch = Watch(page, own_server)
    page.goto(own_server + confirm.link_path(slug, token))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your availability")
    assert axe_violations(page) == []
    page.get_by_label("Existing clients only").check()
    page.get_by_label("Lowest").fill("85")
    page.get_by_label("Highest").fill("60")
    page.get_by_role("button", name="Save and confirm").click()
    expect(page.locator(".error-summary")).to_contain_text("cannot be below the lowest")
    expect(page.get_by_label("Lowest")).to_have_value("85")  # nothing typed is lost
    expect(page.get_by_label("Existing clients only")).to_be_checked()
    assert axe_violations(page) == []
    page.get_by_label("Highest").fill("130")
    page.get_by_role("button", name="Save and confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your listing is confirmed")
    page.get_by_role("link", name="See the listing").click()
    today = date.today()
    expect(page.locator(".profile-head .availability")).to_contain_text(
        f"Confirmed by the counselor on {today:%B} {today.day}, {today.year}"
    )
    expect(page.locator(".profile-side")).to_contain_text("Not taking new clients")
    page.goto(own_server + confirm.link_path(slug, token))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    # The form with a mistake comes back as a 400 and the used link as a 410: the browser
    # logs each status; nothing else may appear.
    problems = [p for p in watch.problems if "Failed to load resource" not in p]
    assert problems == [] and watch.foreign == []


def test_a_person_reports_an_outcome_from_a_profile(
    page: Page, own_server: str, own_engine: Engine
) -> None:
    slug = _slug(own_engine, 1)
    watch = Watch(page, own_server)
    page.goto(f"{own_server}/counselors/{slug}")
    page.evaluate("window.__stillHere = true")
    report = page.locator("#report")
    expect(report).to_contain_text("Did you try to reach them?")
    report.get_by_label("Got a consultation").check()
    report.get_by_role("button", name="Send").click()
    expect(report).to_contain_text("Thank you")
    assert page.evaluate("window.__stillHere === true"), "htmx answered in place"
    assert axe_violations(page) == []
    page.reload()
    report.get_by_label("No answer after a week").check()
    report.get_by_role("button", name="Send").click()
    expect(report).to_contain_text("You already answered")
    with own_engine.connect() as conn:
        stored = conn.execute(select(REPORT).where(REPORT.c.listing_slug == slug)).all()
    assert [(r.outcome, r.day) for r in stored] == [("got_consult", date.today())]
    assert watch.problems == [] and watch.foreign == []


def test_reporting_works_without_javascript(
    no_js_page: Page, own_server: str, own_engine: Engine
) -> None:
    slug = _slug(own_engine, 2)
    page = no_js_page
    page.goto(f"{own_server}/counselors/{slug}")
    page.get_by_label("Not taking new clients").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#report")).to_contain_text("Thank you")
    assert f"/counselors/{slug}?reported=thanks" in page.url
