"""Build and run the directory query for a ``DirectoryQuery``.

How a page stays fast at 100,000 listings (README, "Performance"):

* Every sort has one meaning, written twice: as an ORDER BY expression, and as "arms", index
  ranges read in order one after the other (fresh listings before stale ones, accepting
  before not). Ties end with ``shuffle``, a fixed pseudo-random key set at load time, then id.
* Filters are decided in memory where they can be (bitmaps.py): the AND of the bitmaps of
  the facets, the yes/no filters and a search's kept matches is the exact set of listings
  they allow; a ZIP radius adds the cells around it. A set of at most DRIVE_MAX is read by
  id (*driving*): sorted with the expression, or, for a kept search, in its kept order.
  SQL is left the fee, the exact distance, and any search with too many matches to keep.
* Broad queries *walk* the arms and stop after one page: the default order in memory (the
  arms as bitmaps, each read in shuffle order), the other sorts off their index in SQL,
  each id checked against the bitmap. Facets never reach SQL as subqueries: a database may
  turn those into joins that read every listing with the value before the first row.
* Totals come from the bitmaps when they decide every filter (a bit count, exact however
  many match); otherwise they are counted up to COUNT_CAP (shown as "More than 1,000"),
  over the ids SQL returns, and kept for the data version.
* Everything kept (bitmaps, totals, a search's matches) belongs to one data version
  (db.data_version, read once per request). While the bitmaps of a new version are being
  built, a query is answered by SQL alone (``_sql_plan``): slower, never stale.
* ``page=N`` reaches the first COUNT_CAP results of a walk by skipping ids as they stream;
  further pages of a broad query come from a keyset cursor (``after=``, the position of the
  last row shown): an OFFSET reads and drops every row before the page, so page 500 of
  100,000 would cost 500 pages.
* A result page reads only the columns of its cards, by id (rows.py).
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Engine,
    Row,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.db import data_version
from portal.directory import availability, bitmaps, geo, ranking
from portal.directory import rows as rows_
from portal.directory.filters import MULTI_FACETS, DirectoryQuery
from portal.directory.geo import MILES_PER_DEGREE_LAT, bounding_box, miles_per_degree_lon
from portal.directory.registry import CHOICE, FILTERS, FLAGS
from portal.directory.rows import ListingRow
from portal.directory.search import fts_ids, fts_subquery, match_expression, whole_words_match
from portal.models import Listing, ListingFacet

COUNT_CAP = 1000
"""Counted totals stop here: a page then says "More than 1,000 counselors match". Numbered
pages reach this far; later ones follow a cursor."""
DRIVE_MAX = 3000
"""A facet value with at most this many listings is read first and its listings sorted."""
STREAM_BATCH = 1024
MEMORY_WALK_SORTS = frozenset({"relevance"})
"""Sorts walked in memory from the bitmaps (the others walk their index in SQL)."""
NEAREST_SORTS = frozenset({"relevance", "distance"})
"""Sorts of a radius decided in memory that are ordered in memory too."""
RADIUS_MAX = 10_000
"""A ZIP radius (and filters) whose cells hold at most this many listings is measured and
ordered in memory, for the sorts of NEAREST_SORTS; one with a fee, by SQL. A bigger one is
walked like a broad query, each listing's distance tested as it comes, except in distance
order (SQL, and only within geo.SORT_RADIUS_MAX miles)."""
SMALL_ARM = 4096
"""An arm of a walk in memory with at most this many listings is sorted, not scanned for."""
SEARCH_KEEP_MAX = 10_000
"""A search with at most this many matches keeps them (ids and scores) for its data version."""

LISTING = Listing.__table__
FACET = ListingFacet.__table__
C = LISTING.c


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field through object.__setattr__
class ResultItem:
    listing: ListingRow  # every column of `listing`, read like a Listing (l.name, l.fee_min)
    distance_miles: float | None
    distance2_miles: float | None = None  # from the second home (two-party search)
    telehealth: bool = False  # within reach by telehealth, not by distance (geo.Reach)


@dataclass(frozen=True)
class SearchResult:
    items: list[ResultItem]
    total: int
    query: DirectoryQuery
    search_ignored: bool = False
    total_capped: bool = False  # there are more than `total` (= COUNT_CAP) matches
    known_total: int | None = None  # how many match, when known without counting (bitmaps)
    has_next: bool = False
    next_cursor: str | None = None  # `after=` for the next page, beyond the numbered pages
    beyond_window: bool = False  # `page=N` alone asked for a page only a cursor can reach

    @property
    def pages(self) -> int:
        """Pages in all; with a capped total, the pages reachable by number."""
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def window(self) -> int:
        """Pages that ``page=N`` reaches on its own; later ones follow a cursor."""
        return max(1, COUNT_CAP // self.query.per_page)

    def next_page(self) -> dict[str, Any] | None:
        """``query_string`` overrides for the Next link."""
        if not self.has_next:
            return None
        page = self.query.page + 1
        cursor = self.next_cursor if page > self.window else None
        return {"page": page, "after": cursor or ""}

    def previous_page(self) -> dict[str, Any] | None:
        page = self.query.page - 1
        if page < 1 or (self.query.after and page > self.window):
            return None  # a page reached by cursor: the browser's Back goes back
        return {"page": page, "after": ""}

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.query.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


@dataclass(frozen=True)
class Arm:
    """One index range of a walk, read in ``keys`` order (all ascending or all descending)."""

    where: tuple[ColumnElement[bool], ...]
    keys: tuple[Any, ...]
    descending: bool = False

    def order(self) -> list[Any]:
        return [k.desc() for k in self.keys] if self.descending else list(self.keys)


class _Kept:
    """The last ``size`` values put, by key. Every key holds the data version: a value is
    never read for another version, and the old ones age out."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        hit = self.items.get(key)
        if hit is not None:
            self.items.move_to_end(key)
        return hit

    def put(self, key: Any, value: Any) -> Any:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value


@dataclass(frozen=True)
class Matches:
    """The listings a search matches, in the order of ``order_by`` for it (fresh first, then
    score, accepting first, shuffle, id), and as a bitmap to AND with the filters'. With more
    than SEARCH_KEEP_MAX (``broad``: a word in most bios), the bitmap alone: the search is
    then a filter, its matches in the default order, as ranking them all would cost a read
    of every match's text statistics on every request."""

    ordered: array[int]
    bitmap: int
    broad: bool = False


_counts = _Kept()
_whole_words = _Kept()
_matches = _Kept(size=64)
_tiers = _Kept(size=8)


def clear_caches() -> None:
    """Forget kept totals, searches and bitmaps (a test's fresh start: a load needs no
    call, its new data version does it)."""
    _counts.items.clear()
    _whole_words.items.clear()
    _matches.items.clear()
    _tiers.items.clear()
    bitmaps.clear()


# --- filters -----------------------------------------------------------------------------


_FACET_CHOICES = tuple(f for f in FILTERS if f.kind == CHOICE and f.facet)


def _facet_groups(query: DirectoryQuery) -> list[tuple[str, tuple[str, ...]]]:
    groups = [(name, getattr(query, name)) for name in MULTI_FACETS if getattr(query, name)]
    for choice in _FACET_CHOICES:  # one-of filters kept as facets: gender, telehealth state
        if value := getattr(query, choice.name):
            groups.append((choice.facet, (value,)))
    return groups


def _distance_sq(query: DirectoryQuery) -> ColumnElement[float]:
    assert query.origin is not None
    if query.origin2 is not None:  # two homes: the longer of the two distances
        d1, d2 = _distance_from(*query.origin), _distance_from(*query.origin2)
        return case((d1 >= d2, d1), else_=d2)
    return _distance_from(*query.origin)


def _reach(query: DirectoryQuery) -> geo.Reach | None:
    if query.origin is None:
        return None
    return geo.telehealth_reach(query.format, query.states, two_homes=query.origin2 is not None)


def _reach_sql(reach: geo.Reach) -> ColumnElement[bool]:
    def has(facet: str, values: tuple[str, ...]) -> ColumnElement[bool]:
        return (
            select(FACET.c.listing_id)
            .where(FACET.c.listing_id == C.id, FACET.c.facet == facet, FACET.c.value.in_(values))
            .exists()
        )

    return and_(
        *(has("telehealth_state", (state,)) for state in reach.states),
        has("format", reach.formats),
    )


def _reach_bitmap(b: bitmaps.Bitmaps, reach: geo.Reach) -> int:
    found = b.facet("format", reach.formats)
    for state in reach.states:
        found &= b.facet("telehealth_state", (state,))
    return found


@lru_cache(maxsize=256)
def _distance_from(lat0: float, lon0: float) -> ColumnElement[float]:
    dy = (C.lat - lat0) * MILES_PER_DEGREE_LAT
    dx = (C.lon - lon0) * miles_per_degree_lon(lat0)
    return dy * dy + dx * dx


def _row_filters(query: DirectoryQuery, *, box: bool = True) -> list[ColumnElement[bool]]:
    """What the bitmaps cannot decide: the fee, and the exact distance (with the radius's
    bounding box for an index, unless ``box`` is False because the ids come from its cells)."""
    where: list[ColumnElement[bool]] = []
    if query.origin is not None:
        near: list[ColumnElement[bool]] = []
        if box:
            b = bounding_box(query.origin[0], query.origin[1], query.radius)
            near += [C.lat.between(b.min_lat, b.max_lat), C.lon.between(b.min_lon, b.max_lon)]
        near.append(_distance_sq(query) <= query.radius * query.radius)
        reach = _reach(query)
        where += near if reach is None else [or_(and_(*near), _reach_sql(reach))]
    if query.max_fee is not None:
        where.append(
            or_(
                C.fee_min <= query.max_fee,
                C.sliding_scale.is_(True) & (C.sliding_floor <= query.max_fee),
            )
        )
    if query.accepting:
        where.append(_ACCEPTING)
    return where


_ACCEPTING = func.coalesce(C.accepting, False).is_(True)
"""Also in the bitmap; in SQL too, so that a walk reads only the accepting arms. Through
coalesce, so that the planner never reads `accepting`'s index (half the table) and sorts it,
instead of walking the index of the order asked for. Built once, like every expression that
does not depend on the query: building one costs more than a walk in memory."""


_FLAG_FILTERS = tuple(f for f in FLAGS if f.name != "accepting")
"""The yes/no filters of the registry; accepting has its own arms and SQL (above)."""


def _bitmap_filters(b: bitmaps.Bitmaps, query: DirectoryQuery) -> int | None:
    """The AND of the bitmaps of every filter they decide, or None if no filter is set."""
    bitmap = -1
    for facet, values in _facet_groups(query):
        bitmap &= b.facet(facet, values)
    for flag in _FLAG_FILTERS:
        if getattr(query, flag.name):
            bitmap &= b.any_flag(flag.columns)
    if query.accepting:
        bitmap &= b.accepting()
    if query.exclude_modality:
        bitmap &= b.order.everyone & ~b.facet("modality", query.exclude_modality)
    return None if bitmap == -1 else bitmap


def _sql_filters(query: DirectoryQuery) -> list[ColumnElement[bool]]:
    """What ``_bitmap_filters`` decides, in SQL (while the bitmaps are being built)."""
    where: list[ColumnElement[bool]] = []
    for facet, values in _facet_groups(query):
        where.append(
            select(FACET.c.listing_id)
            .where(
                FACET.c.listing_id == C.id,
                FACET.c.facet == facet,
                FACET.c.value.in_(values),
            )
            .exists()
        )
    for flag in _FLAG_FILTERS:
        if getattr(query, flag.name):
            where.append(or_(*(C[c] == True for c in flag.columns)))  # noqa: E712
    if query.exclude_modality:
        where.append(
            ~select(FACET.c.listing_id)
            .where(
                FACET.c.listing_id == C.id,
                FACET.c.facet == "modality",
                FACET.c.value.in_(query.exclude_modality),
            )
            .exists()
        )
    return where


def _within(b: bitmaps.Bitmaps, query: DirectoryQuery, ids: list[int]) -> dict[int, float]:
    """Those of ``ids`` within the radius, with their squared distance: ``_distance_sq``
    in the same float operations, on the places kept in memory."""
    assert query.origin is not None
    o = b.order
    lat, lon = o.lat, o.lon
    lat0, lon0 = query.origin
    per_lat, per_lon = MILES_PER_DEGREE_LAT, miles_per_degree_lon(lat0)
    limit = query.radius * query.radius
    # The coordinates gathered in C (itemgetter), then one loop over the three: faster than
    # indexing both arrays for each id, or than a comprehension and a filtering dict.
    gather = itemgetter(*ids) if len(ids) > 1 else (lambda values: [values[i] for i in ids])
    within: dict[int, float] = {}
    for i, a, b in zip(ids, gather(lat), gather(lon), strict=True):
        dy = (a - lat0) * per_lat
        dx = (b - lon0) * per_lon
        d = dy * dy + dx * dx
        if d <= limit:  # False for NaN: a listing with no place is never within a radius
            within[i] = d
    return within


def _within_reach(
    b: bitmaps.Bitmaps, query: DirectoryQuery, ids: list[int], near: int, remote: int
) -> dict[int, float]:
    """``_within`` for two homes (within both radii, by the longer distance) and telehealth
    reach (the ``remote`` listings of ``ids`` beyond the radius: no distance, so last)."""
    allowed = bitmaps.from_ids(ids)
    within = _within(b, query, bitmaps.to_ids(near & allowed))
    if query.origin2 is not None and within:
        other = _within(b, replace(query, origin=query.origin2), list(within))
        within = {i: max(d, other[i]) for i, d in within.items() if i in other}
    if remote:
        beyond = bitmaps.to_ids(remote & allowed & ~bitmaps.from_ids(list(within)))
        within = {**dict.fromkeys(beyond, math.inf), **within}
    return within


def _cells(query: DirectoryQuery) -> list[str] | None:
    """The cells of a ZIP radius, or None without one (or when it covers too many)."""
    if query.origin is None:
        return None
    b = bounding_box(query.origin[0], query.origin[1], query.radius)
    found = bitmaps.cells(b.min_lat, b.max_lat, b.min_lon, b.max_lon)
    return found if len(found) <= bitmaps.CELLS_MAX else None


@dataclass
class Plan:
    """The filters of one query and how to read them: walk the sort's index, or drive."""

    filters: list[ColumnElement[bool]]  # left to SQL: the fee, the distance, accepting
    drive: bool
    fts: Any = None  # the FTS subquery, joined when searching
    score: Any = None
    distance: Any = None
    key: tuple[str, Any] = ("", None)  # the query as far as its totals go (cache key)
    exact: int | None = None  # the whole total, when the bitmaps alone decide every filter
    member: Callable[[int], bool] | None = None  # the facets, checked on ids SQL returns
    density: float = 1.0  # the share of listings in the bitmap (how many ids give a page)
    bitmap: int | None = None  # what the bitmaps allow (None: no filter they decide)
    distances: dict[int, float] | None = None  # a radius decided in memory: id -> miles²
    matches: Matches | None = None  # a search ranked here, from its kept matches
    ids: list[int] | None = None  # the driven set, when the bitmaps give a small one
    bitmaps: bitmaps.Bitmaps | None = None  # None: answered by SQL alone
    tiers: availability.Tiers = availability.NO_TIERS  # Best match's availability groups
    soon_until: date | None = None  # Best match: an opening by then is soon

    @property
    def row_filters(self) -> bool:
        """Whether some filter is left to SQL."""
        return bool(self.filters)

    @property
    def where(self) -> list[ColumnElement[bool]]:
        """The WHERE clause: the driven ids, if any, and the filters left to SQL (built
        when a statement needs it: most pages are read without one)."""
        if self.ids is None:
            return self.filters
        return [C.id.in_(bindparam("ids", self.ids, expanding=True)), *self.filters]

    def select(self, *columns: Any) -> Select[Any]:
        stmt = select(*columns).select_from(LISTING)
        if self.fts is not None:
            stmt = stmt.join(self.fts, self.fts.c.listing_id == C.id)
        return stmt.where(*self.where)


def availability_tiers(session: Session, today: date) -> availability.Tiers:
    """The availability tiers of Best match, read once per data version and day (a report
    moves a listing in the order from the next day, or the next change of the listings)."""
    key = (bitmaps.database(session), data_version(session), today)
    found = _tiers.get(key)
    return found if found is not None else _tiers.put(key, availability.tiers(session, today))


def warm_availability_tiers(engine: Engine) -> None:
    """Read today's tiers at a server's start-up, beside the bitmaps (no request pays for
    them until the listings change or the day does)."""
    # No schema yet: the first request after a load reads them.
    with Session(engine) as session, suppress(SQLAlchemyError):
        availability_tiers(session, date.today())


def plan(
    session: Session, query: DirectoryQuery, fresh_since: date, today: date | None = None
) -> Plan:
    key = (bitmaps.database(session), data_version(session))
    tiers = (
        availability_tiers(session, today)
        if today is not None and query.sort not in ("fee", "opening", "verified")
        else availability.NO_TIERS
    )
    b = bitmaps.current(session)
    match = match_expression(query.q) if query.q else None
    whole: bool | None = None
    if match is not None:
        whole = _whole_words.get((key, query.q))
        if whole is None:
            whole = _whole_words.put((key, query.q), whole_words_match(session, query.q))
    if b is None:
        return _sql_plan(session, query, key, whole, tiers, today)
    ids: list[int] | None = None
    exact: int | None = None
    density = 1.0
    # The bitmaps decide exactly which listings the facets, yes/no filters and a kept
    # search allow, and roughly (by cells) which are near a ZIP: few, and the page is read
    # from that set by id; many, and the ids SQL returns in page order are checked against
    # the bitmap (never facet subqueries, which the database may turn into joins that read
    # every listing with the value).
    bitmap = _bitmap_filters(b, query)
    fts = found = None
    if match is not None:
        fts = fts_subquery(query.q, session.get_bind().dialect.name, prefix=not whole)
        found = _search_matches(
            session,
            b,
            (key, query.q, whole, fresh_since, tiers),
            fts,
            fresh_since,
            query.q,
            not whole,
            tiers,
        )
        bitmap = found.bitmap & (-1 if bitmap is None else bitmap)
        if found.broad:  # a filter like any other from here on
            match = fts = found = None
    if (match is None or found is not None) and query.origin is None and query.max_fee is None:
        allowed = b.order.everyone if bitmap is None else bitmap
        exact = allowed.bit_count()
    cells = _cells(query)
    reach = _reach(query)
    if cells is not None and query.origin2 is not None:
        cells2 = _cells(replace(query, origin=query.origin2))
        cells = None if cells2 is None else cells
    remote = 0  # within reach by telehealth (geo.Reach), wherever the office is
    # Two homes and telehealth reach keep their cells: SQL measures what the bitmaps cannot.
    exact_reach = query.origin2 is not None or reach is not None
    if (
        cells is not None
        and not exact_reach
        and sum(len(b.cell_ids.get(c, ())) for c in cells) > RADIUS_MAX
    ):
        # Too many to measure: SQL or the walk tests each listing's distance as it comes,
        # and the cells' bitmap, built anew for a wide radius, would cost more than that.
        cells = None
    if cells is not None:
        near = b.near(cells)
        if query.origin2 is not None:
            near &= b.near(cells2)
        if reach is not None:
            remote = _reach_bitmap(b, reach)
        bitmap = (near | remote) & (-1 if bitmap is None else bitmap)
    distances: dict[int, float] | None = None
    if bitmap is not None:
        size = bitmap.bit_count()
        density = size / max(1, bitmap.bit_length())
        # A kept search with nothing left to SQL is read off its own order, by the bitmap.
        alone = found is not None and query.origin is None and query.max_fee is None
        # A radius with nothing left to SQL is measured in memory: its candidates need not
        # be as few as a set read by id.
        measured = (
            cells is not None
            and query.max_fee is None
            and query.sort in NEAREST_SORTS
            and (match is None or found is not None)
        )
        if size <= (RADIUS_MAX if measured else DRIVE_MAX) and not (
            alone and query.sort == "relevance"
        ):
            ids = bitmaps.to_ids(bitmap)
    if cells is not None and ids is not None and query.max_fee is None:
        if query.origin2 is not None or reach is not None:
            distances = _within_reach(b, query, ids, near, remote)
        else:
            distances = _within(b, query, ids)
        ids = list(distances)
        exact = len(ids) if match is None or found is not None else None
    # A radius with too many candidates to measure them all is walked like any broad query
    # (only its distance order needs them all): its cost is then bounded by the page asked
    # for, where sorting every listing in the box cost a wide radius 20 pages' time.
    drive = (
        match is not None
        or ids is not None
        or (query.origin is not None and (query.sort == "distance" or exact_reach))
    )
    row_filters = [] if distances is not None else _row_filters(query, box=drive and ids is None)
    result = Plan(
        filters=row_filters,
        drive=drive,
        distance=_distance_sq(query) if query.origin is not None else None,
        key=(key, replace(query, sort="relevance", page=1, after="")),
        exact=exact,
        member=bitmaps.member(bitmap) if bitmap is not None and ids is None else None,
        density=density,
        ids=ids,
        bitmap=bitmap,
        distances=distances,
        bitmaps=b,
        tiers=tiers,
        soon_until=ranking.opening_soon(today) if today is not None else None,
    )
    if found is not None and query.sort == "relevance" and (ids is not None or not row_filters):
        result.matches = found  # ranked in run_search, by score and the default order
    elif fts is not None and (found is None or ids is None):
        result.fts, result.score = fts, fts.c.score
    return result


def _sql_plan(
    session: Session,
    query: DirectoryQuery,
    key: tuple[str, int],
    whole: bool | None,
    tiers: availability.Tiers = availability.NO_TIERS,
    today: date | None = None,
) -> Plan:
    """Every filter in SQL, for a version whose bitmaps are not built yet."""
    result = Plan(
        filters=_row_filters(query) + _sql_filters(query),
        drive=whole is not None or query.origin is not None,
        distance=_distance_sq(query) if query.origin is not None else None,
        key=(key, replace(query, sort="relevance", page=1, after="")),
        tiers=tiers,
        soon_until=ranking.opening_soon(today) if today is not None else None,
    )
    if whole is not None:
        fts = fts_subquery(query.q, session.get_bind().dialect.name, prefix=not whole)
        result.fts, result.score = fts, fts.c.score
    return result


def _search_matches(
    session: Session,
    b: bitmaps.Bitmaps,
    key: tuple[Any, ...],
    fts: Any,
    fresh_since: date,
    q: str,
    prefix: bool,
    tiers: availability.Tiers = availability.NO_TIERS,
) -> Matches:
    """A search's matches in their order, read and ranked once per data version (a person
    who searches then pages, sorts or narrows by filters reuses them)."""
    found = _matches.get(key)
    if found is None:
        dialect = session.get_bind().dialect.name
        ids = array("q", session.execute(fts_ids(q, dialect, prefix)).scalars())
        if len(ids) > SEARCH_KEEP_MAX:
            found = Matches(array("q"), bitmaps.from_ids(ids), broad=True)
        else:
            rows = session.execute(select(fts.c.listing_id, fts.c.score)).all()
            o = b.order
            group = tiers.group(bitmaps.member(b.fresh(fresh_since)))
            is_open = bitmaps.member(b.accepting())
            shuffle = o.shuffle
            rows.sort(key=lambda r: (group(r[0]), r[1], not is_open(r[0]), shuffle[r[0]], r[0]))
            ordered = array("q", (r[0] for r in rows))
            found = Matches(ordered, bitmaps.from_ids(ordered))
        _matches.put(key, found)
    return found


# --- order -------------------------------------------------------------------------------


def order_by(query: DirectoryQuery, p: Plan, fresh_since: date) -> list[Any]:
    """The order of a sort as one expression (used when driving from a small set)."""
    stale = case((C.last_verified < fresh_since, 1), else_=0)
    group = _group(stale, p.tiers)
    if query.sort == "verified":
        return [C.last_verified.desc(), C.id.desc()]
    if query.sort == "distance" and p.distance is not None:
        if _reach(query) is not None:  # beyond the radius (by telehealth): last, by id
            limit = query.radius * query.radius
            near = case((p.distance <= limit, p.distance), else_=None)
            return [stale, near.is_(None), near, C.id]
        return [stale, p.distance, C.id]
    if query.sort == "fee":
        return [stale, C.fee_min, C.id]
    if query.sort == "opening":
        return [stale, C.accepting.desc(), C.next_opening.is_(None), C.next_opening, C.id]
    if p.score is not None:
        return [group, p.score, C.accepting.desc(), C.shuffle, C.id]
    return [group, C.accepting.desc(), C.shuffle, C.id]


def _group(stale: Any, tiers: availability.Tiers) -> Any:
    """Best match's first key in SQL: ``stale`` (0 or 1) without availability tiers; with
    them 0 boosted, 1 plain, 2 stale or mostly unreachable (availability.Tiers.group)."""
    if tiers is availability.NO_TIERS:
        return stale
    boosted, demoted = _tier_conditions(tiers)
    return case((or_(stale == 1, demoted), 2), (boosted, 0), else_=1)


def _tier_conditions(tiers: availability.Tiers) -> tuple[ColumnElement[bool], ...]:
    """availability.Tiers' boosted and demoted listings in SQL (never NULL)."""
    demoted = C.id.in_(sorted(tiers.demoted))
    confirmed = C.availability_confirmed.is_not(None)
    if tiers.confirmed_since is not None:
        confirmed = confirmed & (C.availability_confirmed >= tiers.confirmed_since)
    boosted = or_(confirmed & ~demoted, C.id.in_(sorted(tiers.reached)))
    return boosted, demoted


def _fresh_groups(fresh_since: date, tiers: availability.Tiers) -> list[ColumnElement[bool]]:
    """The conditions of _group's values, in order."""
    fresh, stale = C.last_verified >= fresh_since, C.last_verified < fresh_since
    if tiers is availability.NO_TIERS:
        return [fresh, stale]
    boosted, demoted = _tier_conditions(tiers)
    return [fresh & boosted, fresh & ~boosted & ~demoted, or_(stale, demoted)]


def arms(
    query: DirectoryQuery, fresh_since: date, tiers: availability.Tiers = availability.NO_TIERS
) -> list[Arm]:
    """The same order as index ranges, for walking (no search, no distance)."""
    return list(_arms(query.sort, query.accepting, fresh_since, tiers))


@lru_cache(maxsize=64)
def _arms(
    sort: str,
    only_accepting: bool,
    fresh_since: date,
    tiers: availability.Tiers = availability.NO_TIERS,
) -> tuple[Arm, ...]:
    # Built once per sort and day: their SQL expressions cost more than walking in memory.
    if sort == "verified":
        return (Arm((), (C.last_verified, C.id), descending=True),)
    out: list[Arm] = []
    for fresh in (C.last_verified >= fresh_since, C.last_verified < fresh_since):
        if sort == "fee":
            out.append(Arm((fresh,), (C.fee_min, C.id)))
        if sort == "opening":
            for accepting in (True, False)[: 1 if only_accepting else 2]:
                is_accepting = C.accepting == accepting
                out += [
                    Arm((fresh, is_accepting, C.next_opening.is_not(None)), (C.next_opening, C.id)),
                    Arm((fresh, is_accepting, C.next_opening.is_(None)), (C.id,)),
                ]
    if sort not in ("fee", "opening"):
        out = [
            Arm((group, C.accepting == accepting), (C.shuffle, C.id))
            for group in _fresh_groups(fresh_since, tiers)
            for accepting in (True, False)[: 1 if only_accepting else 2]
        ]
    return tuple(out)


def _cursor(arm_index: int, arm: Arm, row: Row[Any]) -> str:
    values = [getattr(row, k.name) for k in arm.keys]
    text = (v.isoformat() if isinstance(v, date) else str(int(v)) for v in values)
    return ".".join([str(arm_index), *text])


def parse_cursor(text: str, walk: list[Arm]) -> tuple[int, list[Any]] | None:
    """``(arm index, key values)`` from an ``after=`` value, or None if it does not fit."""
    parts = text.split(".")
    try:
        index = int(parts[0])
        arm = walk[index]
        if index < 0 or len(parts) != len(arm.keys) + 1:
            return None
        values = [
            date.fromisoformat(v) if k.type.python_type is date else int(v)
            for k, v in zip(arm.keys, parts[1:], strict=True)
        ]
    except (ValueError, IndexError, NotImplementedError):
        return None
    return index, values


def _after(arm: Arm, values: list[Any]) -> ColumnElement[bool]:
    keys, bound = tuple_(*arm.keys), tuple_(*values)
    return keys < bound if arm.descending else keys > bound


# --- reading -----------------------------------------------------------------------------


def _walk_statements(
    p: Plan, walk: list[Arm], start: int, after: list[Any] | None
) -> list[tuple[int, Select[Any]]]:
    """The statement of each arm from ``start`` on, in page order, without LIMIT."""
    out = []
    for i in range(start, len(walk)):
        arm = walk[i]
        stmt = p.select(C.id, *(k for k in arm.keys if k is not C.id)).where(*arm.where)
        if p.distance is not None:
            stmt = stmt.add_columns(p.distance.label("distance_sq"))
        if after is not None and i == start:
            stmt = stmt.where(_after(arm, after))
        out.append((i, stmt.order_by(*arm.order())))
    return out


def _capped_count(session: Session, stmt: Select[Any], limit: int) -> int:
    inner = stmt.with_only_columns(C.id).order_by(None).limit(limit).subquery()
    return int(session.execute(select(func.count()).select_from(inner)).scalar_one())


def count(session: Session, query: DirectoryQuery, *, today: date, freshness_days: int) -> int:
    """How many listings match, counted up to COUNT_CAP + 1 (so "more than COUNT_CAP")."""
    fresh_since = today - timedelta(days=freshness_days)
    return _count(session, query, plan(session, query, fresh_since, today), fresh_since)


def _count(session: Session, query: DirectoryQuery, p: Plan, fresh_since: date) -> int:
    if p.exact is not None:
        return min(p.exact, COUNT_CAP + 1)
    hit = _counts.get(p.key)
    if hit is not None:
        return hit
    limit = COUNT_CAP + 1
    if not p.drive and _walks_in_memory(query, p):
        found, _ = _walk_in_memory(session, query, p, fresh_since, 0, None, 0, limit)
        return _counts.put(p.key, len(found))
    if p.member is not None:  # the bitmap is checked in Python, on the ids SQL returns
        stmts = (
            [(0, p.select(C.id))]
            if p.drive
            else _walk_statements(p, arms(query, fresh_since, p.tiers), 0, None)
        )
        return _counts.put(p.key, len(_take(session, stmts, p, 0, limit)[0]))
    if p.drive:
        return _counts.put(p.key, _capped_count(session, p.select(C.id), limit))
    total = 0
    for _, stmt in _walk_statements(p, arms(query, fresh_since, p.tiers), 0, None):
        total += _capped_count(session, stmt, limit - total)
        if total >= limit:
            break
    return _counts.put(p.key, total)


def _stream(session: Session, stmt: Select[Any], batch: int = STREAM_BATCH) -> Iterator[Row[Any]]:
    """The rows of ``stmt`` in batches, for reading only as far as needed (a server-side
    cursor on PostgreSQL; SQLite steps through the query as rows are taken)."""
    result = session.execute(stmt.execution_options(yield_per=batch))
    try:
        yield from result
    finally:
        result.close()


def statements(
    session: Session, query: DirectoryQuery, *, today: date, freshness_days: int
) -> list[Select[Any]]:
    """The statements ``run_search`` reads rows with (for tests of their query plans)."""
    fresh_since = today - timedelta(days=freshness_days)
    p = plan(session, query, fresh_since, today)
    if p.drive:
        return [_drive_statement(query, p, fresh_since)]
    walk = arms(query, fresh_since, p.tiers)
    cursor = parse_cursor(query.after, walk) if query.after else None
    start, after = cursor if cursor else (0, None)
    return [stmt for _, stmt in _walk_statements(p, walk, start, after)]


def _drive_statement(query: DirectoryQuery, p: Plan, fresh_since: date) -> Select[Any]:
    """The ids of a driven set in page order (the rows themselves are read by id after:
    sorting a few thousand ids is far cheaper than sorting their whole rows)."""
    stmt = p.select(C.id)
    if p.distance is not None:
        stmt = stmt.add_columns(p.distance.label("distance_sq"))
    return stmt.order_by(*order_by(query, p, fresh_since))


def run_search(
    session: Session,
    query: DirectoryQuery,
    *,
    today: date,
    freshness_days: int,
    columns: str | frozenset[str] = "cards",
) -> SearchResult:
    """One page of results; each item's listing holds the columns of a result card
    (rows.CARD_COLUMNS), every column with ``columns="all"``, or the columns named."""
    fresh_since = today - timedelta(days=freshness_days)
    p = plan(session, query, fresh_since, today)
    reach = query.origin is not None and (query.origin2 is not None or _reach(query) is not None)
    if reach and columns != "all":  # each item's distances are measured from its place
        columns = (rows_.CARD_COLUMNS if columns == "cards" else columns) | {"lat", "lon"}
    total = _count(session, query, p, fresh_since)
    capped = total > COUNT_CAP
    n = query.per_page
    offset = (query.page - 1) * n
    rows: list[ListingRow] = []
    has_next = False
    next_cursor = None
    beyond = False
    if total and p.matches is not None:
        ranked = _ranked(session, p, offset + n + 1, _best_match(query, p, fresh_since))
        rows, has_next = _rows_by_id(session, ranked[offset:], n, columns)
    elif total and p.distances is not None and p.fts is None and query.sort in NEAREST_SORTS:
        nearest = _nearest(session, query, p, fresh_since, offset + n + 1)
        rows, has_next = _rows_by_id(session, nearest[offset:], n, columns)
    elif (
        total
        and p.ids is not None
        and (not p.filters or query.origin is None)  # (the fee is tested in memory)
        and p.fts is None
        and (best := _best_match(query, p, fresh_since)) is not None
    ):
        assert p.bitmaps is not None
        fee_ok = _fee_check(p.bitmaps, query)
        ids = p.ids if fee_ok is None else [i for i in p.ids if fee_ok(i)]
        ordered = best.order(ids, _positions(p.bitmaps, fresh_since), limit=offset + n + 1)
        found_ids = [_Walked(i, 0) for i in ordered[offset : offset + n + 1]]
        rows, has_next = _rows_by_id(session, found_ids, n, columns)
    elif (
        total
        and query.origin is not None
        and not p.drive
        and (best := _best_match(query, p, fresh_since)) is not None
    ):
        # A radius too wide to measure whole, in Best match's order: its fit tiers are
        # measured one after another, only as many as the page needs (and the fee tested).
        assert p.bitmaps is not None
        within = _measure(p.bitmaps, query)
        fee_ok = _fee_check(p.bitmaps, query)

        def distance_sq(i: int) -> float:
            d = within(i)
            return math.inf if d is None or (fee_ok is not None and not fee_ok(i)) else d

        ordered = best.order(
            p.bitmaps.order.everyone if p.bitmap is None else p.bitmap,
            _positions(p.bitmaps, fresh_since),
            distance_sq,
            query.radius,
            limit=offset + n + 1,
            beyond=False,
        )
        hits = [_Hit(i, distance_sq(i)) for i in ordered[offset:]]
        rows, has_next = _rows_by_id(session, hits, n, columns)
    elif (
        total
        and (p.bitmaps is None or p.drive)
        and ranking.ranks_by_fit(query)
        and (total <= COUNT_CAP or (p.ids is not None and p.fts is None))
    ):
        # Every candidate is read and scored here, so only up to COUNT_CAP of them (or a
        # driven set of at most DRIVE_MAX ids). More than that without the bitmaps (for
        # the seconds they take to build after a change) or with search words SQL ranks
        # itself (too many to keep), are in the default order: ordering by fit in SQL
        # means computing every candidate's fit before the first row, which no index gives.
        found = _sql_best_match(session, query, p, fresh_since)
        rows, has_next = _rows_by_id(session, found[offset : offset + n + 1], n, columns)
    elif total and p.drive:
        stmt = _drive_statement(query, p, fresh_since)
        if p.member is None:
            found = list(session.execute(stmt.limit(n + 1).offset(offset)))
        else:
            found, _ = _take(session, [(0, stmt)], p, offset, n + 1)
        rows, has_next = _rows_by_id(session, found, n, columns)
    elif total:
        walk = arms(query, fresh_since, p.tiers)
        best = _best_match(query, p, fresh_since)
        if best is not None:  # its tiers are the arms, each read by (shuffle, id) as before
            walk = [walk[-1]] * (len(best.tiers) * len(best.available))
        cursor = parse_cursor(query.after, walk) if query.after else None
        if cursor is None and offset + n > COUNT_CAP and capped:
            beyond = True
        else:
            start, after = cursor if cursor else (0, None)
            skip = 0 if cursor else offset
            # A walk has no distance or search; only the fee is left to SQL then.
            if best is not None or _walks_in_memory(query, p):
                found, arm_of = _walk_in_memory(
                    session, query, p, fresh_since, start, after, skip, n + 1, best
                )
            else:
                stmts = _walk_statements(p, walk, start, after)
                found, arm_of = _take(session, stmts, p, skip, n + 1)
            if len(found) > n:
                next_cursor = _cursor(arm_of[n - 1], walk[arm_of[n - 1]], found[n - 1])
            rows, has_next = _rows_by_id(session, found, n, columns)
    if reach:
        items = [_reached(query, row) for row in rows]
    else:
        items = [
            ResultItem(
                row,
                round(math.sqrt(max(row.distance_sq, 0.0)), 1) if p.distance is not None else None,
            )
            for row in rows
        ]
    return SearchResult(
        items=items,
        total=min(total, COUNT_CAP),
        query=query,
        search_ignored=bool(query.q) and match_expression(query.q) is None,
        total_capped=capped,
        known_total=p.exact,
        has_next=has_next,
        next_cursor=next_cursor,
        beyond_window=beyond,
    )


def _reached(query: DirectoryQuery, row: ListingRow) -> ResultItem:
    assert query.origin is not None
    origins = (query.origin, query.origin2) if query.origin2 else (query.origin,)
    miles = geo.two_homes_distances(origins, query.radius, row.lat, row.lon)
    if miles is None:
        return ResultItem(row, None, None, telehealth=True)
    return ResultItem(row, miles[0], miles[1] if len(miles) > 1 else None)


def _walks_in_memory(query: DirectoryQuery, p: Plan) -> bool:
    """Whether a walk reads the default order from the bitmaps (no fee left to SQL). Best
    match's walk is always read from them, the fee tested in memory (``_fee_check``)."""
    return query.sort in MEMORY_WALK_SORTS and query.max_fee is None and p.bitmaps is not None


def _fee_check(b: bitmaps.Bitmaps, query: DirectoryQuery) -> Callable[[int], bool] | None:
    """The fee filter of ``_row_filters`` for one id, in memory (None without a fee)."""
    return None if query.max_fee is None else b.fee_at_most(query.max_fee)


def _measure(b: bitmaps.Bitmaps, query: DirectoryQuery) -> Callable[[int], float | None]:
    """A listing's squared distance if it is within the radius (``_within`` for one id)."""
    assert query.origin is not None
    lat, lon = b.order.lat, b.order.lon
    lat0, lon0 = query.origin
    per_lat, per_lon = MILES_PER_DEGREE_LAT, miles_per_degree_lon(lat0)
    limit = query.radius * query.radius

    def within(i: int) -> float | None:
        dy = (lat[i] - lat0) * per_lat
        dx = (lon[i] - lon0) * per_lon
        d = dy * dy + dx * dx
        return d if d <= limit else None  # None for NaN too: no place, never within

    return within


class _Walked(NamedTuple):
    id: int
    shuffle: int
    distance_sq: float = 0.0


def _walk_in_memory(
    session: Session,
    query: DirectoryQuery,
    p: Plan,
    fresh_since: date,
    start: int,
    after: list[Any] | None,
    skip: int,
    limit: int,
    best: ranking.Ranking | None = None,
) -> tuple[list[_Walked], list[int]]:
    """``_take`` for the default order without SQL: the arms of ``arms()`` (fresh before
    stale, accepting before not) as bitmaps, each read in (shuffle, id) order."""
    b = p.bitmaps
    assert b is not None
    o = b.order
    allowed = o.everyone if p.bitmap is None else p.bitmap
    fresh = b.fresh(fresh_since)
    accepting = b.accepting()
    groups = [fresh, o.everyone & ~fresh]
    if p.tiers is not availability.NO_TIERS:  # the groups of _fresh_groups, as bitmaps
        boosted, demoted = p.tiers.boosted_bitmap, p.tiers.demoted_bitmap
        groups = [fresh & boosted, fresh & ~boosted & ~demoted & o.everyone]
        groups.append(o.everyone & ~(groups[0] | groups[1]))
    arm_bitmaps = (
        best.walk(allowed)
        if best is not None
        else [
            allowed & f & a
            for f in groups
            for a in ((accepting,) if query.accepting else (accepting, o.everyone & ~accepting))
        ]
    )
    shuffle = o.shuffle

    def key(i: int) -> tuple[int, int]:
        return (shuffle[i], i)

    # A wide radius (too many candidates to measure them all): each measured as it comes.
    within = _measure(b, query) if query.origin is not None else None
    fee_ok = _fee_check(b, query)
    d: float | None = 0.0
    found: list[_Walked] = []
    arm_of: list[int] = []
    for arm, bitmap in enumerate(arm_bitmaps[start:], start):
        size = bitmap.bit_count()
        bound = tuple(after) if after is not None and arm == start else None
        if size <= SMALL_ARM:
            # Within an arm, the places are in (shuffle, id) order (an arm of the stale and
            # the unreachable holds fresh listings too, which the default rank puts first).
            ids: Iterable[int] = sorted(bitmaps.to_ids(bitmap), key=_positions(b, fresh_since))
            if bound is not None:
                ids = (i for i in ids if key(i) > bound)
        else:
            has = bitmaps.member(bitmap)
            first = 0 if bound is None else bisect.bisect_right(o.ids, bound, key=key)
            ids = (o.ids[j] for j in range(first, len(o.ids)) if has(o.ids[j]))
        for i in ids:
            if within is not None and (d := within(i)) is None:
                continue
            if fee_ok is not None and not fee_ok(i):
                continue
            if skip:
                skip -= 1
                continue
            found.append(_Walked(i, shuffle[i], d or 0.0))
            arm_of.append(arm)
            if len(found) >= limit:
                return found, arm_of
    return found, arm_of


def _best_match(query: DirectoryQuery, p: Plan, fresh_since: date) -> ranking.Ranking | None:
    """The "Best match" order of fit (directory.ranking), or None: the default order."""
    if p.bitmaps is None or query.sort != "relevance":
        return None
    everyone = p.bitmaps.order.everyone
    allowed = everyone if p.bitmap is None else p.bitmap
    return ranking.ranking(p.bitmaps, query, fresh_since, allowed, everyone, p.tiers, p.soon_until)


def _positions(b: bitmaps.Bitmaps, fresh_since: date) -> Callable[[int], int]:
    """Each listing's place in (shuffle, id) order: the default rank without its groups."""
    rank, n = b.relevance(fresh_since), max(1, len(b.order.ids))
    return lambda i: rank[i] % n


def _sql_best_match(
    session: Session, query: DirectoryQuery, p: Plan, fresh_since: date
) -> list[Any]:
    """``_best_match``'s order while the bitmaps are being built: every match scored."""
    columns = [C.id, C.shuffle, C.last_verified, C.accepting, C.next_opening]
    columns += [C[name] for name in ranking.SCORE_COLUMNS]
    if p.distance is not None:
        columns.append(p.distance.label("distance_sq"))
    if p.score is not None:
        columns.append(p.score.label("text_score"))
    found = session.execute(p.select(*columns)).all()
    if p.member is not None:
        found = [r for r in found if p.member(r.id)]
    reach = p.distance is not None
    soon_until = p.soon_until
    if query.origin is None and len({ranking.score(r, query) for r in found}) < 2:
        soon_until = None  # fit tells none apart: the default order (ranking.ranking's None)
    found.sort(
        key=lambda r: ranking.sql_key(
            r,
            query,
            fresh_since,
            reach,
            p.tiers,
            soon_until,
            r.text_score if p.score is not None else None,
        )
    )
    if p.distance is None:
        return [_Walked(r.id, r.shuffle) for r in found]
    return [_Hit(r.id, r.distance_sq) for r in found]


class _Hit(NamedTuple):
    id: int
    distance_sq: float


def _nearest(
    session: Session, query: DirectoryQuery, p: Plan, fresh_since: date, limit: int
) -> list[_Hit]:
    """The first ``limit`` of a radius decided in memory, in the order of ``order_by``:
    fresh first, then by distance, or accepting first and shuffle."""
    assert p.distances is not None and p.bitmaps is not None
    distances = p.distances
    if query.sort == "distance":
        is_fresh = bitmaps.member(p.bitmaps.fresh(fresh_since))

        def key(i: int) -> tuple[Any, ...]:
            return (not is_fresh(i), distances[i], i)

        nearest = heapq.nsmallest(limit, distances, key=key)
    else:
        # Every listing's rank is unique; sorted() calls the array's own __getitem__ in C,
        # where nsmallest would loop in Python (a radius has a few hundred candidates).
        rank = p.bitmaps.relevance(fresh_since)
        best = _best_match(query, p, fresh_since)
        if best is not None:
            nearest = best.order(
                list(distances),
                _positions(p.bitmaps, fresh_since),
                distances.__getitem__,
                query.radius,
                limit,
            )
        elif p.tiers is availability.NO_TIERS:
            nearest = sorted(distances, key=rank.__getitem__)[:limit]
        else:  # (group, accepting first, position): the rank without its freshness
            group = p.tiers.group(bitmaps.member(p.bitmaps.fresh(fresh_since)))
            half = 2 * len(p.bitmaps.order.ids)
            nearest = sorted(distances, key=lambda i: (group(i), rank[i] % half))[:limit]
    return [_Hit(i, distances[i]) for i in nearest]


def _ranked(
    session: Session, p: Plan, limit: int, best: ranking.Ranking | None = None
) -> list[_Hit]:
    """The first ``limit`` listings of a kept search, in its order, that pass the filters;
    with ``best``, in its fit tiers first, the search's order within each."""
    assert p.matches is not None
    distances: dict[int, float] = p.distances or {}
    if p.row_filters:  # the ids are few: SQL applies the fee or the exact distance to them
        columns = [C.id] if p.distance is None else [C.id, p.distance.label("d")]
        rows = session.execute(p.select(*columns))
        distances = {r[0]: (r[1] if p.distance is not None else 0.0) for r in rows}
        allowed: Callable[[int], bool] = distances.__contains__
    elif p.ids is not None:
        allowed = set(p.ids).__contains__
    else:
        assert p.member is not None
        allowed = p.member
    ordered: Iterable[int] = p.matches.ordered
    if best is not None:  # a kept search has at most SEARCH_KEEP_MAX matches to sort
        tier_of: dict[int, int] = {}
        for t, tier in enumerate(best.tiers):
            tier_of.update(dict.fromkeys(bitmaps.to_ids(tier & p.matches.bitmap), t))
        ordered = sorted(ordered, key=lambda i: tier_of.get(i, len(best.tiers)))
    hits: list[_Hit] = []
    for i in ordered:
        if allowed(i):
            hits.append(_Hit(i, distances.get(i, 0.0)))
            if len(hits) >= limit:
                break
    return hits


def _rows_by_id(
    session: Session, found: list[Any], n: int, columns: str | frozenset[str]
) -> tuple[list[ListingRow], bool]:
    """The first ``n`` of ``found`` (rows with an id, and distance_sq when sorting by
    distance) as ListingRows of ``columns`` ("cards", "all" or the names), in that order,
    and whether ``found`` has more (a row after them)."""
    wanted = [r.id for r in found[:n]]
    if columns == "cards":
        kind = rows_.CARD
    elif columns == "all":
        kind = rows_.ALL
    else:
        assert isinstance(columns, frozenset), columns
        kind = rows_.columns_of(columns)
    by_id = rows_.by_ids(session, wanted, kind)
    rows: list[ListingRow] = []
    for r in found[:n]:
        row = by_id.get(r.id)
        if row is None:  # deleted between the two reads
            continue
        if "distance_sq" in r._fields:
            row.distance_sq = r.distance_sq
        rows.append(row)
    return rows, len(found) > n


def _take(
    session: Session, stmts: list[tuple[int, Select[Any]]], p: Plan, skip: int, limit: int
) -> tuple[list[Row[Any]], list[int]]:
    """Up to ``limit`` rows (whose id is in the bitmap, if any), after skipping ``skip`` of
    them, read arm after arm; and each row's arm. No OFFSET: ``skip`` is at most COUNT_CAP."""
    member = p.member
    # Enough ids, by the bitmap's density, for the page in one batch more often than not.
    batch = min(STREAM_BATCH, int((skip + limit) / max(p.density, 0.01) * 1.5) + 16)
    rows: list[Row[Any]] = []
    arm_of: list[int] = []
    for i, stmt in stmts:
        for row in _stream(session, stmt, batch):
            if member is not None and not member(row.id):
                continue
            if skip:
                skip -= 1
                continue
            rows.append(row)
            arm_of.append(i)
            if len(rows) >= limit:
                return rows, arm_of
    return rows, arm_of


def get_listing(session: Session, slug: str) -> ListingRow | None:
    """One listing by slug, read like a Listing (not through the ORM: a profile page reads
    the row once and never changes it, and building an ORM instance cost more than the
    query)."""
    return rows_.by_slug(session, slug)
