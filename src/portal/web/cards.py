"""The result cards of /counselors: what each says, and their HTML.

Twenty cards of a dozen values each are most of a result page. Printed by a Jinja loop,
nearly all their time went to the template's per-value machinery (an attribute lookup, a
call to escape, a yield each): about 170 µs a page in process, against 60 µs for the same
HTML put together here, one f-string per card, each value escaped exactly as the templates
escape it (docs/performance.md). The page around them stays a template
(templates/directory/_results.html).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from markupsafe import Markup, escape

from portal.directory.matching import Reasons
from portal.directory.preset import CAUTION
from portal.directory.rows import CARD_FACTS, ListingRow
from portal.directory.taxonomy import taxonomy
from portal.web.rendering import longdate

COLUMNS = CARD_FACTS
"""The listing columns a card reads (tests/web/test_cards.py renders cards from rows of only
these). A page reads these and what says why each listing fits (matching.fit_columns)."""
CAUTION_COLUMNS = frozenset({"sees", "modalities"})
"""What a safety rule reads to mark a listing "not suggested" (directory.preset)."""


def e(value: object) -> str:
    """``value`` escaped for HTML, as plain text to join with other text."""
    return str(escape(value))


@dataclass(slots=True)
class Card:
    """What a result card says, its words put together once. Not frozen: twenty are built
    a page, and a frozen dataclass's __init__ sets each field through object.__setattr__
    (2.5 times as long for these ten)."""

    listing: ListingRow
    distance: float | None
    fits: str
    caution: str | None
    stale: bool
    initials: str
    credential: str
    fee: str
    formats: str
    opening: str
    verified: str


def card(
    listing: ListingRow,
    distance: float | None,
    reasons: Reasons,
    today: date,
    fresh_since_days: int,
    *,
    caution: Callable[[ListingRow], str | None] | None = None,
) -> Card:
    """``caution``: why a listing is not suggested for this person, if it is not; such a
    listing is never said to fit."""
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
        fits="" if why_not else "; ".join(reasons(l)),
        caution=why_not,
        stale=(today - l.last_verified).days > fresh_since_days,
        initials=names[0][0] + names[-1][0],
        credential=credential,
        fee=fee,
        formats=_format_words(l.raw("formats")),
        opening=longdate(l.next_opening) if opening else "",
        verified=longdate(l.last_verified),
    )


def _format_words(raw: str | list[str]) -> str:
    return _format_words_of(raw if isinstance(raw, str) else tuple(raw))


@lru_cache(maxsize=256)
def _format_words_of(raw: str | tuple[str, ...]) -> str:
    # Decoding each card's formats and looking up their labels was a third of building it.
    slugs = json.loads(raw) if isinstance(raw, str) else raw
    return ", ".join(taxonomy().labels("format", slugs))


DISTANCE_NOTE = '<span class="visually-hidden">(ZIP centre to ZIP centre)</span>'
ACCEPTING = '<span class="ok">Accepting new clients</span>'
NOT_ACCEPTING = '<span class="warn">Not taking new clients</span>'
STALE = '<span class="badge badge-stale">Not verified recently</span> Last verified '


def render(cards: list[Card], first: int) -> Markup:
    """The cards as an ordered list numbered from ``first`` (the page's first result)."""
    out = [f'<ol class="cards" start="{int(first)}">\n']
    for c in cards:
        out.append(_card_html(c))
    out.append("</ol>\n")
    return Markup("".join(out))


def _card_html(c: Card) -> str:
    l = c.listing  # noqa: E741
    pronouns = f' <span class="pronouns">({e(l.pronouns)})</span>' if l.pronouns else ""
    distance = f" · about {float(c.distance)} mi {DISTANCE_NOTE}" if c.distance is not None else ""
    fits = f'  <p class="fits"><strong>Why it fits:</strong> {e(c.fits)}.</p>\n' if c.fits else ""
    if c.caution:
        fits = f'  <p class="caution"><strong>{CAUTION}:</strong> {e(c.caution)}</p>\n'
    if l.accepting:
        taking = ACCEPTING + (f", next opening {e(c.opening)}" if c.opening else "")
    else:
        taking = NOT_ACCEPTING
    days = int(l.reply_days)
    verified = (STALE if c.stale else "Verified ") + e(c.verified)
    classes = "card" + (" card-stale" if c.stale else "") + (" card-caution" if c.caution else "")
    return f"""<li class="{classes}">
  <div class="card-head">
    <span class="avatar" aria-hidden="true">{e(c.initials)}</span>
    <div>
      <h2 class="card-title"><a href="/counselors/{e(l.slug)}">{e(l.name)}</a>{pronouns}</h2>
      <p class="credential">{e(c.credential)}{distance}</p>
    </div>
  </div>
{fits}  <ul class="facts">
    <li>{e(c.fee)}</li>
    <li>{e(c.formats)}</li>
    <li>{taking}</li>
    <li>Replies in about {days} {"day" if days == 1 else "days"}</li>
  </ul>
  <p class="verified">{verified}</p>
</li>
"""
