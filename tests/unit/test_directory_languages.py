"""The directory in Spanish: languages found by their names in English and Spanish, and
Spanish-speaking counselors in every metro in proportion to its Spanish speakers."""

from __future__ import annotations

import json
from collections import Counter

from portal import generate
from portal.generate import METROS, spanish_target
from portal.paths import SEED_DIR
from portal.search_terms import search_terms

SEVEN = ("los-angeles", "houston", "san-antonio", "miami", "phoenix", "chicago", "new-york")


def test_a_spanish_speaker_is_found_by_every_name_of_the_language() -> None:
    terms = search_terms({"languages": ["en", "es"], "specialties": [], "modalities": []})
    words = set(terms.lower().split())
    assert {"spanish", "español", "espanol", "habla", "castellano", "english"} <= words


def test_specialties_and_approaches_are_searchable_by_name() -> None:
    terms = search_terms({"languages": ["en"], "specialties": ["grief"], "modalities": ["gottman"]})
    assert "Gottman" in terms and "Grief" in terms


def test_an_english_only_listing_has_no_spanish_words() -> None:
    terms = search_terms({"languages": ["en"], "specialties": [], "modalities": []})
    assert "español" not in terms and "Spanish" not in terms


def _metro_counts(listings: list[dict]) -> tuple[Counter[str], Counter[str]]:
    metro_of = {z[0]: m.slug for m in METROS for z in m.zips}
    listed: Counter[str] = Counter()
    spanish: Counter[str] = Counter()
    for rec in listings:
        slug = metro_of.get(rec["office"]["zip"]) if rec["office"] else None
        if slug:
            listed[slug] += 1
            spanish[slug] += "es" in rec["languages"]
    return listed, spanish


def test_every_metro_has_its_share_of_spanish_speaking_counselors() -> None:
    listed, spanish = _metro_counts(generate.generate())
    for metro in METROS:
        assert spanish[metro.slug] >= spanish_target(metro, listed[metro.slug]) >= 1, metro.slug
    for slug in SEVEN:
        assert spanish[slug] >= 5, slug


def test_the_seed_file_is_the_generators_output() -> None:
    seed = json.loads((SEED_DIR / "counselors.json").read_text(encoding="utf-8"))
    assert seed["listings"] == generate.generate()
