""" "Best match": the order of fit to what a person needs, and the words for why a listing fits.

What a person needs is in their query: who they want seen, the specialties and approaches
(a readiness result puts its track's there, directory.preset), and their preferences (format,
language, insurance or a sliding scale, evening hours). A listing's *fit* is a weighted sum
over those (``WEIGHTS``): each wanted specialty or approach it has, each approach that serves
a wanted specialty (``RELATED_APPROACHES``), and each preference it meets. The order is then

1. listings verified recently before the others, which go last with those people mostly
   could not reach (directory.availability's DEMOTED),
2. fit, highest first,
3. reach: nearer first, by ``REACH_MILES`` bands, then the rest of the radius, then those
   within reach by telehealth only (a ZIP search),
4. availability (``availability``): confirmed by the counselor within 30 days or reached by
   people (directory.availability's BOOSTED) first, and within each, accepting new clients
   first, those with an opening within ``OPENING_SOON_DAYS`` before the other accepting ones,
5. the fixed shuffle: equally good fits rotate fairly. Nobody pays for a place.

With search words, fit still comes first; within each fit the search's own order (boosted
first, then how well the words match, then accepting and the shuffle) replaces 3-5. A
fee limit is a filter like the others (tested in memory, directory.bitmaps' ``fee_at_most``).

Scoring every candidate in Python would cost too much at 100,000 listings. The sum is taken
over the facet bitmaps instead (directory.bitmaps), bit-sliced: bit ``k`` of every listing's
fit is one int, and adding a weighted bitmap is a few ANDs and XORs over whole bitmaps. The
listings of each fit value ("tiers") are then a few more, and a page reads tier after tier,
each in shuffle order, until it is full.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from portal.directory.bitmaps import from_ids, member, to_ids
from portal.directory.filters import DirectoryQuery

RELATED_APPROACHES: dict[str, tuple[str, ...]] = {
    "co-parenting": ("co-parenting-counseling", "parenting-coordination", "family-mediation"),
    "separation-divorce": ("discernment", "co-parenting-counseling", "family-mediation"),
    "couples-communication": ("gottman", "eft", "ibct"),
    "trust-infidelity": ("gottman", "eft", "ibct"),
    "blended-families": ("structural-family", "co-parenting-counseling"),
    "estrangement": ("bowen", "structural-family", "narrative"),
    "parent-child-conflict": ("structural-family", "bowen", "narrative"),
    "single-parenting": ("solution-focused", "structural-family"),
    "domestic-violence": ("trauma-focused",),
    "trauma": ("trauma-focused", "emdr"),
}
"""Approaches made for a specialty: a listing that has them fits that need more closely."""

WEIGHTS = {
    "specialty": 4,
    "modality": 4,
    "related": 2,
    "sees": 1,
    "language": 3,
    "format": 2,
    "insurance": 2,
    "sliding_scale": 2,
    "evenings": 1,
    "screens_individually": 1,
}
"""Points of fit for each need a listing meets (each value, for the lists)."""

FIT_FACETS = ("specialty", "modality", "sees", "language", "format", "insurance")
"""The facets that count toward fit, in the order "why it fits" names them."""

OPENING_SOON_DAYS = 28
"""An accepting listing whose next opening is at most this many days away (or already past)
comes before the other accepting ones of its fit and reach."""

REACH_MILES = (5.0, 15.0)
"""Distance bands of a radius search, nearest first; a listing beyond the last band, or
within reach by telehealth only, comes after them."""


class AvailabilityTiers(Protocol):
    """What ranking reads of directory.availability.Tiers: its listings as bitmaps."""

    boosted_bitmap: int
    demoted_bitmap: int
    boosted: frozenset[int]
    demoted: frozenset[int]


class FacetBitmaps(Protocol):
    """What ranking reads of directory.bitmaps.Bitmaps."""

    def facet(self, name: str, values: Sequence[str]) -> int: ...
    def flag(self, column: str) -> int: ...
    def accepting(self) -> int: ...
    def fresh(self, since: date) -> int: ...
    def opening_by(self, until: date) -> int: ...


def wanted(query: DirectoryQuery) -> DirectoryQuery:
    """The needs ``query`` is ranked by: its own, or those it was widened from."""
    return query.fit_to if query.fit_to is not None else query


def related(query: DirectoryQuery) -> tuple[str, ...]:
    """Approaches that serve the query's specialties and that it does not ask for itself."""
    out: list[str] = []
    for specialty in query.specialty:
        for approach in RELATED_APPROACHES.get(specialty, ()):
            if approach not in query.modality and approach not in out:
                out.append(approach)
    return tuple(out)


def _signals(b: FacetBitmaps, query: DirectoryQuery) -> list[tuple[int, int]]:
    """(bitmap, points) for every need of the query."""
    terms: list[tuple[int, int]] = []
    for facet in FIT_FACETS:
        for value in getattr(query, facet):
            terms.append((b.facet(facet, (value,)), WEIGHTS[facet]))
    for approach in related(query):
        terms.append((b.facet("modality", (approach,)), WEIGHTS["related"]))
    if query.sliding_scale:
        terms.append((b.flag("sliding_scale"), WEIGHTS["sliding_scale"]))
    if query.evenings:
        terms.append((b.flag("evenings") | b.flag("weekends"), WEIGHTS["evenings"]))
    if query.screens_individually:
        terms.append((b.flag("screens_individually"), WEIGHTS["screens_individually"]))
    return terms


def bit_sliced_sum(terms: Sequence[tuple[int, int]]) -> list[int]:
    """Every listing's sum of the points of the bitmaps it is in, as bit planes: bit ``n``
    of plane ``k`` is bit ``k`` of listing ``n``'s sum."""
    planes: list[int] = []
    for bitmap, weight in terms:
        k = 0
        while weight:
            if weight & 1:
                carry, j = bitmap, k
                while carry:
                    while len(planes) <= j:
                        planes.append(0)
                    planes[j], carry = planes[j] ^ carry, planes[j] & carry
                    j += 1
            weight >>= 1
            k += 1
    return planes


def tiers_of(planes: Sequence[int], within: int) -> list[tuple[int, int]]:
    """(sum, listings with it) of every sum present ``within`` a bitmap, highest first."""
    groups = [(0, within)] if within else []
    for k in range(len(planes) - 1, -1, -1):
        plane = planes[k]
        split: list[tuple[int, int]] = []
        for value, group in groups:
            high, low = group & plane, group & ~plane
            if high:
                split.append((value | 1 << k, high))
            if low:
                split.append((value, low))
        groups = split
    return groups


def opening_soon(today: date) -> date:
    """The last day of a next opening that counts as soon, from ``today``."""
    return today + timedelta(days=OPENING_SOON_DAYS)


def availability(
    b: FacetBitmaps, everyone: int, boosted: int = 0, soon_until: date | None = None
) -> list[int]:
    """Listings by availability, best first: the ``boosted`` (confirmed by the counselor
    within 30 days, or reached by people) then the others, each accepting new clients first,
    and of those, with ``soon_until``, the ones whose next opening is by then first. Always
    the same number of groups for the same arguments (a page cursor names one by place)."""
    accepting = b.accepting()
    soon = b.opening_by(soon_until) if soon_until is not None else 0
    plain = everyone & ~boosted
    by_tier = [everyone & boosted, plain] if boosted else [plain]
    arms = (
        (accepting & soon, accepting & ~soon, everyone & ~accepting)
        if soon_until is not None
        else (accepting, everyone & ~accepting)
    )
    return [t & a for t in by_tier for a in arms]


@dataclass(frozen=True)
class Ranking:
    """The order of one query: its fit tiers (fresh ones first) and availability."""

    tiers: list[int]
    points: list[int]  # the fit of each tier
    available: list[int]

    def walk(self, allowed: int) -> list[int]:
        """The walk's arms: every tier by availability, each to be read in shuffle order.
        Empty ones are kept, so that a position (a page cursor) names the same arm on every
        page of the query."""
        return [allowed & t & a for t in self.tiers for a in self.available]

    def order(
        self,
        ids: Sequence[int] | int,
        rank: Callable[[int], int],
        distance_sq: Callable[[int], float] | None = None,
        radius: int = 0,
        limit: int | None = None,
        beyond: bool = True,
    ) -> list[int]:
        """The first ``limit`` of ``ids`` (or of a bitmap) in the order of fit, reach (with
        ``distance_sq``), availability and ``rank`` (the shuffle). Tier after tier, and only
        as many tiers as the limit needs; listings beyond the radius (within reach by
        telehealth, often thousands) are ordered by the bitmaps and the shuffle alone, or
        left out without ``beyond``."""
        candidates = ids if isinstance(ids, int) else from_ids(list(ids))
        out: list[int] = []
        for tier in self.tiers:
            part = tier & candidates
            if not part:
                continue
            far = part
            if distance_sq is not None:
                limit_sq = radius * radius
                near = [i for i in to_ids(part) if distance_sq(i) <= limit_sq]
                far = part & ~from_ids(near) if beyond else 0
                out += sorted(near, key=self._near_key(rank, distance_sq, radius))
            for avail in self.available:
                out += sorted(to_ids(far & avail), key=rank)
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out if limit is None else out[:limit]

    def _near_key(
        self, rank: Callable[[int], int], distance_sq: Callable[[int], float], radius: int
    ) -> Callable[[int], tuple[int, int, int]]:
        is_in = [member(a) for a in self.available]

        def key(i: int) -> tuple[int, int, int]:
            band = reach_band(distance_sq(i), radius)
            return (band, next(a for a, has in enumerate(is_in) if has(i)), rank(i))

        return key


def reach_band(distance_sq: float, radius: int) -> int:
    """The band of ``REACH_MILES`` a squared distance falls in; then the rest of the
    radius; then beyond it, within reach by telehealth (NaN and inf too)."""
    for band, miles in enumerate(REACH_MILES):
        if distance_sq <= miles * miles:
            return band
    return len(REACH_MILES) + (not distance_sq <= radius * radius)


def ranking(
    b: FacetBitmaps,
    query: DirectoryQuery,
    fresh_since: date,
    allowed: int,
    everyone: int,
    available: AvailabilityTiers | None = None,
    soon_until: date | None = None,
) -> Ranking | None:
    """The "Best match" order of ``query`` over the listings ``allowed``, with the
    availability tiers ``available`` and openings by ``soon_until`` counted as soon, or None
    when fit tells none of them apart (the default order then: boosted and fresh, plain and
    fresh, stale or demoted; accepting; shuffle)."""
    if not ranks_by_fit(query):
        return None
    key = (id(b), _needs(wanted(query)), fresh_since, available, soon_until)
    found = _kept.get(key)
    if found is None or found[0]() is not b:
        terms = _signals(b, wanted(query))
        if not terms:
            return None
        groups = tiers_of(bit_sliced_sum(terms), everyone)
        boosted, demoted = (
            (available.boosted_bitmap, available.demoted_bitmap) if available else (0, 0)
        )
        first = b.fresh(fresh_since) & ~demoted  # the rest go last: stale, or unreachable
        rest = everyone & ~first
        tiers = [g & first for _, g in groups] + [g & rest for _, g in groups]
        points = [v for v, _ in groups] * 2
        if len(_kept) >= KEPT:
            _kept.pop(next(iter(_kept)))
        found = _kept[key] = (
            weakref.ref(b),
            Ranking(tiers, points, availability(b, everyone, first & boosted, soon_until)),
            groups,
        )
    _, kept, groups = found
    if query.origin is None and sum(1 for _, g in groups if g & allowed) < 2:
        return None  # (with a ZIP, reach still orders them)
    return kept


KEPT = 16
"""Orders kept, by the needs they rank for (a readiness preset asks the same few again and
again); each holds a few dozen bitmaps of 12.5 kB at 100,000 listings."""
_kept: dict[tuple[Any, ...], tuple[Any, Ranking, list[tuple[int, int]]]] = {}


def _needs(query: DirectoryQuery) -> tuple[Any, ...]:
    return (
        query.specialty,
        query.modality,
        query.sees,
        query.language,
        query.format,
        query.insurance,
        query.sliding_scale,
        query.evenings,
        query.screens_individually,
    )


SCORE_COLUMNS = (
    "specialties",
    "modalities",
    "sees",
    "languages",
    "formats",
    "insurance",
    "sliding_scale",
    "evenings",
    "weekends",
    "screens_individually",
)
"""The listing columns ``score`` reads (``sql_key`` reads next_opening too)."""


def ranks_by_fit(query: DirectoryQuery) -> bool:
    """Whether "Best match" orders this query by fit: it asks for something to fit. With
    search words too, fit comes first and the words' score orders each fit (``sql_key``)."""
    query = wanted(query)
    return query.sort == "relevance" and bool(
        query.specialty
        or query.modality
        or query.sees
        or query.language
        or query.format
        or query.insurance
        or query.sliding_scale
        or query.evenings
        or query.screens_individually
    )


def sql_key(
    row: Any,
    query: DirectoryQuery,
    fresh_since: date,
    reach: bool,
    available: AvailabilityTiers | None = None,
    soon_until: date | None = None,
    text_score: float | None = None,
) -> tuple[Any, ...]:
    """The order of ``Ranking`` for one row read with ``SCORE_COLUMNS`` and next_opening
    (and distance_sq): the same order, for when the bitmaps are not there. With a search's
    ``text_score`` (lower is better), the search's order within each fit: boosted first,
    then the score, then accepting and the shuffle (no reach bands, no openings)."""
    distance_sq = row.distance_sq if reach and row.distance_sq is not None else math.inf
    band = reach_band(distance_sq, query.radius) if reach and text_score is None else 0
    last = row.last_verified < fresh_since or (
        available is not None and row.id in available.demoted
    )
    boosted = not last and available is not None and row.id in available.boosted
    soon = soon_until is not None and is_soon(row.next_opening, soon_until)
    if text_score is not None:
        soon = False
    return (
        last,
        -score(row, query),
        band,
        not boosted,
        0.0 if text_score is None else text_score,
        not row.accepting,
        not (row.accepting and soon),
        row.shuffle,
        row.id,
    )


def is_soon(next_opening: date | None, soon_until: date) -> bool:
    """Whether a next opening counts as soon (``Bitmaps.opening_by`` for one listing)."""
    return next_opening is not None and next_opening <= soon_until


def score(listing: Any, query: DirectoryQuery) -> int:
    """One listing's fit, from its own values: the sum ``ranking`` takes over the bitmaps
    (for tests, and for reading a single listing)."""
    query = wanted(query)
    total = 0
    fields = {
        "specialty": "specialties",
        "modality": "modalities",
        "sees": "sees",
        "language": "languages",
        "format": "formats",
        "insurance": "insurance",
    }
    for facet, attribute in fields.items():
        have = getattr(listing, attribute)
        total += WEIGHTS[facet] * sum(1 for v in getattr(query, facet) if v in have)
    total += WEIGHTS["related"] * sum(1 for a in related(query) if a in listing.modalities)
    if query.sliding_scale and listing.sliding_scale:
        total += WEIGHTS["sliding_scale"]
    if query.evenings and (listing.evenings or listing.weekends):
        total += WEIGHTS["evenings"]
    if query.screens_individually and listing.screens_individually:
        total += WEIGHTS["screens_individually"]
    return total


def miles(distance_sq: float | None) -> float | None:
    """Miles from a squared distance, to a tenth; None for none (or beyond reach)."""
    if distance_sq is None or math.isnan(distance_sq) or math.isinf(distance_sq):
        return None
    return round(math.sqrt(max(distance_sq, 0.0)), 1)
