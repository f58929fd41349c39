"""The words a listing is found by besides its name and bio (the ``search_terms`` column of
the full-text index, directory/search.py): its languages, specialties and approaches by their
names in English and Spanish. Made on every load (seed.py) and by the migration that added it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from portal import content
from portal.i18n import translate

SEARCHED_FACETS = {"languages": "language", "specialties": "specialty", "modalities": "modality"}
"""Record field -> taxonomy facet whose names are searched like the bio."""


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _facet_names() -> dict[tuple[str, str], tuple[str, ...]]:
    """(facet, slug) -> every name search knows it by: the label, its Spanish translation
    (the content catalog, when there is one) and, for languages, the taxonomy's other names."""
    taxonomy = content.taxonomy()
    names: dict[tuple[str, str], tuple[str, ...]] = {}
    for facet in SEARCHED_FACETS.values():
        for entry in taxonomy[facet]:
            found = [entry["label"], translate(entry["label"], "es"), *entry.get("names", ())]
            names[(facet, entry["slug"])] = tuple(dict.fromkeys(found))
    return names


def search_terms(record: Mapping[str, Any]) -> str:
    """The words a listing is found by besides its name and bio: "Spanish español habla
    español ..." for a Spanish speaker. Accented words are also given without their accents,
    so "espanol" finds "español" on every database (SQLite's tokenizer folds accents itself;
    PostgreSQL's english configuration does not)."""
    names = _facet_names()
    parts: list[str] = []
    for field, facet in SEARCHED_FACETS.items():
        values: Iterable[str] = record.get(field) or ()
        for slug in values:
            parts.extend(names.get((facet, slug), ()))
    text = " ".join(dict.fromkeys(parts))
    plain = _unaccented(text)
    return text if plain == text else f"{text} {plain}"
