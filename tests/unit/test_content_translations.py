"""Every text kept as data that a person can see has a Spanish translation in the content
catalog, with its placeholders kept."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from babel.messages.pofile import read_po

from portal.locales.data_strings import PACKAGE_DIR, SOURCES, DataString, all_strings

CONTENT_PO = PACKAGE_DIR / "locales" / "es" / "LC_MESSAGES" / "content.po"
PLACEHOLDER = re.compile(r"\{\w*\}")


def _catalog() -> dict[str, str]:
    with CONTENT_PO.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and not m.fuzzy}


def missing(strings: list[DataString], spanish: dict[str, str]) -> list[str]:
    """Where a data string has no Spanish, or its Spanish loses or adds a placeholder."""
    problems = []
    for s in strings:
        translated = spanish.get(s.text, "")
        if not translated.strip():
            problems.append(f"{s.location}: no Spanish for {s.text!r}")
        elif sorted(PLACEHOLDER.findall(s.text)) != sorted(PLACEHOLDER.findall(translated)):
            problems.append(f"{s.location}: placeholders differ in {translated!r}")
    return problems


def test_the_catalog_is_a_spanish_gettext_catalog_with_two_plural_forms() -> None:
    with CONTENT_PO.open("rb") as f:
        catalog = read_po(f)
    assert str(catalog.locale) == "es"
    assert not catalog.fuzzy
    assert catalog.num_plurals == 2
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_shown_data_string_has_spanish(source: str) -> None:
    assert missing(list(SOURCES[source]()), _catalog()) == []


def test_a_missing_or_broken_translation_is_found() -> None:
    strings = [
        DataString("Takes about {minutes} minutes.", "f", "a"),
        DataString("Not translated", "f", "b"),
    ]
    problems = missing(strings, {"Takes about {minutes} minutes.": "Toma unos minutos."})
    assert len(problems) == 2
    assert "placeholders" in problems[0] and "no Spanish" in problems[1]


def test_listed_strings_are_shown_text_not_identifiers() -> None:
    by_text = defaultdict(list)
    for s in all_strings():
        by_text[s.text].append(s.where)
    assert "Who is this about?" in by_text
    assert "coparent_ex" not in by_text and "G0.1" not in by_text and "OURS" not in by_text
    assert not any(w.endswith((".id", ".slug", "._about")) for ws in by_text.values() for w in ws)
