"""The result cards of /counselors: what each says (templates/directory/_card.html shows it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from portal.directory import availability
from portal.directory.matching import Reasons
from portal.directory.rows import CARD_FACTS, ListingRow
from portal.directory.taxonomy import taxonomy
from portal.web.rendering import longdate

COLUMNS = CARD_FACTS
"""The listing columns a card reads (tests/web/test_cards.py renders cards from rows of only
these). A page reads these and what says why each listing fits (matching.fit_columns)."""
CAUTION_COLUMNS = frozenset({"sees", "modalities"})
"""What a safety rule reads to mark a listing "not suggested" (directory.preset)."""


@dataclass(slots=True)  # not frozen: that sets each field through object.__setattr__
class Card:
    """What a result card says, its words put together once."""

    listing: ListingRow
    distance: float | None
    distance2: float | None  # from the second home of a two-party search
    reach: str  # "video, licensed in TX": within reach by telehealth, not by distance
    fits: str
    caution: str | None
    stale: bool
    initials: str
    credential: str
    fee: str
    formats: str
    opening: str
    verified: str
    availability: availability.Shown


def card(
    listing: ListingRow,
    distance: float | None,
    reasons: Reasons,
    today: date,
    fresh_since_days: int,
    *,
    caution: Callable[[ListingRow], str | None] | None = None,
    distance2: float | None = None,
    reach: str = "",
    reports: Mapping[str, availability.Counts] | None = None,
) -> Card:
    """``caution``: why a listing is not suggested for this person, if it is not; such a
    listing is never said to fit. ``reports``: the page's availability reports, by slug."""
    tax = taxonomy()
    l = listing  # noqa: E741
    names = l.name.split()
    credential = f"{tax.label('licence', l.licence_type)} · {l.years_in_practice} years · "
    credential += f"{l.city}, {l.state}" if l.city else "Telehealth only"
    fee = f"${l.fee_min}" + (f"–${l.fee_max}" if l.fee_max != l.fee_min else "") + " per session"
    if l.sliding_scale:
        fee += ", sliding scale" + (f" from ${l.sliding_floor}" if l.sliding_floor else "")
    opening = l.accepting and l.next_opening and l.next_opening >= today
    why_not = caution(l) if caution is not None else None
    return Card(
        listing=l,
        distance=distance,
        distance2=distance2,
        reach=reach,
        fits="" if why_not else "; ".join(reasons(l)),
        caution=why_not,
        stale=(today - l.last_verified).days > fresh_since_days,
        initials=names[0][0] + names[-1][0],
        credential=credential,
        fee=fee,
        formats=", ".join(tax.labels("format", l.formats)),
        opening=longdate(l.next_opening) if opening else "",
        verified=longdate(l.last_verified),
        availability=availability.shown(
            l.availability_confirmed, l.last_verified, (reports or {}).get(l.slug), today
        ),
    )
