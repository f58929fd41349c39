"""Why a listing fits the filters a person chose, in words, for its result card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.directory.filters import DirectoryQuery
from portal.directory.taxonomy import Taxonomy
from portal.models import Listing

if TYPE_CHECKING:
    from portal.directory.query import ListingRow

_FACET_FIELDS = {
    "sees": "sees",
    "specialty": "specialties",
    "modality": "modalities",
    "format": "formats",
    "insurance": "insurance",
    "language": "languages",
}


def fit_reasons(
    listing: Listing | ListingRow, query: DirectoryQuery, taxonomy: Taxonomy
) -> list[str]:
    reasons: list[str] = []
    for facet, attribute in _FACET_FIELDS.items():
        wanted = getattr(query, facet)
        if not wanted:
            continue
        have = [slug for slug in wanted if slug in getattr(listing, attribute)]
        if not have:
            continue
        labels = taxonomy.labels(facet, have)
        if facet == "sees":
            reasons.append("sees " + ", ".join(label.lower() for label in labels))
        elif facet == "language":
            reasons.append("speaks " + ", ".join(labels))
        elif facet == "insurance":
            reasons.append("takes " + ", ".join(labels))
        elif facet == "format":
            reasons.append("offers " + ", ".join(label.lower() for label in labels))
        else:
            reasons.extend(label[0].lower() + label[1:] for label in labels)
    if query.licence and listing.licence_type in query.licence:
        reasons.append(taxonomy.label("licence", listing.licence_type))
    if query.state and query.state in listing.telehealth_states:
        reasons.append(f"licensed for telehealth in {query.state}")
    if query.screens_individually and listing.screens_individually:
        reasons.append("screens each person individually before any joint session")
    if query.sliding_scale and listing.sliding_scale:
        floor = f" from ${listing.sliding_floor}" if listing.sliding_floor else ""
        reasons.append(f"sliding scale{floor}")
    if query.free_consult and listing.free_consult:
        reasons.append("free first consultation")
    if query.evenings and (listing.evenings or listing.weekends):
        reasons.append("evening or weekend hours")
    return reasons
