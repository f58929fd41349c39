"""The prep sheet on paper, from Chromium's PDF: a sparse sheet fits one page and a full one two,
in Letter and A4; no section is split across a page break; the sections are numbered in order."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from litestar import Litestar
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select

from portal.models import Listing
from portal.prep import parse_form, to_session
from portal.settings import Settings
from tests.browser.helpers import Watch, axe_violations
from tests.browser.test_prep_browser import FULL, session_cookies
from tests.unit.test_prep_sheet import COPARENTS, MOTHER_AND_DAUGHTER

SIZES = ("Letter", "A4")


def squeeze(text: str) -> str:
    """Text without any white space: line breaks fall differently in the PDF and the page."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [squeeze(page.extract_text() or "") for page in reader.pages]
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == len(pages)
    return pages


def full_fields(counselor: Listing) -> dict:
    form = {name: [value] for name, value in FULL.items()}
    form.update(
        counselor=[counselor.slug],
        mode=["in_person"],
        lic_ok=["1"],
        cp=["handover", "channel"],
        bg_copies=["1"],
        inc_suggest=["1"],
        inc_happen=["1"],
        inc_tried=["1"],
        inc_bg=["1"],
        hap=["comm", "repeat", "parenting"],
        tried=["calm_time", "breaks", "support"],
    )
    parsed = parse_form(form)
    assert parsed.ok, parsed.too_long
    return to_session(parsed.values)


@pytest.fixture(scope="module")
def counselor(engine) -> Listing:
    with Session(engine) as db:
        listing = db.exec(select(Listing).order_by(Listing.slug)).first()
        assert listing is not None
        db.expunge(listing)
        return listing


@pytest.fixture
def sheet_page(
    browser: Browser, app: Litestar, settings: Settings, live_server: str
) -> Iterator[callable]:
    contexts = []

    def open_sheet(data: dict) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.add_cookies(session_cookies(app, settings, data, live_server))
        page = context.new_page()
        page.goto(f"{live_server}/prep/sheet")
        return page

    yield open_sheet
    for context in contexts:
        context.close()


def sections(page: Page) -> list[tuple[str, str]]:
    """(heading, the section's last words) of each numbered section, in order."""
    return page.eval_on_selector_all(
        "article.sheet section h2:not(.visually-hidden)",
        r"""hs => hs.map(h => {
            const section = h.parentElement.cloneNode(true);
            section.querySelectorAll(".visually-hidden").forEach(e => e.remove());
            const text = section.textContent.replace(/\s+/g, "");
            return [h.innerText.trim(), text.slice(-16)];
        })""",
    )


def check_paper(page: Page, expected_pages: int, artifacts: Path, name: str) -> None:
    found = sections(page)
    headings = [heading for heading, _end in found]
    numbers = [int(h.split(".")[0]) for h in headings]
    assert numbers == list(range(1, len(headings) + 1)), headings
    page.emulate_media(media="print")
    for size in SIZES:
        pdf = page.pdf(format=size)
        pages = pdf_pages(pdf)
        (artifacts / f"prep-{name}-{size.lower()}.pdf").write_bytes(pdf)
        assert len(pages) == expected_pages, (name, size, len(pages))
        text = "".join(pages)
        at = [text.find(squeeze(h)) for h in headings]
        assert -1 not in at and at == sorted(at), (size, headings)
        for heading, end in found:
            on = [i for i, p in enumerate(pages) if squeeze(heading) in p]
            assert len(on) == 1, (size, heading)
            assert squeeze(end) in pages[on[0]], f"{size}: section {heading!r} is split"
    page.emulate_media(media="screen")


def test_a_sparse_sheet_prints_on_one_page(sheet_page, live_server: str, artifacts: Path) -> None:
    page = sheet_page({"readiness": MOTHER_AND_DAUGHTER})
    watch = Watch(page, live_server)
    assert axe_violations(page) == []
    check_paper(page, 1, artifacts, "sparse")
    assert watch.problems == [] and watch.foreign == []


def test_a_full_sheet_prints_on_two_pages(
    sheet_page, live_server: str, counselor: Listing, artifacts: Path
) -> None:
    page = sheet_page({"readiness": COPARENTS, "prep": full_fields(counselor)})
    watch = Watch(page, live_server)
    assert counselor.phone in page.locator("article.sheet").inner_text()
    check_paper(page, 2, artifacts, "full")
    assert watch.problems == [] and watch.foreign == []


def test_without_javascript_printing_is_explained_in_words(
    browser: Browser, app: Litestar, settings: Settings, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        context.add_cookies(
            session_cookies(app, settings, {"readiness": MOTHER_AND_DAUGHTER}, live_server)
        )
        page = context.new_page()
        page.goto(f"{live_server}/prep/sheet")
        assert page.get_by_role("button", name="Print this sheet").count() == 0
        assert page.get_by_text("use your browser's Print command").is_visible()
    finally:
        context.close()
