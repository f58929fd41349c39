"""The directory's vocabulary (seed/taxonomy.json): facets, their slugs and labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from babel import Locale

from portal import content
from portal.i18n import translate


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    long: str = ""
    joint: bool = False


@dataclass(frozen=True)
class Taxonomy:
    facets: dict[str, tuple[Term, ...]]

    def terms(self, facet: str) -> tuple[Term, ...]:
        return self.facets[facet]

    def slugs(self, facet: str) -> frozenset[str]:
        return self._slug_sets[facet]

    @cached_property
    def _slug_sets(self) -> dict[str, frozenset[str]]:
        """Built once: every directory request checks its filters against them."""
        return {name: frozenset(t.slug for t in terms) for name, terms in self.facets.items()}

    def _label_map(self, facet: str) -> dict[str, str]:
        """slug -> label of one facet, built once (templates look labels up per card)."""
        maps: dict[str, dict[str, str]] | None = self.__dict__.get("_label_maps")
        if maps is None:
            maps = {}
            object.__setattr__(self, "_label_maps", maps)
        found = maps.get(facet)
        if found is None:
            found = {}
            for term in self.facets.get(facet, ()):
                found.setdefault(term.slug, term.label)
            maps[facet] = found
        return found

    def label(self, facet: str, slug: str) -> str:
        return self._label_map(facet).get(slug, slug)

    def labels(self, facet: str, slugs: list[str] | tuple[str, ...]) -> list[str]:
        found = self._label_map(facet)
        return [found.get(s, s) for s in slugs]


def said_label(taxonomy: Taxonomy, facet: str, slug: str, locale: str) -> str:
    """A term's label in ``locale``, for inside a sentence. A language is named as that
    language writes it in running text (CLDR's names, through Babel: "Spanish", "español");
    the taxonomy's labels are capitalised for the filter form."""
    if facet == "language" and (name := _language_name(slug, locale)):
        return name
    return translate(taxonomy.label(facet, slug), locale)


@cache
def _language_name(code: str, locale: str) -> str | None:
    return Locale.parse(locale).languages.get(code)


def in_sentence(label: str) -> str:
    """A label inside a sentence, as its owner writes it: a plain phrase in lower case
    ("Family mediation" -> "family mediation"), a name as it is ("Gottman Method",
    "Emotionally Focused Therapy (EFT)", "EMDR")."""
    rest = label.split("(")[0][1:]
    return label if any(ch.isupper() for ch in rest) else label[0].lower() + label[1:]


def load_taxonomy(raw: dict[str, Any] | None = None) -> Taxonomy:
    """The vocabulary of ``raw`` (parsed taxonomy.json), by default the portal's."""
    raw = content.taxonomy() if raw is None else raw
    facets = {
        name: tuple(
            Term(
                slug=t["slug"],
                label=t["label"],
                long=t.get("long", ""),
                joint=bool(t.get("joint", False)),
            )
            for t in terms
        )
        for name, terms in raw.items()
        if not name.startswith("_")
    }
    return Taxonomy(facets=facets)


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()
