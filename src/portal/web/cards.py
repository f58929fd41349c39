"""The result cards of /counselors: what each says, in the page's language
(templates/directory/_card.html shows it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.numbers import format_decimal

from portal.directory import availability, geo
from portal.directory.filters import DirectoryQuery
from portal.directory.matching import FitReasons, Reasons
from portal.directory.rows import CARD_FACTS, ListingRow
from portal.directory.taxonomy import taxonomy
from portal.i18n import DEFAULT, N_, translate, translations
from portal.web.locale import date_in

COLUMNS = CARD_FACTS
"""The listing columns a card reads (tests/web/test_cards.py renders cards from rows of only
these). A page reads these and what says why each listing fits (matching.fit_columns)."""
CAUTION_COLUMNS = frozenset({"sees", "modalities"})
"""What a safety rule reads to mark a listing "not suggested" (directory.preset)."""


def _miles(value: float, gettext: Callable[[str], str], locale: str) -> str:
    """A distance between ZIP code centers, no more precise than that: "under 1 mi" within
    the same one, else "about 4.2 mi" in the page's number format ("4,2" in Spanish)."""
    if value < 1:
        return gettext("under 1 mi")
    return gettext("about %(miles)s mi") % {"miles": format_decimal(value, "0.#", locale=locale)}


@dataclass(slots=True)  # not frozen: that sets each field through object.__setattr__
class Card:
    """What a result card says, its words put together once, in the page's language."""

    listing: ListingRow
    distance: float | None
    where: str  # "about 4 mi", from both homes, or "video, licensed in TX"; or ""
    by_distance: bool  # ``where`` is a distance from a ZIP code's center
    fits: str
    misses: str  # the wishes a widened list let go of that this listing does not meet
    caution: str | None
    stale: bool
    initials: str
    credential: str
    fee: str
    formats: str
    opening: str  # ", next opening December 2, 2026" when there is one to tell
    replies: str
    verified: str
    availability: availability.Shown


def card(
    listing: ListingRow,
    distance: float | None,
    reasons: FitReasons,
    today: date,
    fresh_since_days: int,
    *,
    locale: str = DEFAULT,
    caution: Callable[[ListingRow], str | None] | None = None,
    distance2: float | None = None,
    reach: str = "",
    reports: Mapping[str, availability.Counts] | None = None,
    misses: Reasons | None = None,
    near_you: float | None = None,
) -> Card:
    """``reasons`` and ``reach`` are in the page's language (matching.fit_reasoner and
    reach_words with its catalog). ``caution``: why a listing is not suggested for this
    person, if it is not; such a listing is never said to fit. ``reports``: the page's
    availability reports, by slug. ``misses``: what it lacks of wishes the list let go of
    (matching.miss_reasoner). ``near_you``: on a search from two homes, the miles from the
    person's own home of a listing within reach of it, and of the other home only by video
    or phone (``reach``)."""
    tax = taxonomy()
    words = translations(locale)
    l = listing  # noqa: E741
    names = l.name.split()
    where = f"{l.city}, {l.state}" if l.city else words.gettext(N_("Telehealth only"))
    credential = words.gettext(N_("{licence} · {years} years in practice · {where}")).format(
        licence=tax.label("licence", l.licence_type), years=l.years_in_practice, where=where
    )
    amount = f"${l.fee_min}" + (f"–${l.fee_max}" if l.fee_max != l.fee_min else "")
    if not l.sliding_scale:
        fee = words.gettext(N_("{amount} per session")).format(amount=amount)
    elif l.sliding_floor:
        fee = words.gettext(N_("{amount} per session, sliding scale from ${floor}")).format(
            amount=amount, floor=l.sliding_floor
        )
    else:
        fee = words.gettext(N_("{amount} per session, sliding scale")).format(amount=amount)
    if distance is None and reach and near_you is not None:
        away = words.gettext("%(you)s from you; for the other home, %(reach)s") % {
            "you": _miles(near_you, words.gettext, locale),
            "reach": reach,
        }
    elif distance is None:
        away = reach
    elif distance2 is None:
        away = _miles(distance, words.gettext, locale)
    else:
        away = words.gettext("%(you)s from you, %(other)s from the other home") % {
            "you": _miles(distance, words.gettext, locale),
            "other": _miles(distance2, words.gettext, locale),
        }
    opening = ""
    if l.accepting and l.next_opening and l.next_opening >= today:
        opening = words.gettext(", next opening %(day)s") % {"day": date_in(l.next_opening, locale)}
    stale = (today - l.last_verified).days > fresh_since_days
    day = {"day": date_in(l.last_verified, locale)}
    if stale:
        verified = words.gettext("Last verified %(day)s") % day
    else:
        verified = words.gettext("Verified %(day)s") % day
    why_not = caution(l) if caution is not None else None
    return Card(
        listing=l,
        distance=distance,
        where=away,
        by_distance=distance is not None,
        fits="" if why_not else "; ".join(reasons(l, remote_only=distance is None and bool(reach))),
        misses="" if why_not or misses is None else "; ".join(misses(l)),
        caution=translate(why_not, locale) if why_not else None,
        stale=stale,
        initials=names[0][0] + names[-1][0],
        credential=credential,
        fee=fee,
        formats=_listed(tax.labels("format", l.formats), locale),
        opening=opening,
        replies=words.ngettext(
            "Replies in about %(num)s day", "Replies in about %(num)s days", l.reply_days
        )
        % {"num": l.reply_days},
        verified=verified,
        availability=in_words(
            availability.shown(
                l.availability_confirmed, l.last_verified, (reports or {}).get(l.slug), today
            ),
            locale,
        ),
    )


def near_own_home(query: DirectoryQuery, listing: ListingRow) -> float | None:
    """On a search from two homes, the miles from the person's own home of a listing within
    reach of the other home only by video or phone, when its office is within the radius of
    the first (a card's ``near_you``)."""
    if query.origin is None or query.origin2 is None:
        return None
    miles = geo.miles(query.origin, listing.lat, listing.lon)
    return miles if miles <= query.radius else None


def _listed(labels: Sequence[str], locale: str) -> str:
    return ", ".join(translate(label, locale) for label in labels)


def in_words(shown: availability.Shown, locale: str) -> availability.Shown:
    """What a card or a profile says about availability, in ``locale``."""
    values: dict[str, Any] = getattr(shown.confirmed, "values", {})
    on = values.get("on")
    confirmed = translate(shown.confirmed, locale, {"day": date_in(on, locale)} if on else None)
    reports = ""
    if shown.reports:
        parts = ", ".join(translate(part, locale) for part in shown.parts)
        reports = translate(shown.reports, locale, {"parts": parts})
    return availability.Shown(confirmed, shown.is_confirmed, reports, shown.unreachable)
