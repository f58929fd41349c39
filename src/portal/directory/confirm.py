"""Counselors confirm their own listing through a signed, expiring, one-time link.

A maintainer runs ``python -m portal listing-link SLUG`` and sends the link printed. The link
carries a random nonce and an HMAC (keyed from the app's secret) over the nonce, the listing
and the expiry; the database keeps the nonce, the listing, the expiry and when it was used.
Saving the form, in one transaction: marks the link used (only if it was not, and has not
expired), updates the listing and its facets, stamps ``availability_confirmed``, writes one
history row per changed field, and bumps the data version (every process shows the change on
its next request).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from portal.db import bump_data_version
from portal.directory.taxonomy import Taxonomy
from portal.i18n.text import N_, Text
from portal.models import Listing, ListingChange, ListingFacet, ListingLink

LINK_DAYS = 14


def utc_now() -> datetime:
    """Now in UTC, without a zone: how the link and history tables keep moments."""
    return datetime.now(UTC).replace(tzinfo=None)


PURPOSE = "listing-link"
FEE_MAX = 2000

LINK = ListingLink.__table__
CHANGE = ListingChange.__table__
LISTING = Listing.__table__
FACET = ListingFacet.__table__

FIELDS = ("accepting", "next_opening", "formats", "fee_min", "fee_max", "insurance")
"""The form's fields, each a column of the listing."""

ACCEPTING = {
    "new": N_("Accepting new clients"),
    "existing": N_("Existing clients only"),
    "none": N_("Not accepting clients"),
}
"""The form's three answers; only "new" lists the counselor as accepting new clients."""


class LinkState(Enum):
    VALID = "valid"
    MALFORMED = "malformed"  # not a link this portal made, or changed by hand
    OTHER_LISTING = "other_listing"
    EXPIRED = "expired"
    USED = "used"


LINK_PROBLEMS: dict[LinkState, tuple[str, str]] = {
    LinkState.MALFORMED: (
        N_("This link does not work"),
        N_(
            "The link is incomplete or was changed. Copy the whole link from the message you "
            "received, or ask us for a new one."
        ),
    ),
    LinkState.OTHER_LISTING: (
        N_("This link is for another listing"),
        N_(
            "Each link can change only the listing it was made for. Open the link exactly as "
            "you received it, or ask us for a new one."
        ),
    ),
    LinkState.EXPIRED: (
        N_("This link has expired"),
        Text(
            N_("Links work for {days} days. Nothing was changed; ask us for a new link."),
            days=LINK_DAYS,
        ),
    ),
    LinkState.USED: (
        N_("This link was already used"),
        N_(
            "Each link works once, and the changes made with it were saved. Nothing else was "
            "changed; ask us for a new link to make more changes."
        ),
    ),
}


def _mac(secret: str, nonce: str, slug: str, expires: datetime) -> str:
    # A key of its own, derived from the app's secret as security.derive_key derives the
    # session's and the CSRF tokens' keys.
    key = hmac.new(secret.encode(), PURPOSE.encode(), hashlib.sha256).digest()
    message = f"{nonce}|{slug}|{expires.isoformat(timespec='seconds')}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def issue_link(
    conn: Connection, secret: str, slug: str, now: datetime, days: int = LINK_DAYS
) -> str:
    """A new link's token for listing ``slug`` (stored, so it can be used once)."""
    nonce = secrets.token_hex(16)
    expires = (now + timedelta(days=days)).replace(microsecond=0)
    conn.execute(insert(LINK).values(nonce=nonce, listing_slug=slug, expires=expires))
    return f"{nonce}.{_mac(secret, nonce, slug, expires)}"


def link_path(slug: str, token: str) -> str:
    # The token in the query string: the access log never writes one.
    return f"/counselors/{slug}/confirm?token={token}"


def check_link(
    session: Session | Connection, secret: str, slug: str, token: str, now: datetime
) -> tuple[LinkState, str | None]:
    """The state of ``token`` for listing ``slug``, and its nonce when it is well formed."""
    nonce, _, mac = token.partition(".")
    if len(nonce) != 32 or len(mac) != 40 or not all(c in "0123456789abcdef" for c in nonce):
        return LinkState.MALFORMED, None
    row = session.execute(select(LINK).where(LINK.c.nonce == nonce)).first()
    if row is None or not hmac.compare_digest(
        _mac(secret, nonce, row.listing_slug, row.expires), mac
    ):
        return LinkState.MALFORMED, None
    if row.listing_slug != slug:
        return LinkState.OTHER_LISTING, None
    if row.used is not None:
        return LinkState.USED, None
    if row.expires <= now:
        return LinkState.EXPIRED, None
    return LinkState.VALID, nonce


# --- the form ------------------------------------------------------------------------------


@dataclass
class Form:
    """What the form holds: as typed (``raw``), and parsed when valid."""

    raw: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def form_from_listing(listing: Any, today: date) -> dict[str, Any]:
    """The form as the listing stands (a next opening already past is left empty)."""
    opening = listing.next_opening
    return {
        "accepting": "new" if listing.accepting else "none",
        "next_opening": opening.isoformat() if opening and opening >= today else "",
        "formats": list(listing.formats),
        "fee_min": str(listing.fee_min),
        "fee_max": str(listing.fee_max),
        "insurance": list(listing.insurance),
    }


def _whole(text: str) -> int | None:
    text = text.strip().lstrip("$")
    return int(text) if text.isdigit() and len(text) <= 6 else None


def parse_form(data: Mapping[str, Any], tax: Taxonomy, *, has_office: bool, today: date) -> Form:
    def many(name: str) -> list[str]:
        value = data.get(name, [])
        return [str(v) for v in (value if isinstance(value, list) else [value])][:40]

    def one(name: str) -> str:
        value = data.get(name, "")
        return str(value[-1] if isinstance(value, list) and value else value or "")[:40]

    raw = {
        "accepting": one("accepting"),
        "next_opening": one("next_opening").strip(),
        "formats": many("formats"),
        "fee_min": one("fee_min").strip(),
        "fee_max": one("fee_max").strip(),
        "insurance": many("insurance"),
    }
    form = Form(raw)
    errors, values = form.errors, form.values
    if raw["accepting"] not in ACCEPTING:
        errors["accepting"] = N_("Choose whether you are taking new clients.")
    else:
        values["accepting"] = raw["accepting"] == "new"
    values["next_opening"] = None
    if raw["next_opening"]:
        try:
            opening = date.fromisoformat(raw["next_opening"])
        except ValueError:
            errors["next_opening"] = N_("Write the date as year-month-day, for example 2027-01-15.")
        else:
            if opening < today:
                errors["next_opening"] = N_("The next opening cannot be in the past.")
            elif opening > today + timedelta(days=366):
                errors["next_opening"] = N_("Give a date within the next year, or leave it empty.")
            else:
                values["next_opening"] = opening
    formats = [s for s in (t.slug for t in tax.terms("format")) if s in raw["formats"]]
    if not formats:
        errors["formats"] = N_("Choose at least one way you meet clients.")
    elif "in-person" in formats and not has_office:
        errors["formats"] = N_("Your listing has no office address, so it cannot offer in person.")
    values["formats"] = formats
    fee_min, fee_max = _whole(raw["fee_min"]), _whole(raw["fee_max"])
    if fee_min is None or not 0 <= fee_min <= FEE_MAX:
        errors["fee_min"] = Text(
            N_("Write the lowest fee in whole dollars (0 to {max})."), max=FEE_MAX
        )
    if fee_max is None or not 0 <= fee_max <= FEE_MAX:
        errors["fee_max"] = Text(
            N_("Write the highest fee in whole dollars (0 to {max})."), max=FEE_MAX
        )
    elif fee_min is not None and fee_max < fee_min:
        errors["fee_max"] = N_("The highest fee cannot be below the lowest.")
    values["fee_min"], values["fee_max"] = fee_min, fee_max
    values["insurance"] = [
        s for s in (t.slug for t in tax.terms("insurance")) if s in raw["insurance"]
    ]
    return form


# --- saving --------------------------------------------------------------------------------


class LinkNoLongerValid(Exception):
    """The link was used or expired between showing the form and saving it."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)[:400]


def save(
    conn: Connection,
    *,
    nonce: str,
    slug: str,
    values: Mapping[str, Any],
    accepting_answer: str,
    now: datetime,
    today: date | None = None,
) -> list[tuple[str, str, str]]:
    """Apply a valid form for ``slug`` in the caller's transaction; the (field, old, new) of
    every change. Raises LinkNoLongerValid (and changes nothing) unless this call is the one
    that marks the link used."""
    used = conn.execute(
        update(LINK)
        .where(
            LINK.c.nonce == nonce,
            LINK.c.listing_slug == slug,
            LINK.c.used.is_(None),
            LINK.c.expires > now,
        )
        .values(used=now)
    )
    if used.rowcount != 1:
        raise LinkNoLongerValid
    c = LISTING.c
    row = conn.execute(select(LISTING).where(c.slug == slug)).first()
    if row is None:
        raise LinkNoLongerValid
    today = today or date.today()  # the server's day, as every label reads it
    changes: list[tuple[str, str, str]] = []
    for name in FIELDS:
        old, new = getattr(row, name), values[name]
        if old != new:
            changes.append((name, _text(old), _text(new)))
    changes.append(("answer", "", ACCEPTING[accepting_answer]))
    changes.append(("availability_confirmed", _text(row.availability_confirmed), today.isoformat()))
    conn.execute(
        update(LISTING)
        .where(c.id == row.id)
        .values(**dict(values), availability_confirmed=today, last_verified=today)
    )
    for facet, name in (("format", "formats"), ("insurance", "insurance")):
        if getattr(row, name) != values[name]:
            conn.execute(delete(FACET).where(FACET.c.listing_id == row.id, FACET.c.facet == facet))
            if values[name]:
                conn.execute(
                    insert(FACET),
                    [{"facet": facet, "value": v, "listing_id": row.id} for v in values[name]],
                )
    conn.execute(
        insert(CHANGE),
        [
            {"listing_slug": slug, "changed": now, "field": name, "old": old, "new": new}
            for name, old, new in changes
        ],
    )
    bump_data_version(conn)
    return changes
