"""Listing rows as the pages read them: by id (a page of results) or by slug (a profile).

Read with SQLAlchemy Core on the session's connection (no ORM instances: a page only reads
them), only the columns the page shows. The list columns arrive as JSON text and are decoded
on first use (ListingRow).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Select, Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from portal.models import Listing

LISTING = Listing.__table__
C = LISTING.c
JSON_COLUMNS = frozenset(c.name for c in LISTING.c if isinstance(c.type, JSON))

CARD_FACTS = frozenset(
    [
        "id",
        "slug",
        "name",
        "pronouns",
        "licence_type",
        "years_in_practice",
        "city",
        "state",
        "fee_min",
        "fee_max",
        "sliding_scale",
        "sliding_floor",
        "accepting",
        "next_opening",
        "reply_days",
        "last_verified",
        "availability_confirmed",
        "formats",
    ]
)
"""What a result card shows (web/cards.py reads these and no other)."""

CARD_COLUMNS = CARD_FACTS | {
    "screens_individually",
    "free_consult",
    "evenings",
    "weekends",
    "sees",
    "specialties",
    "modalities",
    "insurance",
    "languages",
    "telehealth_states",
}
"""What a result card shows, and whatever says why it fits (matching.py): not the bio."""


class ListingRow:
    """Columns of one `listing` row as plain attributes, read like a Listing
    (l.name, l.fee_min): a template reads a dozen attributes a card, and a plain attribute
    is several times cheaper to read than a Row's. List columns arrive as JSON text and are
    decoded on first use: a card shows one or two of the nine."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._json = {name: values.pop(name) for name in JSON_COLUMNS if name in values}
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        json_ = self.__dict__.get("_json")
        if json_ is None or name not in json_:
            raise AttributeError(name)
        raw = json_[name]
        value = json.loads(raw) if isinstance(raw, str) else raw  # psycopg decodes JSON itself
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"ListingRow(id={self.__dict__.get('id')!r}, slug={self.__dict__.get('slug')!r})"


@dataclass(frozen=True, eq=False)  # one of each kind, hashed as itself (an lru_cache key)
class Columns:
    """The columns of one kind of read, in table order, and the SELECT that reads them."""

    names: tuple[str, ...]
    statement: Select[Any] = field(repr=False)

    @classmethod
    def of(cls, names: frozenset[str] | None = None) -> Columns:
        columns = [c for c in LISTING.c if names is None or c.name in names]
        # The list columns as text: ListingRow decodes them when they are read.
        return cls(
            names=tuple(c.name for c in columns),
            statement=select(
                *(
                    type_coerce(c, Text).label(c.name) if c.name in JSON_COLUMNS else c
                    for c in columns
                )
            ),
        )


CARD = Columns.of(CARD_COLUMNS)
ALL = Columns.of()


@lru_cache(maxsize=64)
def columns_of(names: frozenset[str]) -> Columns:
    """The Columns of these names (and the id), one object per set: a page reads only what
    its cards show and what says why they fit its filters."""
    names = names | {"id"}
    if names == CARD_COLUMNS:
        return CARD
    return Columns.of(names)


@lru_cache(maxsize=64)
def _by_ids(columns: Columns) -> Select[Any]:
    return columns.statement.where(C.id.in_(bindparam("ids", expanding=True)))


_BY_SLUG = ALL.statement.where(C.slug == bindparam("slug"))


def by_ids(session: Session, ids: Sequence[int], columns: Columns = CARD) -> dict[int, ListingRow]:
    """The listings with these ids (those that still exist), by id."""
    if not ids:
        return {}
    result = session.connection().execute(_by_ids(columns), {"ids": list(ids)})
    # Zipped with the names once: Row._asdict() looks each column up through the row's
    # mapping view, which cost more than the SELECT itself.
    names = tuple(result.keys())
    return {row.id: ListingRow(dict(zip(names, row, strict=True))) for row in result}


def by_slug(session: Session, slug: str) -> ListingRow | None:
    """One listing, every column, by slug."""
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses NUL in text
        return None
    row = session.connection().execute(_BY_SLUG, {"slug": slug}).first()
    return ListingRow(row._asdict()) if row is not None else None
