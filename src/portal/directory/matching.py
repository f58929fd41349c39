"""Why a listing fits the filters a person chose, in words, for its result card."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.directory.filters import DirectoryQuery
from portal.directory.geo import telehealth_reach
from portal.directory.ranking import related
from portal.directory.taxonomy import Taxonomy, in_sentence
from portal.models import Listing

if TYPE_CHECKING:
    from portal.directory.rows import ListingRow

Reasons = Callable[["Listing | ListingRow"], list[str]]

_FACET_FIELDS = {
    "specialty": "specialties",
    "modality": "modalities",
    "sees": "sees",
    "language": "languages",
    "format": "formats",
    "insurance": "insurance",
}
"""The facets a listing is said to fit by, most important first (directory.ranking's
weights)."""


def _facet_words(facet: str, labels: list[str]) -> list[str]:
    if facet == "sees":
        return ["sees " + ", ".join(label.lower() for label in labels)]
    if facet == "language":
        return ["speaks " + ", ".join(labels)]
    if facet == "insurance":
        return ["takes " + ", ".join(labels)]
    if facet == "format":
        return ["offers " + ", ".join(label.lower() for label in labels)]
    return [in_sentence(label) for label in labels]


def reach_words(query: DirectoryQuery, taxonomy: Taxonomy) -> Callable[[Any], str]:
    """How a listing beyond the radius is within reach: "video, licensed in TX" (or in
    both homes' states), from the formats it offers of those wanted."""
    reach = telehealth_reach(query.format, query.states, two_homes=query.origin2 is not None)

    def words(listing: Any) -> str:
        if reach is None:
            return ""
        formats = [f for f in listing.formats if f in reach.formats]
        how = " or ".join(label.lower() for label in taxonomy.labels("format", formats))
        return f"{how}, licensed in {' and '.join(reach.states)}"

    return words


def fit_reasons(
    listing: Listing | ListingRow, query: DirectoryQuery, taxonomy: Taxonomy
) -> list[str]:
    return fit_reasoner(query, taxonomy)(listing)


def fit_columns(query: DirectoryQuery) -> frozenset[str]:
    """The listing columns ``fit_reasoner(query, ...)`` reads: a page reads these with its
    cards (tests/unit/test_directory_matching.py holds the two together)."""
    names = {attribute for facet, attribute in _FACET_FIELDS.items() if getattr(query, facet)}
    if related(query):
        names.add("modalities")
    if query.licence:
        names.add("licence_type")
    if query.state:
        names.add("telehealth_states")
    if query.screens_individually:
        names.add("screens_individually")
    if query.sliding_scale:
        names |= {"sliding_scale", "sliding_floor"}
    if query.free_consult:
        names.add("free_consult")
    if query.evenings:
        names |= {"evenings", "weekends"}
    return frozenset(names)


def fit_reasoner(query: DirectoryQuery, taxonomy: Taxonomy) -> Reasons:
    """``fit_reasons`` for one query, with what depends only on the query worked out once
    (a page asks it for twenty listings). Every reason is read from the listing's own
    values, never assumed from the query having found it."""
    facets = [
        (facet, attribute, getattr(query, facet))
        for facet, attribute in _FACET_FIELDS.items()
        if getattr(query, facet)
    ]
    approaches = related(query)
    if approaches:  # the approaches made for the specialties asked for, after them
        at = 1 + next((n for n, (facet, _, _) in enumerate(facets) if facet == "modality"), 0)
        facets.insert(at, ("modality", "modalities", approaches))

    def reasons(listing: Any) -> list[str]:
        out: list[str] = []
        for facet, attribute, wanted in facets:
            # In the listing's own order: its owner put first what they do most.
            have = [slug for slug in getattr(listing, attribute) if slug in wanted]
            if have:
                out += _facet_words(facet, taxonomy.labels(facet, have))
        if query.licence and listing.licence_type in query.licence:
            out.append(taxonomy.label("licence", listing.licence_type))
        if query.state and query.state in listing.telehealth_states:
            out.append(f"licensed for telehealth in {query.state}")
        if query.screens_individually and listing.screens_individually:
            out.append("screens each person individually before any joint session")
        if query.sliding_scale and listing.sliding_scale:
            floor = f" from ${listing.sliding_floor}" if listing.sliding_floor else ""
            out.append(f"sliding scale{floor}")
        if query.free_consult and listing.free_consult:
            out.append("free first consultation")
        if query.evenings and (listing.evenings or listing.weekends):
            out.append("evening or weekend hours")
        return out

    return reasons
