"""The prep sheet in Chromium: fill the form, preview it, print it to PDF on Letter and A4."""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from portal.models import Listing
from portal.prep import TEXTS
from portal.security import session_config
from portal.settings import Settings
from tests.browser.helpers import Watch, axe_violations
from tests.unit.test_prep_sheet import (
    COPARENTS,
    CRISIS,
    DISCREET_WORDS,
    JOINT_TEXT,
    SAFETY,
)

SCREEN_ONLY = ("Leave this site quickly", "Print", "Find a counselor", "Erase everything")

FULL = {
    "when": "Tuesday 14 March, 6:30 pm",
    "who": "Just me for the first session",
    "where": "Second floor, ask at the front desk",
    "why": "We can't talk about the kids without it turning into a fight, and I want "
    "handovers to stop being so tense. I'd like help finding a calmer way.",
    "hap_other": "Messages late at night",
    "changed": "We moved into separate homes in the autumn and the schedule changed.",
    "tried_other": "Writing things down before we talk.",
    "helped": "Taking a break helped a little; talking late in the evening never does.",
    "goal1": "Agree a weekly schedule that we both stick to",
    "goal2": "Handovers without arguments in front of the children",
    "goal3": "One way of messaging, only about the children",
    "know": "Fewer late-night messages, and the kids stop asking why we're upset.",
    "bg_children": "Two, aged 4 and 9",
    "bg_orders": "A temporary parenting order from last year",
    "bg_therapy": "Saw a counselor alone for six sessions; it helped me sleep.",
    "bg_health": "Migraines; I take sumatriptan",
    "bg_subst": "None",
    "bg_safety": "I'd rather talk about this in person",
    "q_own": "Can we do some sessions by video when the kids are with me?",
    "bring_other": "A notebook",
}
TYPED_MARKERS = ("Agree a weekly schedule", "Migraines", "A notebook")


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(unicodedata.normalize("NFKC", text).split())


def page_count_by_regex(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(tag + data))
        return struct.pack(">I", len(data)) + tag + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def save_first_page(pdf: bytes, page: Page, target: Path) -> None:
    """Page 1 of the PDF as a PNG (pypdfium2 when installed, else a print-media screenshot)."""
    try:
        import pypdfium2
    except ImportError:
        page.set_viewport_size({"width": 816, "height": 1056})
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 816, "height": 1056})
        return
    bitmap = pypdfium2.PdfDocument(pdf)[0].render(scale=1.5, rev_byteorder=True)
    buf, n = bytes(bitmap.buffer), bitmap.n_channels
    rows = []
    for y in range(bitmap.height):
        line = buf[y * bitmap.stride : y * bitmap.stride + bitmap.width * n]
        rows.append(line if n == 3 else b"".join(line[x : x + 3] for x in range(0, len(line), n)))
    target.write_bytes(_png(bitmap.width, bitmap.height, rows))


@pytest.fixture(scope="module")
def counselor(engine) -> Listing:
    with Session(engine) as db:
        listing = db.exec(select(Listing).order_by(Listing.slug.desc())).first()
        assert listing is not None
        db.expunge(listing)
        return listing


def session_cookies(app: Litestar, settings: Settings, data: dict, origin: str) -> list[dict]:
    """The session cookie the app would set for ``data``, host-only like the app's own."""
    with TestClient(
        app, base_url="http://127.0.0.1", session_config=session_config(settings)
    ) as client:
        client.set_session_data(data)
        return [
            {"name": name, "value": value, "url": origin} for name, value in client.cookies.items()
        ]


@pytest.fixture
def coparent_context(
    browser: Browser, app: Litestar, settings: Settings, live_server: str
) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(session_cookies(app, settings, {"readiness": COPARENTS}, live_server))
    yield context
    context.close()


def fill_everything(page: Page) -> None:
    for name, value in FULL.items():
        page.locator(f"[name='{name}']").fill(value)
    page.get_by_label("I checked the license with the state board").check()
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("A calm handover routine").check()
    page.get_by_label("One agreed way to communicate").check()
    page.get_by_label("I'll bring copies").check()


def test_fill_the_form_preview_and_print_on_letter_and_a4(
    coparent_context: BrowserContext, live_server: str, counselor: Listing, artifacts: Path
) -> None:
    page = coparent_context.new_page()
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/prep?counselor={counselor.slug}")
    expect(page.get_by_label(re.compile(re.escape(counselor.name)))).to_be_checked()
    expect(page.locator("input[name=hap][value=comm]")).to_be_checked()
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "prep-form-desktop.png"), full_page=True)

    fill_everything(page)
    page.get_by_role("button", name="Save and preview my sheet").click()
    expect(page).to_have_url(f"{live_server}/prep/sheet")
    sheet = page.locator("article.sheet")
    expect(sheet).to_contain_text(FULL["goal1"])
    expect(sheet).to_contain_text(counselor.name)
    expect(sheet.locator(".suggest")).to_contain_text("A readiness check suggested")
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "prep-preview-desktop.png"), full_page=True)

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this sheet")).to_be_hidden()
    expect(page.locator("#quick-exit")).to_be_hidden()
    counts = {}
    for size in ("Letter", "A4"):
        pdf = page.pdf(format=size)
        pages, text = pdf_text(pdf)
        counts[size] = pages
        assert page_count_by_regex(pdf) == pages
        assert 1 <= pages <= 2, f"{size}: {pages} pages"
        assert counselor.name in text
        assert counselor.licence_number in text
        for marker in TYPED_MARKERS:
            assert marker in text, (size, marker)
        for screen_only in SCREEN_ONLY:
            assert screen_only not in text, (size, screen_only)
        assert "This sheet is not medical advice." in text
        if size == "Letter":
            save_first_page(pdf, page, artifacts / "prep-sheet-page1.png")
    print(f"fully filled sheet: {counts}")
    assert watch.problems == [] and watch.foreign == []


def test_the_print_button_prints_without_inline_script(
    coparent_context: BrowserContext, live_server: str
) -> None:
    page = coparent_context.new_page()
    watch = Watch(page, live_server)
    page.add_init_script("window.print = function () { window.__printed = true; };")
    page.goto(f"{live_server}/prep/sheet")
    button = page.get_by_role("button", name="Print this sheet")
    assert button.get_attribute("onclick") is None
    button.click()
    expect(page.locator("html")).to_be_visible()
    assert page.evaluate("window.__printed === true")
    assert watch.problems == []


def test_the_blank_sheet_prints_on_two_pages_at_most(page: Page, live_server: str) -> None:
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/prep/blank")
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    for size in ("Letter", "A4"):
        pages, text = pdf_text(page.pdf(format=size))
        assert 1 <= pages <= 2, (size, pages)
        assert "My first-session notes" in text
        for screen_only in SCREEN_ONLY:
            assert screen_only not in text
    assert watch.problems == []


@pytest.mark.parametrize(
    ("case", "answers", "width"),
    [("safety", SAFETY, 390), ("crisis", CRISIS, 1280)],
)
def test_after_a_safety_or_crisis_result_the_printed_sheet_is_discreet_and_for_one(
    browser: Browser,
    app: Litestar,
    settings: Settings,
    live_server: str,
    artifacts: Path,
    case: str,
    answers: dict,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        context.add_cookies(session_cookies(app, settings, {"readiness": answers}, live_server))
        page = context.new_page()
        watch = Watch(page, live_server)
        page.goto(f"{live_server}/prep")
        expect(page.locator("input[name=discreet]")).to_be_checked()
        expect(page.locator("[name=who]")).to_have_count(0)
        expect(page.locator(".field-fixed")).to_contain_text("Just me")
        assert axe_violations(page) == []
        page.get_by_label("Goal 1").fill("Sleep through the night again")
        page.get_by_role("button", name="Save and preview my sheet").click()
        expect(page).to_have_url(f"{live_server}/prep/sheet")
        expect(page.locator("article.sheet")).to_be_visible()
        expect(page).to_have_title(re.compile("^Appointment notes"))
        assert axe_violations(page) == []
        page.screenshot(path=str(artifacts / f"prep-preview-{case}-{width}.png"), full_page=True)
        page.emulate_media(media="print")
        for size in ("Letter", "A4"):
            pages, text = pdf_text(page.pdf(format=size))
            assert 1 <= pages <= 2, (size, pages)
            assert text.startswith("Appointment notes")
            assert "Who is attending Just me" in text
            assert "Sleep through the night again" in text
            assert "What stays private, and what are the exceptions?" in text
            lowered = text.lower()
            for word in (*DISCREET_WORDS, *JOINT_TEXT):
                assert word not in lowered, (size, word)
        assert watch.problems == [] and watch.foreign == []
    finally:
        context.close()


def test_the_fullest_sheet_the_session_keeps_still_prints_on_two_pages(
    coparent_context: BrowserContext, live_server: str
) -> None:
    page = coparent_context.new_page()
    page.goto(f"{live_server}/prep")
    # Every field at its cap: the session keeps as much as fits beside the answers.
    for spec in TEXTS:
        if spec.name == "bg_preg":
            continue  # not asked of these co-parents: nobody is pregnant
        words = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40)[: spec.cap]
        page.locator(f"[name='{spec.name}']").fill(words.strip())
    page.get_by_role("button", name="Save and preview my sheet").click()
    page.get_by_role("link", name="See my sheet as it is now").click()
    expect(page).to_have_url(f"{live_server}/prep/sheet")
    expect(page.locator("article.sheet")).to_contain_text("Lorem ipsum")
    expect(page.locator(".prep-toolbar .note")).to_have_count(0)
    page.emulate_media(media="print")
    for size in ("Letter", "A4"):
        pages, _text = pdf_text(page.pdf(format=size))
        print(f"sheet with every field at its cap: {pages} {size} pages")
        assert pages == 2, (size, pages)
