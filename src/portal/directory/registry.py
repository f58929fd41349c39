"""Every parameter of the directory's query, once: the filters a person can set, and paging.

Each entry drives the parser (filters.py), the fields of ``DirectoryQuery``, the API's
published parameters (web/schemas.py), the facet and yes/no bitmaps (bitmaps.py, query.py),
"why it fits" (matching.py), the filter form (templates/directory/_filters.html) and the label
an error summary or a suggestion to relax shows. A new yes/no filter is a ``Listing`` column, a
migration that adds it, and one ``Filter(..., FLAG, ...)`` line below.

Labels and the words of "why it fits" are plain English, kept here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.directory.geo import SORT_RADIUS_MAX
from portal.directory.search import MAX_WORDS, MIN_LETTERS
from portal.i18n.text import N_
from portal.models import FACETS as FACET_COLUMNS
from portal.states import US_STATES

TEXT = "text"
ZIP = "zip"
NUMBER = "number"
FACET = "facet"  # any of several taxonomy values, repeatable
CHOICE = "choice"  # one of a list
FLAG = "flag"  # yes/no, read from one or more boolean listing columns
CURSOR = "cursor"

MAX_QUERY_CHARS = 200
MIN_RADIUS, MAX_RADIUS, DEFAULT_RADIUS = 1, 500, 25
MAX_FEE_LIMIT = 1000
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20

SORTS = {
    "relevance": N_("Best match"),
    "distance": N_("Distance"),
    "fee": N_("Lowest fee"),
    "opening": N_("Soonest opening"),
    "verified": N_("Recently verified"),
}


@dataclass(frozen=True)
class Filter:
    name: str
    """The query parameter, and the field of ``DirectoryQuery``."""
    kind: str
    label: str
    """What the form, an error summary and a suggestion to relax call it."""
    help: str
    """The API's description of the parameter."""
    facet: str = ""
    """FACET and taxonomy CHOICE: the taxonomy facet (and ``ListingFacet.facet``)."""
    values: tuple[str, ...] = ()
    """CHOICE: the allowed values, unless they come from the taxonomy facet."""
    columns: tuple[str, ...] = ()
    """FLAG: the boolean listing columns; a listing has the flag when any of them is true."""
    group: str = "more"
    """FLAG: the group of the form its checkbox is in ("cost" or "more")."""
    fits: str = ""
    """The words of "why it fits" for a listing that has what was asked ("" for none). For a
    FACET, ``{}`` is the labels of the values the listing has, joined; without ``{}`` each
    label is a reason of its own, its first letter lowered."""
    lower: bool = False
    """FACET: lower-case the labels inside ``fits``."""
    amount: str = ""
    """FLAG: a column whose dollar amount, when set, follows ``fits`` ("from $40")."""
    low: int = 0
    high: int = 0
    """NUMBER: the allowed range."""
    paging: bool = False
    """Not a filter: the order and the page."""
    api: bool = True
    """Published as a parameter of /api/counselors."""

    @property
    def column(self) -> str:
        """FACET and CHOICE: the listing attribute holding the value(s)."""
        return FACET_COLUMNS.get(self.facet, "")


FILTERS: tuple[Filter, ...] = (
    Filter(
        "q",
        TEXT,
        N_("Search words"),
        f"Words to find in names and bios. Each word needs at least {MIN_LETTERS} letters (a "
        f"short part of a compound such as co-parenting is fine); at most {MAX_WORDS} words.",
    ),
    Filter(
        "zip",
        ZIP,
        N_("ZIP code"),
        "A 5-digit US ZIP code; results are within radius of it. With format video or phone, "
        "counselors licensed in its state who offer it are within reach too (telehealth: true).",
    ),
    Filter(
        "zip2",
        ZIP,
        N_("Other home's ZIP code"),
        "A second home's 5-digit ZIP code, for two people who live apart; needs zip. Results "
        "are within radius of both homes, each with distance_miles and distance2_miles "
        "(sort=distance orders by the longer), or offer video or phone licensed in both "
        "homes' states (telehealth: true).",
    ),
    Filter(
        "radius",
        NUMBER,
        N_("Distance"),
        f"Miles from zip (default {DEFAULT_RADIUS}); needs zip.",
        low=MIN_RADIUS,
        high=MAX_RADIUS,
    ),
    Filter(
        "sees",
        FACET,
        N_("Who they see"),
        "Who the counselor sees (any of).",
        facet="sees",
        fits=N_("sees {labels}"),
        lower=True,
    ),
    Filter("specialty", FACET, N_("Specialty"), "Specialties (any of).", facet="specialty"),
    Filter(
        "modality",
        FACET,
        N_("Approach and training"),
        "Therapy approaches (any of).",
        facet="modality",
    ),
    Filter(
        "licence", FACET, N_("License"), "License types (any of).", facet="licence", fits="{labels}"
    ),
    Filter(
        "format",
        FACET,
        N_("Format"),
        "In person, video or phone (any of).",
        facet="format",
        fits=N_("offers {labels}"),
        lower=True,
    ),
    Filter(
        "insurance",
        FACET,
        N_("Insurance"),
        "Insurance accepted (any of).",
        facet="insurance",
        fits=N_("takes {labels}"),
    ),
    Filter(
        "language",
        FACET,
        N_("Language"),
        "Languages spoken, as ISO 639-1 codes (any of).",
        facet="language",
        fits=N_("speaks {labels}"),
    ),
    Filter(
        "state",
        CHOICE,
        N_("Telehealth licensed in"),
        "A US state, by its two-letter code, the counselor is licensed to see people in by "
        "video or phone.",
        facet="telehealth_state",
        values=tuple(sorted(US_STATES)),
        fits=N_("licensed for telehealth in {labels}"),
    ),
    Filter(
        "max_fee",
        NUMBER,
        N_("Maximum fee"),
        "The most a person can pay per session, in dollars; a sliding scale counts from its "
        "lowest fee.",
        low=0,
        high=MAX_FEE_LIMIT,
    ),
    Filter(
        "sliding_scale",
        FLAG,
        N_("Sliding scale"),
        "Only counselors with a sliding scale.",
        columns=("sliding_scale",),
        group="cost",
        fits=N_("sliding scale"),
        amount="sliding_floor",
    ),
    Filter(
        "accepting",
        FLAG,
        N_("Accepting new clients"),
        "Only counselors accepting new clients.",
        columns=("accepting",),
    ),
    Filter(
        "free_consult",
        FLAG,
        N_("Free first consultation"),
        "Only counselors whose first consultation is free.",
        columns=("free_consult",),
        group="cost",
        fits=N_("free first consultation"),
    ),
    Filter(
        "evenings",
        FLAG,
        N_("Evenings or weekends"),
        "Only counselors with evening or weekend hours.",
        columns=("evenings", "weekends"),
        fits=N_("evening or weekend hours"),
    ),
    Filter(
        "screens_individually",
        FLAG,
        N_("Screens each person individually before joint sessions"),
        "Only counselors who meet each person individually before any joint session.",
        columns=("screens_individually",),
        fits=N_("screens each person individually before any joint session"),
    ),
    Filter("gender", CHOICE, N_("Counselor's gender"), "The counselor's gender.", facet="gender"),
    Filter(
        "sort",
        CHOICE,
        N_("Sort by"),
        f"relevance (default), distance (needs zip, within a radius of {SORT_RADIUS_MAX}), fee, "
        "opening or verified.",
        values=tuple(SORTS),
        paging=True,
    ),
    Filter("page", NUMBER, N_("Page"), "The page, from 1.", low=1, high=MAX_PAGE, paging=True),
    Filter(
        "per_page",
        NUMBER,
        N_("Results per page"),
        f"Results per page (default {DEFAULT_PER_PAGE}).",
        low=1,
        high=MAX_PER_PAGE,
        paging=True,
    ),
    Filter(
        "after",
        CURSOR,
        N_("Position"),
        "Where a page starts in a long list, as written by the previous page.",
        paging=True,
        api=False,
    ),
)

BY_NAME = {f.name: f for f in FILTERS}
FACETS = tuple(f for f in FILTERS if f.kind == FACET)
FLAGS = tuple(f for f in FILTERS if f.kind == FLAG)
LABELS = {f.name: f.label for f in FILTERS}
FLAG_COLUMNS = tuple(dict.fromkeys(c for f in FLAGS for c in f.columns))
"""Every boolean listing column a yes/no filter reads, once each."""


def flags_in(group: str) -> tuple[Filter, ...]:
    """The yes/no filters of one group of the form."""
    return tuple(f for f in FLAGS if f.group == group)
