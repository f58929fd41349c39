"""The result page names what the free text was read as, once, and keeps the way to correct it;
in Spanish it names it in Spanish, on the crisis page, the result and the prep sheet."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.readiness_answers import vignette
from tests.web.helpers import csrf_token, soup
from tests.web.test_readiness_pages import walk

SUICIDE_ES = "a veces pienso en quitarme la vida"
WATCHED_ES = "revisa mi teléfono"


def note(client: TestClient, f1: str):
    walk(client, {**vignette("partner"), "F1": f1})
    # Crisis words are answered by the crisis page first; the result keeps them.
    page = soup(client.get("/readiness/result").text)
    return page.select_one(".reasons li[data-reason$='_DISCLOSURE']"), page


def test_abuse_in_free_text_is_named_in_plain_words_with_a_way_to_correct_it(
    client: TestClient,
) -> None:
    found, page = note(client, "he reads my texts and tracks my location")
    assert "Safety first" in page.get_text()
    text = found.get_text(" ", strip=True)
    assert "your messages or location being watched" in text
    assert "“he reads my texts”" in text
    assert found.select_one("p.note a")["href"] == "/readiness/step/impact#q-F1"


def test_crisis_in_free_text_is_named_and_gives_the_crisis_result(client: TestClient) -> None:
    found, page = note(client, "Lately I feel like everyone would be better off without me")
    assert "988" in page.get_text()
    assert "thoughts of not wanting to live" in found.get_text(" ", strip=True)
    assert found.select_one("p.note a")["href"] == "/readiness/step/impact#q-F1"


def test_ordinary_free_text_shows_no_note(client: TestClient) -> None:
    found, page = note(client, "we argue about money and there's a lot of yelling")
    assert found is None
    assert page.select_one("a[href='/readiness/step/impact#q-F1']") is None


def test_what_was_read_is_said_once(client: TestClient) -> None:
    _found, page = note(client, "he reads my texts and a veces pienso en quitarme la vida")
    said = page.select_one("article").get_text(" ", strip=True)
    assert said.count("“he reads my texts”") == 1
    assert said.count("“a veces pienso en quitarme la vida”") == 1
    assert len(page.select("a[href='/readiness/step/impact#q-F1']")) == 2  # one per reason


def test_in_spanish_what_was_read_is_named_in_spanish(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    found, _page = note(client, "me pega cuando se enoja")
    text = found.get_text(" ", strip=True)
    assert "golpes o daño físico" in text
    assert "being hit or physically hurt" not in text
    assert "Cambiar lo que escribió" in found.select_one("p.note").get_text()


def test_in_spanish_crisis_words_are_named_in_spanish_on_the_crisis_page_and_the_result(
    client: TestClient,
) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": {**vignette("partner"), "F1": SUICIDE_ES}})
    for path in ("/readiness/crisis", "/readiness/result"):
        said = soup(client.get(path).text).select_one("article").get_text(" ", strip=True)
        assert "nos habla de pensamientos de no querer vivir" in said, path
        assert "thoughts of not wanting to live" not in said, path


def test_in_spanish_a_watched_phone_is_named_in_spanish_on_the_result_and_the_sheet(
    client: TestClient,
) -> None:
    client.cookies.set("lang", "es")
    client.set_session_data({"readiness": {**vignette("partner"), "F1": WATCHED_ES}})
    result = soup(client.get("/readiness/result").text).select_one("article")
    token = csrf_token(client, "/prep/sheet")
    client.post("/prep/mode", data={"discreet": "0", "_csrf_token": token})
    sheet = soup(client.get("/prep/sheet").text).select_one("article.sheet")
    for page in (result, sheet):
        said = page.get_text(" ", strip=True)
        assert "nos habla de que vigilen sus mensajes o dónde está" in said
        assert "your messages or location being watched" not in said
