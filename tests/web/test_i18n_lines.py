"""Every page and sheet in Spanish reaches each line the Spanish way (988: press 2, AYUDA, the
Spanish chat; the Hotline: ask for Spanish), from the one list in seed/crisis_lines.json, and
the Spanish prep sheet says its own labels in Spanish."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.readiness_answers import vignette
from tests.unit.test_prep_sheet import CRISIS, SAFETY
from tests.web.helpers import csrf_token, soup

ENGLISH_WAYS = (
    "llame o envíe un mensaje de texto al 988",
    "mensaje de texto al 988,",
    "llame al 988;",
    "envíe start",
    "(safe)",
    "988lifeline.org",
    "envíe home",
)
"""How a page in English reaches a line, said in Spanish (lower case)."""


def full_sheet(client: TestClient) -> str:
    token = csrf_token(client, "/prep/sheet")
    client.post("/prep/mode", data={"discreet": "0", "_csrf_token": token})
    sheet = soup(client.get("/prep/sheet").text).select_one("article.sheet")
    return sheet.get_text(" ", strip=True)


def test_the_988_chat_on_a_spanish_page_is_the_spanish_chat(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    chat = soup(client.get("/help").text).select_one("#line-988 a[href^='https://988']")
    assert chat["href"].startswith("https://988lineadevida.org")
    client.cookies.set("lang", "en")
    chat = soup(client.get("/help").text).select_one("#line-988 a[href^='https://988']")
    assert chat["href"].startswith("https://988lifeline.org")


def test_the_crisis_page_in_spanish_says_press_2_in_its_title_and_its_words(
    client: TestClient,
) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": {**vignette("partner"), "C1": "yes", "C2": "yes"}})
    page = soup(client.get("/readiness/crisis").text)
    title = page.title.get_text()
    assert "llame al 988 y oprima 2" in title
    said = page.select_one("article").get_text(" ", strip=True).lower()
    for words in ENGLISH_WAYS:
        assert words not in title.lower() and words not in said, words


@pytest.mark.parametrize("path", ["/readiness/result", "/about/sources", "/help"])
def test_spanish_pages_ask_for_988_the_spanish_way(client: TestClient, path: str) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": CRISIS})
    said = soup(client.get(path).text).select_one("main").get_text(" ").lower()
    assert "llame al 988 y oprima 2" in said
    for words in ENGLISH_WAYS:
        assert words not in said, words


def test_the_full_sheet_in_spanish_reaches_each_line_the_spanish_way(
    client: TestClient,
) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": CRISIS})
    said = full_sheet(client)
    assert "Llame al 988 y oprima 2, o envíe AYUDA" in said
    assert "Llame al 1-800-799-7233 y pida hablar en español" in said
    said = said.lower()
    for words in ENGLISH_WAYS:
        assert words not in said, words


def test_the_discreet_sheet_in_spanish_gives_988_the_spanish_way(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": CRISIS})
    footer = soup(client.get("/prep/sheet").text).select_one(".sheet-foot").get_text(" ")
    assert "Línea de apoyo: 988, oprima 2" in footer


def test_the_discreet_sheet_in_english_keeps_its_line(client: TestClient) -> None:
    client.set_session_data({"readiness": CRISIS})
    footer = soup(client.get("/prep/sheet").text).select_one(".sheet-foot").get_text(" ")
    assert "Support line: 988 · 24/7" in footer


@pytest.mark.parametrize("discreet", [True, False])
def test_the_spanish_sheet_after_a_safety_result_says_who_and_its_groups_in_spanish(
    client: TestClient, discreet: bool
) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": SAFETY})
    if discreet:
        said = soup(client.get("/prep/sheet").text).select_one("article.sheet")
        said = said.get_text(" ", strip=True)
        assert "Planear con tiempo:" in said
        assert "Planning ahead" not in said
    else:
        said = full_sheet(client)
    assert "Quién va a asistir Solo yo" in said
    assert "Just me" not in said


def test_the_crisis_text_line_in_spanish_is_texted_ayuda(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    line = soup(client.get("/help").text).select_one("#line-crisis-text-line")
    assert "Envíe AYUDA por mensaje de texto al 741741" in line.get_text(" ", strip=True)
    assert line.select_one("a[href^='sms:741741']")["href"] == "sms:741741?&body=AYUDA"
    client.cookies.set("lang", "en")
    line = soup(client.get("/help").text).select_one("#line-crisis-text-line")
    assert line.select_one("a[href^='sms:741741']")["href"] == "sms:741741?&body=HOME"
