"""Which listings have a facet value, as one Python int per value: bit ``n`` is listing ``n``.

The AND of a few bitmaps says exactly how many listings match a set of facet filters, in
microseconds and whatever the combination. SQL can only find that out by visiting the
matching rows, and for a combination of broad values that match little together
("parent and adult child" + "co-parenting" + "phone") it visits nearly every listing. A
bitmap of 100,000 listings is 12.5 kB; the directory's ~200 facet values fit in 3 MB.

The yes/no filters (sliding scale, free consultation, ...) and places have bitmaps too: a
place is a cell of one degree of latitude by one of longitude, and a ZIP radius ANDs the few
cells around it with the other filters before any row is read (SQL then tests the exact
distance of what is left). Without them a radius reads every listing in its band of
latitude, across the whole country.

Everything here is read on first use and kept for ``SECONDS`` (listings change only when the
seed or an import is loaded), and dropped all at once: a bitmap never names a listing the
default order's arrays do not know.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from weakref import WeakKeyDictionary

from bitarray import bitarray
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.models import Listing, ListingFacet

SECONDS = 600.0
CELLS_MAX = 36
"""A radius over more cells than this is left to SQL (each cell is a read on first use)."""
FLAGS = frozenset(
    {"accepting", "sliding_scale", "free_consult", "screens_individually", "evenings", "weekends"}
)

FACET = ListingFacet.__table__
LISTING = Listing.__table__

_cache: dict[tuple[str, str, str], int] = {}
_orders: dict[str, Order] = {}
_ranks: dict[tuple[str, date], array[int]] = {}
_ends = 0.0  # when what is kept is dropped


def clear() -> None:
    global _ends
    _cache.clear()
    _orders.clear()
    _ranks.clear()
    _ends = time.monotonic() + SECONDS


def _expire() -> None:
    if time.monotonic() >= _ends:
        clear()


_names: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def database(session: Session) -> str:
    """Which database a session reads, as a key of what is kept (the tests use several)."""
    engine = session.get_bind().engine
    name = _names.get(engine)
    if name is None:
        # Kept by engine: a URL hashes by rendering itself, which took longer than a lookup.
        name = _names[engine] = engine.url.render_as_string(hide_password=True)
    return name


def from_ids(ids: Iterable[int]) -> int:
    ids = list(ids)
    if not ids:
        return 0
    raw = bytearray((max(ids) >> 3) + 1)
    for i in ids:
        raw[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(raw, "little")


def to_ids(bitmap: int) -> list[int]:
    """The listing ids in a bitmap, ascending. The set bits are found in C (bitarray): the
    candidates of a ZIP radius, a few hundred bits of 100,000, took 350 µs to find from
    the int's binary digits and take 50 µs here."""
    if not bitmap:
        return []
    bits = bitarray(endian="little")
    bits.frombytes(bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little"))
    return list(bits.search(1))


def _read(session: Session, key: tuple[str, str, str]) -> int:
    _expire()
    hit = _cache.get(key)
    if hit is not None:
        return hit
    _, facet, value = key
    c = LISTING.c
    if facet == "":  # a yes/no column (`== True`, not IS TRUE: PostgreSQL indexes the first)
        stmt = select(c.id).where(c[value] == True)  # noqa: E712
    elif facet == "fresh":
        stmt = select(c.id).where(c.last_verified >= date.fromisoformat(value))
    elif facet == "cell":
        lat, lon = (int(v) for v in value.split(","))
        stmt = select(c.id).where(c.lat >= lat, c.lat < lat + 1, c.lon >= lon, c.lon < lon + 1)
    else:
        stmt = select(FACET.c.listing_id).where(FACET.c.facet == facet, FACET.c.value == value)
    # Only the listings the default order knows: one loaded since then waits for the next
    # reading of everything (at most SECONDS).
    bitmap = from_ids(session.execute(stmt).scalars()) & order(session).everyone
    if len(_cache) > 4096:
        _cache.clear()
    _cache[key] = bitmap
    return bitmap


def facet(session: Session, name: str, values: Sequence[str]) -> int:
    """Listings with any of ``values`` of facet ``name``."""
    url = database(session)
    bitmap = 0
    for value in values:
        bitmap |= _read(session, (url, name, value))
    return bitmap


def flag(session: Session, column: str) -> int:
    """Listings whose yes/no ``column`` is yes."""
    assert column in FLAGS, column
    return _read(session, (database(session), "", column))


def accepting(session: Session) -> int:
    return flag(session, "accepting")


def fresh(session: Session, since: date) -> int:
    """Listings verified on or after ``since`` (the ones not marked "not verified recently")."""
    return _read(session, (database(session), "fresh", since.isoformat()))


@dataclass(frozen=True)
class Order:
    """The default order's tie-break, for walking it in memory: every listing's
    ``shuffle`` by id, every id sorted by (shuffle, id), and every id as a bitmap; and
    every listing's place, for the exact distance of a ZIP radius's few candidates."""

    shuffle: array[int]
    ids: array[int]
    everyone: int
    lat: array[float]  # by id, NaN for a telehealth-only listing (ZIP radii, in memory)
    lon: array[float]


def order(session: Session) -> Order:
    _expire()
    url = database(session)
    hit = _orders.get(url)
    if hit is not None:
        return hit
    c = LISTING.c
    rows = session.execute(select(c.id, c.shuffle)).all()
    shuffle = array("q", bytes(8 * (max((r[0] for r in rows), default=0) + 1)))
    for listing_id, value in rows:
        shuffle[listing_id] = value
    lat = array("d", [math.nan]) * len(shuffle)
    lon = array("d", lat)
    for listing_id, y, x in session.execute(select(c.id, c.lat, c.lon).where(c.lat.is_not(None))):
        lat[listing_id], lon[listing_id] = y, x
    rows.sort(key=lambda r: (r[1], r[0]))
    ids = array("q", (r[0] for r in rows))
    found = Order(shuffle, ids, from_ids(ids), lat, lon)
    _orders[url] = found
    return found


def relevance(session: Session, since: date) -> array[int]:
    """Every listing's place in the default order ("relevance": verified on or after
    ``since`` first, then accepting new clients first, then by shuffle and id), by id: a
    list of listings is put in that order by one lookup each."""
    _expire()
    key = (database(session), since)
    hit = _ranks.get(key)
    if hit is not None:
        return hit
    o = order(session)
    is_fresh = member(fresh(session, since))
    is_open = member(accepting(session))
    n = len(o.ids)
    rank = array("q", bytes(8 * len(o.shuffle)))
    for position, i in enumerate(o.ids):
        rank[i] = ((not is_fresh(i)) * 2 + (not is_open(i))) * n + position
    if len(_ranks) > 8:
        _ranks.clear()
    _ranks[key] = rank
    return rank


def cells(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> list[str]:
    """The one-degree cells a box overlaps, as "lat,lon" of their south-west corners."""
    return [
        f"{lat},{lon}"
        for lat in range(math.floor(min_lat), math.floor(max_lat) + 1)
        for lon in range(math.floor(min_lon), math.floor(max_lon) + 1)
    ]


def near(session: Session, box_cells: list[str]) -> int:
    """Listings in any of ``box_cells``: every listing inside the box, and some around it."""
    url = database(session)
    bitmap = 0
    for cell in box_cells:
        bitmap |= _read(session, (url, "cell", cell))
    return bitmap


def member(bitmap: int) -> Callable[[int], bool]:
    """A test of "is this id in the bitmap", in constant time (a byte and a shift)."""
    raw = bitmap.to_bytes((bitmap.bit_length() + 8) // 8, "little")
    size = len(raw)

    def has(listing_id: int) -> bool:
        byte = listing_id >> 3
        return byte < size and bool(raw[byte] >> (listing_id & 7) & 1)

    return has
