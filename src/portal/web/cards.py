"""The result cards of /counselors: what each says (templates/directory/_card.html shows it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from portal.directory import availability
from portal.directory.matching import Reasons
from portal.directory.rows import CARD_FACTS, ListingRow
from portal.directory.taxonomy import taxonomy
from portal.i18n import N_, Text
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


_TELEHEALTH = N_("Telehealth only")


def _listed(texts: Sequence[str], between: str) -> str:
    """``texts`` joined, each translated on its own by a page."""
    named = {f"t{i}": text for i, text in enumerate(texts)}
    return Text(between.join("{" + name + "}" for name in named), named)


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
    # Each text a Text: it reads as English, and a page shows it in its own language.
    credential = Text(
        N_("{licence} · {years} years · {where}"),
        licence=tax.label("licence", l.licence_type),
        years=l.years_in_practice,
        where=Text("{city}, {state}", city=l.city, state=l.state) if l.city else _TELEHEALTH,
    )
    amount = f"${l.fee_min}" + (f"–${l.fee_max}" if l.fee_max != l.fee_min else "")
    if not l.sliding_scale:
        fee = Text(N_("{amount} per session"), amount=amount)
    elif l.sliding_floor:
        fee = Text(
            N_("{amount} per session, sliding scale from ${floor}"),
            amount=amount,
            floor=l.sliding_floor,
        )
    else:
        fee = Text(N_("{amount} per session, sliding scale"), amount=amount)
    opening = l.accepting and l.next_opening and l.next_opening >= today
    why_not = caution(l) if caution is not None else None
    return Card(
        listing=l,
        distance=distance,
        distance2=distance2,
        reach=reach,
        fits="" if why_not else _listed(reasons(l), "; "),
        caution=why_not,
        stale=(today - l.last_verified).days > fresh_since_days,
        initials=names[0][0] + names[-1][0],
        credential=credential,
        fee=fee,
        formats=_listed(tax.labels("format", l.formats), ", "),
        opening=longdate(l.next_opening) if opening else "",
        verified=longdate(l.last_verified),
        availability=availability.shown(
            l.availability_confirmed, l.last_verified, (reports or {}).get(l.slug), today
        ),
    )
