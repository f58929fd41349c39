"""The result page names what the free text was read as, and keeps the way to correct it."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.readiness_answers import vignette
from tests.web.helpers import soup
from tests.web.test_readiness_pages import walk


def note(client: TestClient, f1: str):
    walk(client, {**vignette("partner"), "F1": f1})
    # Crisis words are answered by the crisis page first; the result keeps them.
    page = soup(client.get("/readiness/result").text)
    return page.select_one("p.note"), page


def test_abuse_in_free_text_is_named_in_plain_words_with_a_way_to_correct_it(
    client: TestClient,
) -> None:
    found, page = note(client, "he reads my texts and tracks my location")
    assert "Safety first" in page.get_text()
    text = found.get_text(" ", strip=True)
    assert "your messages or location being watched" in text
    assert "“he reads my texts”" in text
    assert found.select_one("a")["href"] == "/readiness/step/impact#q-F1"


def test_crisis_in_free_text_is_named_and_gives_the_crisis_result(client: TestClient) -> None:
    found, page = note(client, "Lately I feel like everyone would be better off without me")
    assert "988" in page.get_text()
    assert "thoughts of not wanting to live" in found.get_text(" ", strip=True)


def test_ordinary_free_text_shows_no_note(client: TestClient) -> None:
    found, _page = note(client, "we argue about money and there's a lot of yelling")
    assert found is None


def test_in_spanish_what_was_read_is_named_in_spanish(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    found, _page = note(client, "me pega cuando se enoja")
    text = found.get_text(" ", strip=True)
    assert "golpes o daño físico" in text
    assert "being hit or physically hurt" not in text
