"""Spanish wording that reads right for the person: what the free text was read as, in the
page's language, and forms that fit a person of any gender."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from portal.i18n import DEFAULT, LOCALE_DIR, Localized, translate
from portal.readiness.lexicon import describe, screen


def test_what_was_read_is_described_in_the_language_asked_for() -> None:
    kinds = describe(screen("revisa mi teléfono y a veces pienso en quitarme la vida"))
    assert isinstance(kinds, Localized)
    assert kinds == ("your messages or location being watched and thoughts of not wanting to live")
    assert translate(kinds, "es") == (
        "que vigilen sus mensajes o dónde está y pensamientos de no querer vivir"
    )
    assert translate(kinds, DEFAULT) == kinds


def test_a_localized_value_inside_a_text_is_said_in_the_page_language() -> None:
    said = Localized("call or text 988", {"es": "call 988 and press 2"})
    assert translate("Please {reach} now", "es", {"reach": said}) == (
        "Please llame al 988 y oprima 2 now"
    )
    assert translate("Please {reach} now", "en", {"reach": said}) == ("Please call or text 988 now")


MASCULINE_ONLY = re.compile(
    r"\b(?:(?:esté|se sienta|se siente) listo|me sentí (?:escuchado|respetado)"
    r"|está seguro de|yo mismo|usted mismo|sí mismo|me siento cómodo|un cliente nuevo"
    r"|ser cliente nuevo)\b"
    r"(?! o (?:lista|segura|escuchada|respetada|misma|cómoda)\b)"
)
"""Words to the reader that assume a man ("cuando esté listo"); the catalogs say
"listo o lista", "seguro o segura". Sentences about "uno de los dos" or "quien" are general."""


@pytest.mark.parametrize("domain", ["messages", "content"])
def test_the_spanish_catalogs_speak_to_a_person_of_any_gender(domain: str) -> None:
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / f"{domain}.po").open("rb") as fp:
        catalog = read_po(fp)
    found = []
    for message in catalog:
        if not message.id or not isinstance(message.string, str):
            continue
        for match in MASCULINE_ONLY.finditer(message.string):
            before = message.string[max(0, match.start() - 20) : match.start()]
            if not re.search(r"\b(?:uno de los dos|quien|alguno)\s*(?:no\s*)?$", before):
                found.append(message.string[max(0, match.start() - 30) : match.end() + 10])
    assert found == []
