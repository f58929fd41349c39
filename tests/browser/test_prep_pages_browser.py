"""The prep sheet on paper, from Chromium's PDF: a sparse sheet fits one page and a full one two,
in Letter and A4, in English and in the longer Spanish; no section is split across a page break;
the sections are numbered in order; the type is large enough to read and the lines to write on."""

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
LANGUAGES = ("en-US", "es-US")
BODY_PT = 10  # the sheet's running text
SMALLEST_PT = 8.5  # anything a person has to read
FOOT_PT = 8  # the small print at the foot
WRITE_MM = 5.4  # a line to write on by hand, as high as narrow-ruled paper


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

    def open_sheet(data: dict, locale: str = "en-US") -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        context.add_cookies(session_cookies(app, settings, data, live_server))
        page = context.new_page()
        page.goto(f"{live_server}/prep/sheet")
        assert page.locator("html").get_attribute("lang") == locale[:2]
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


def type_on_paper(page: Page) -> dict[str, float]:
    """In print: the sheet's body size, the smallest type outside and inside its foot (points),
    and the lowest line to write on (millimetres)."""
    page.emulate_media(media="print")
    found = page.evaluate(
        r"""() => {
            const sheet = document.querySelector("article.sheet");
            const pt = el => parseFloat(getComputedStyle(el).fontSize) * 0.75;
            let text = Infinity, foot = Infinity;
            const walk = document.createTreeWalker(sheet, NodeFilter.SHOW_TEXT);
            for (let node = walk.nextNode(); node; node = walk.nextNode()) {
                const el = node.parentElement;
                if (!node.textContent.trim() || el.closest(".visually-hidden")) continue;
                if (el.closest(".sheet-foot")) foot = Math.min(foot, pt(el));
                else text = Math.min(text, pt(el));
            }
            const lines = [...sheet.querySelectorAll(".write")]
                .map(w => w.getBoundingClientRect().height * 25.4 / 96);
            return {body: pt(sheet), text, foot, write: Math.min(...lines)};
        }"""
    )
    page.emulate_media(media="screen")
    return {name: round(value, 1) for name, value in found.items()}


def check_type(page: Page) -> None:
    found = type_on_paper(page)
    assert found["body"] >= BODY_PT, found
    assert found["text"] >= SMALLEST_PT, found
    assert found["foot"] >= FOOT_PT, found
    assert found["write"] >= WRITE_MM, found


@pytest.mark.parametrize("locale", LANGUAGES)
def test_a_sparse_sheet_prints_on_one_page(
    sheet_page, live_server: str, artifacts: Path, locale: str
) -> None:
    page = sheet_page({"readiness": MOTHER_AND_DAUGHTER}, locale)
    watch = Watch(page, live_server)
    assert axe_violations(page) == []
    check_type(page)
    check_paper(page, 1, artifacts, f"sparse-{locale[:2]}")
    assert watch.problems == [] and watch.foreign == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_a_full_sheet_prints_on_two_pages(
    sheet_page, live_server: str, counselor: Listing, artifacts: Path, locale: str
) -> None:
    page = sheet_page({"readiness": COPARENTS, "prep": full_fields(counselor)}, locale)
    watch = Watch(page, live_server)
    assert counselor.phone in page.locator("article.sheet").inner_text()
    check_type(page)
    check_paper(page, 2, artifacts, f"full-{locale[:2]}")
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
