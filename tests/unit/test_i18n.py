"""Languages: which one a person gets, and the Spanish catalog of the site's own wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import (
    LOCALE_DIR,
    N_,
    Text,
    from_accept_language,
    local_path,
    negotiate,
    translate,
    translations,
)
from portal.i18n.extract import extract_json
from portal.paths import SEED_DIR
from portal.resources import crisis_lines, in_language

MESSAGES_PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_0-9]+\}|</?[a-z]+[^>]*>")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-US,es;q=0.9,en;q=0.8", "es"),
        ("es", "es"),
        ("es-MX", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("en;q=0.5, es;q=0.7", "es"),
        ("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "es"),
        ("fr-FR,fr;q=0.9", "en"),
        ("es;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("es;q=abc, en;q=0.1", "en"),
    ],
)
def test_accept_language_decides_between_spanish_and_english(header, expected):
    assert from_accept_language(header) == expected


def test_the_persons_choice_wins_over_the_browser():
    assert negotiate("en", "es-US,es") == "en"
    assert negotiate("es", "en-US") == "es"
    assert negotiate("klingon", "es") == "es"  # an unknown cookie value is ignored
    assert negotiate(None, None) == "en"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/readiness/step/start", "/readiness/step/start"),
        ("/counselors?zip=90033&q=espa%C3%B1ol", "/counselors?zip=90033&q=espa%C3%B1ol"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_the_switch_only_goes_back_to_a_page_of_this_site(target, expected):
    assert local_path(target) == expected


def _catalog():
    with MESSAGES_PO.open("rb") as fp:
        return read_po(fp)


def test_every_message_has_a_spanish_translation():
    untranslated = [
        m.id
        for m in _catalog()
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert not [m.id for m in _catalog() if m.id and m.fuzzy]


def test_translations_keep_every_placeholder_and_tag():
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == wanted, message.id


def test_spanish_plural_forms_are_declared():
    catalog = _catalog()
    assert catalog.num_plurals >= 2
    es = translations("es")
    assert es.ngettext("Please check this answer", "Please check these answers", 1) == (
        "Por favor, revise esta respuesta"
    )
    assert es.ngettext("Please check this answer", "Please check these answers", 3) == (
        "Por favor, revise estas respuestas"
    )


def test_the_catalog_holds_every_marked_text_of_the_code_and_templates(tmp_path):
    """A text marked in a template or in Python but missing from messages.po shows in English:
    `make i18n-extract` brings it in."""
    from babel.messages.frontend import CommandLineInterface

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "messages.pot"
    config = str(root / "babel.cfg")
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", config, "-k", "N_", "-o", str(out), str(root)]
    )
    with out.open("rb") as fp:
        extracted = {m.id for m in read_po(fp) if m.id}
    known = {m.id for m in _catalog() if m.id}
    assert extracted - known == set()


def test_text_reads_in_english_and_translates_its_template_before_filling():
    text = Text(N_("Please keep this to {max} characters or fewer (you have {n})."), max=5, n=9)
    assert text == "Please keep this to 5 characters or fewer (you have 9)."
    assert translate(text, "es") == "Por favor, use 5 caracteres o menos (ahora tiene 9)."
    assert translate(text, "en") == text


def test_a_text_with_no_translation_shows_in_english():
    assert translate("Something the catalog has never seen", "es") == (
        "Something the catalog has never seen"
    )
    assert translate("{not a placeholder}", "es") == "{not a placeholder}"
    assert translate(None, "es") == ""


def test_the_json_extractor_reads_the_crisis_lines_shown_to_people():
    with (SEED_DIR / "crisis_lines.json").open("rb") as fp:
        found = [m for _, _, m, _ in extract_json(fp, (), (), {"keys": "name contact banner"})]
    assert "988 Suicide & Crisis Lifeline" in found
    assert "Call 988 and press 2, or text AYUDA to 988" in found
    assert not any(m.startswith("Crisis and support lines shown") for m in found)  # _about


def test_crisis_lines_in_spanish_give_their_spanish_options():
    by_id = crisis_lines()["by_id"]
    line988 = in_language(by_id["988"], "es")
    assert line988["sms"] == "sms:988?&body=AYUDA"
    assert translate(line988["banner"], "es") == "Llame al 988 y oprima 2"
    assert "AYUDA" in translate(line988["contact"], "es")
    assert in_language(by_id["988"], "en")["sms"] == "sms:988"
    assert "español" in translate(in_language(by_id["dv-hotline"], "es")["contact"], "es")
    assert "español" in translate(in_language(by_id["tlc-mama"], "es")["contact"], "es")


def test_the_two_catalogs_never_translate_one_text_two_ways() -> None:
    """They are merged into one lookup, so a text in both would get one of its translations
    everywhere ("Phone" the number would read "Por teléfono", the way to meet)."""
    folder = LOCALE_DIR / "es" / "LC_MESSAGES"
    catalogs = []
    for domain in ("messages", "content"):
        with (folder / f"{domain}.po").open("rb") as fp:
            catalogs.append({m.id: m.string for m in read_po(fp) if m.id})
    messages, content = catalogs
    assert {
        k: (messages[k], content[k])
        for k in messages.keys() & content.keys()
        if messages[k] != content[k]
    } == {}
