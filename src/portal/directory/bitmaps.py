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

All of them describe one version of the listings (``db.data_version``), read together in one
snapshot. A process keeps the bitmaps of the version it read last; a request that reads
another version gets None from ``current`` and is answered by SQL alone, never from
another version's bitmaps. A server (``serve``) builds them at start-up and, when the
version changes, again in a background thread: never on a request. Without a server
(the command line, tests) they are built on first use, in the caller's own snapshot.
"""

from __future__ import annotations

import logging
import math
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from weakref import WeakKeyDictionary

from bitarray import bitarray
from sqlalchemy import Engine, Text, cast, func, select
from sqlalchemy.orm import Session

from portal.db import data_version
from portal.directory.registry import FLAG_COLUMNS
from portal.models import Listing, ListingFacet

log = logging.getLogger("portal")

CELLS_MAX = 640
"""A radius over more cells than this is left to SQL (500 miles is at most about 500)."""
FLAGS = FLAG_COLUMNS
"""The boolean columns with a bitmap: every column a yes/no filter of the registry reads."""
KEPT_CELLS = 512
"""Cell bitmaps kept once made (a cell is kept as its ids, 4 bytes each, and its bitmap of up
to 12.5 kB is made when a radius first asks for it)."""

FACET = ListingFacet.__table__
LISTING = Listing.__table__


def from_ids(ids: Iterable[int]) -> int:
    ids = ids if isinstance(ids, (list, array)) else list(ids)
    if not ids:
        return 0
    bits = bitarray(max(ids) + 1, endian="little")
    bits.setall(0)
    bits[list(ids) if isinstance(ids, array) else ids] = 1
    return int.from_bytes(bits.tobytes(), "little")


def to_ids(bitmap: int) -> list[int]:
    """The listing ids in a bitmap, ascending. The set bits are found in C (bitarray): the
    candidates of a ZIP radius, a few hundred bits of 100,000, took 350 µs to find from
    the int's binary digits and take 50 µs here."""
    if not bitmap:
        return []
    bits = bitarray(endian="little")
    bits.frombytes(bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little"))
    return list(bits.search(1))


def member(bitmap: int) -> Callable[[int], bool]:
    """A test of "is this id in the bitmap", in constant time (a byte and a shift)."""
    raw = bitmap.to_bytes((bitmap.bit_length() + 8) // 8, "little")
    size = len(raw)

    def has(listing_id: int) -> bool:
        byte = listing_id >> 3
        return byte < size and bool(raw[byte] >> (listing_id & 7) & 1)

    return has


def cells(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> list[str]:
    """The one-degree cells a box overlaps, as "lat,lon" of their south-west corners."""
    return [
        f"{lat},{lon}"
        for lat in range(math.floor(min_lat), math.floor(max_lat) + 1)
        for lon in range(math.floor(min_lon), math.floor(max_lon) + 1)
    ]


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


@dataclass
class Bitmaps:
    """Everything kept about one version of the listings."""

    version: int
    order: Order
    facets: dict[tuple[str, str], int]
    flags: dict[str, int]
    verified: array[int]  # by id: last_verified as a day number (0: no listing)
    cell_ids: dict[str, array[int]]
    opening: array[int] = field(default_factory=lambda: array("i"))  # next_opening, 0: none
    fee: array[float] = field(default_factory=lambda: array("d"))  # the lowest fee, by id
    _cells: dict[str, int] = field(default_factory=dict)
    _fresh: dict[date, int] = field(default_factory=dict)
    _soon: dict[date, int] = field(default_factory=dict)
    _ranks: dict[date, array[int]] = field(default_factory=dict)

    def facet(self, name: str, values: Sequence[str]) -> int:
        """Listings with any of ``values`` of facet ``name``."""
        bitmap = 0
        for value in values:
            bitmap |= self.facets.get((name, value), 0)
        return bitmap

    def flag(self, column: str) -> int:
        """Listings whose yes/no ``column`` is yes."""
        return self.flags[column]

    def any_flag(self, columns: Sequence[str]) -> int:
        """Listings with any of the yes/no ``columns`` yes (a filter of the registry)."""
        bitmap = 0
        for column in columns:
            bitmap |= self.flags[column]
        return bitmap

    def accepting(self) -> int:
        return self.flags["accepting"]

    def fresh(self, since: date) -> int:
        """Listings verified on or after ``since`` (the ones not marked "not verified
        recently")."""
        hit = self._fresh.get(since)
        if hit is None:
            day = since.toordinal()
            hit = from_ids([i for i, d in enumerate(self.verified) if d >= day])
            if len(self._fresh) > 8:
                self._fresh.clear()
            self._fresh[since] = hit
        return hit

    def opening_by(self, until: date) -> int:
        """Listings whose next opening is on or before ``until`` (past ones too)."""
        hit = self._soon.get(until)
        if hit is None:
            day = until.toordinal()
            hit = from_ids([i for i, d in enumerate(self.opening) if 0 < d <= day])
            if len(self._soon) > 8:
                self._soon.clear()
            self._soon[until] = hit
        return hit

    def fee_at_most(self, max_fee: int) -> Callable[[int], bool]:
        """A test of "can this listing be seen for at most ``max_fee``": its lowest fee, or
        its sliding scale's floor (the fee filter of directory.query, for one id)."""
        fee = self.fee
        return lambda i: fee[i] <= max_fee

    def near(self, box_cells: list[str]) -> int:
        """Listings in any of ``box_cells``: every listing inside the box, and some around it."""
        if len(box_cells) > KEPT_CELLS // 8:  # a wide radius: its ids at once, not kept
            found = array("i")
            for cell in box_cells:
                found.extend(self.cell_ids.get(cell, ()))
            return from_ids(found)
        bitmap = 0
        for cell in box_cells:
            hit = self._cells.get(cell)
            if hit is None:
                hit = from_ids(self.cell_ids.get(cell, ()))
                if len(self._cells) >= KEPT_CELLS:
                    self._cells.clear()
                self._cells[cell] = hit
            bitmap |= hit
        return bitmap

    def relevance(self, since: date) -> array[int]:
        """Every listing's place in the default order ("relevance": verified on or after
        ``since`` first, then accepting new clients first, then by shuffle and id), by id:
        a list of listings is put in that order by one lookup each."""
        hit = self._ranks.get(since)
        if hit is not None:
            return hit
        o = self.order
        is_fresh = member(self.fresh(since))
        is_open = member(self.accepting())
        n = len(o.ids)
        rank = array("q", bytes(8 * len(o.shuffle)))
        for position, i in enumerate(o.ids):
            rank[i] = ((not is_fresh(i)) * 2 + (not is_open(i))) * n + position
        if len(self._ranks) > 8:
            self._ranks.clear()
        self._ranks[since] = rank
        return rank


def build(session: Session) -> Bitmaps:
    """Every bitmap of the version ``session`` reads, in its snapshot."""
    version = data_version(session)
    c = LISTING.c
    rows = session.execute(
        select(
            c.id,
            c.shuffle,
            c.lat,
            c.lon,
            c.last_verified,
            *(c[f] for f in FLAGS),
            c.next_opening,
            c.fee_min,
            c.sliding_floor,
        )
    ).all()
    size = max((r[0] for r in rows), default=0) + 1
    shuffle = array("q", bytes(8 * size))
    verified = array("i", bytes(4 * size))
    opening = array("i", bytes(4 * size))
    fee = array("d", [math.inf]) * size
    lat = array("d", [math.nan]) * size
    lon = array("d", lat)
    on: dict[str, list[int]] = {f: [] for f in FLAGS}
    places: dict[str, list[int]] = {}
    for row in rows:
        i = row[0]
        shuffle[i] = row[1]
        verified[i] = row[4].toordinal()
        if row[2] is not None and row[3] is not None:
            lat[i], lon[i] = row[2], row[3]
            places.setdefault(f"{math.floor(row[2])},{math.floor(row[3])}", []).append(i)
        flags = row[5 : 5 + len(FLAGS)]
        for flag, value in zip(FLAGS, flags, strict=True):
            if value:
                on[flag].append(i)
        next_opening, fee_min, floor = row[5 + len(FLAGS) :]
        if next_opening is not None:
            opening[i] = next_opening.toordinal()
        # NULL compares false in SQL: a fee or floor that is not there allows nothing.
        fees = [fee_min] if fee_min is not None else []
        if floor is not None and row[5 + FLAGS.index("sliding_scale")]:
            fees.append(floor)
        fee[i] = min(fees, default=math.inf)
    ids = array("q", sorted((r[0] for r in rows), key=lambda i: (shuffle[i], i)))
    order = Order(shuffle, ids, from_ids(ids), lat, lon)
    # One row per facet value, its listings joined in one text: a few hundred rows to
    # decode instead of millions.
    if session.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(cast(FACET.c.listing_id, Text), ",")
    else:
        joined = func.group_concat(FACET.c.listing_id, ",")
    facets: dict[tuple[str, str], int] = {}
    for name, value, text in session.execute(
        select(FACET.c.facet, FACET.c.value, joined).group_by(FACET.c.facet, FACET.c.value)
    ):
        facets[(name, value)] = from_ids(array("q", map(int, text.split(","))))
    return Bitmaps(
        version=version,
        order=order,
        facets=facets,
        flags={flag: from_ids(found) for flag, found in on.items()},
        verified=verified,
        opening=opening,
        fee=fee,
        cell_ids={cell: array("i", found) for cell, found in places.items()},
    )


# --- which version is kept, and who builds the next --------------------------------------

_names: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()
_kept: dict[str, Bitmaps] = {}
_served: dict[str, Engine] = {}  # databases whose bitmaps a background thread builds
_wanted: dict[str, int] = {}  # the newest version a request has read, per database
_builders: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def database(session: Session) -> str:
    """Which database a session reads, as a key of what is kept (the tests use several)."""
    engine = session.get_bind().engine
    name = _names.get(engine)
    if name is None:
        # Kept by engine: a URL hashes by rendering itself, which took longer than a lookup.
        name = _names[engine] = engine.url.render_as_string(hide_password=True)
    return name


def current(session: Session) -> Bitmaps | None:
    """The bitmaps of the version ``session`` reads, or None while they are being built
    (the caller then reads SQL alone)."""
    url = database(session)
    version = data_version(session)
    kept = _kept.get(url)
    if kept is not None and kept.version == version:
        return kept
    if url not in _served:
        found = _kept[url] = build(session)
        return found
    with _lock:
        if kept is not None and kept.version < version:
            del _kept[url]  # nobody reads it again: the memory is needed for the next
        if version > _wanted.get(url, 0):
            _wanted[url] = version
            _start(url)
    return None


def _start(url: str) -> None:
    """Start the background build for ``url`` unless one runs (it then looks again)."""
    running = _builders.get(url)
    if running is not None and running.is_alive():
        return
    thread = threading.Thread(target=_keep_building, args=(url,), name="bitmaps", daemon=True)
    _builders[url] = thread
    thread.start()


def _keep_building(url: str) -> None:
    engine = _served[url]
    while True:
        try:
            with Session(engine) as session:
                found = build(session)
        except Exception:  # the next request that reads a new version starts another
            log.exception("building the directory's bitmaps failed")
            return
        with _lock:
            kept = _kept.get(url)
            if kept is None or kept.version < found.version:
                _kept[url] = found
            if _wanted.get(url, 0) <= found.version:
                return


def serve(engine: Engine) -> None:
    """Build ``engine``'s bitmaps now (a server's start-up), and from then on in the
    background whenever a request reads a new version."""
    with Session(engine) as session:
        url = database(session)
        try:
            kept = _kept.get(url)
            if kept is not None and kept.version == data_version(session):
                found: Bitmaps | None = kept
            else:
                found = build(session)
        except Exception:  # no schema yet: built in the background after the first load
            log.warning("the directory's bitmaps are not built yet (no listings)")
            found = None
    with _lock:
        _served[url] = engine
        if found is not None:
            _kept[url] = found


def wait(engine: Engine) -> None:
    """Wait for a background build of ``engine``'s bitmaps to finish, if one runs."""
    thread = _builders.get(engine.url.render_as_string(hide_password=True))
    if thread is not None:
        thread.join()


def clear() -> None:
    """Forget every kept version, and which databases are served (a test's fresh start)."""
    with _lock:
        _kept.clear()
        _wanted.clear()
        _served.clear()
