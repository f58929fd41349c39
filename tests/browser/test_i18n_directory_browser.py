"""A Spanish-speaking person in Chromium: the check in Spanish to a result, the directory, a
counselor put on the shortlist, and the prep sheet printed in Spanish."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.helpers import axe_violations
from tests.browser.test_i18n_browser import spanish_page, walk_in_spanish
from tests.browser.test_prep_browser import pdf_text


def test_in_spanish_from_the_check_to_a_printed_sheet(browser: Browser, live_server: str) -> None:
    page = spanish_page(browser)
    try:
        walk_in_spanish(page, live_server, js=True)
        page.get_by_role("link", name="Ver consejeros adecuados").first.click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.locator("#result-count")).to_contain_text("coincid")
        assert axe_violations(page) == []

        page.locator(".card-title a").first.click()
        expect(page.get_by_role("heading", name="Disponibilidad y contacto")).to_be_visible()
        page.get_by_role("button", name="Agregar a mi lista").click()
        expect(page.get_by_role("button", name="Quitar de mi lista")).to_be_visible()
        expect(page.locator(".shortlist-note")).to_contain_text("Se agregó a su lista.")
        assert axe_violations(page) == []

        page.goto(f"{live_server}/shortlist")
        expect(page.get_by_role("heading", name="Uno al lado del otro")).to_be_visible()
        assert axe_violations(page) == []

        page.get_by_role("link", name="Prepararse para una primera sesión").first.click()
        expect(page.get_by_role("group", name="1. Cita")).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Guardar y ver mi hoja").click()
        expect(page).to_have_url(f"{live_server}/prep/sheet")
        expect(page.get_by_role("heading", name="Después de la sesión")).to_be_visible()
        assert axe_violations(page) == []

        page.emulate_media(media="print")
        _, text = pdf_text(page.pdf(format="Letter"))
        for said in ("Cita", "Por qué voy", "Preguntas para hacer", "Después de la sesión"):
            assert said in text, said
        for english in ("After the session", "Questions to ask", "Why I'm going"):
            assert english not in text, english
    finally:
        page.context.close()
