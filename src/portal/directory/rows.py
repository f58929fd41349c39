"""Listing rows as the pages read them: by id (a page of results) or by slug (a profile).

They are read through the database driver itself. For the twenty rows of a result page,
SQLAlchemy's statement and result handling cost about three times what SQLite took to
find and decode them (README, "Performance"). The values are the ones SQLAlchemy would give:
booleans as bool, dates as date, numbers and text as they are, and the list columns as JSON
text decoded on first use (ListingRow). A driver other than pysqlite or psycopg is read
through SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Dialect, Engine, Text, bindparam, select, type_coerce
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

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
    """The columns of one kind of read, in table order, and how SQLite's values of each
    become Python's."""

    names: tuple[str, ...]
    booleans: tuple[int, ...]  # SQLite gives 0 and 1
    dates: tuple[int, ...]  # SQLite gives "YYYY-MM-DD"

    @classmethod
    def of(cls, names: frozenset[str] | None = None) -> Columns:
        columns = [c for c in LISTING.c if names is None or c.name in names]
        return cls(
            names=tuple(c.name for c in columns),
            booleans=tuple(i for i, c in enumerate(columns) if isinstance(c.type, Boolean)),
            dates=tuple(i for i, c in enumerate(columns) if isinstance(c.type, Date)),
        )

    @property
    def select_list(self) -> str:
        return ", ".join(self.names)

    @cached_property
    def _sqlite_layout(self) -> tuple[Any, ...]:
        converted = {*self.booleans, *self.dates}
        plain = [i for i, name in enumerate(self.names) if name not in JSON_COLUMNS]
        plain = [i for i in plain if i not in converted]
        lists = [i for i, name in enumerate(self.names) if name in JSON_COLUMNS]
        return (
            tuple(self.names[i] for i in plain),
            _getter(plain),
            tuple(self.names[i] for i in lists),
            _getter(lists),
            tuple((i, self.names[i]) for i in self.booleans),
            tuple((i, self.names[i]) for i in self.dates),
        )

    def from_sqlite(self, found: list[Any]) -> list[ListingRow]:
        """SQLite's rows of these columns as ListingRows: each value put in place once,
        with no intermediate dict (this ran for every row of every page)."""
        plain_names, plain, list_names, lists, booleans, dates = self._sqlite_layout
        rows = []
        for raw in found:
            row = _new_row(ListingRow)
            values = row.__dict__
            values.update(zip(plain_names, plain(raw), strict=True))
            for i, name in booleans:
                value = raw[i]
                values[name] = None if value is None else bool(value)
            for i, name in dates:
                value = raw[i]
                values[name] = None if value is None else _from_iso(value)
            values["_json"] = dict(zip(list_names, lists(raw), strict=True))
            rows.append(row)
        return rows


_new_row = object.__new__
_from_iso = date.fromisoformat


def _getter(indexes: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A tuple of the values at ``indexes`` (itemgetter gives a bare value for one)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if indexes:
        (only,) = indexes
        return lambda raw: (raw[only],)
    return lambda raw: ()


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


def _sqlalchemy_select(columns: Columns):  # type: ignore[no-untyped-def]
    # The JSON columns as text, as the drivers give them: ListingRow decodes them.
    return select(
        *(
            type_coerce(C[name], Text).label(name) if name in JSON_COLUMNS else C[name]
            for name in columns.names
        )
    )


@lru_cache(maxsize=64)
def _by_ids(columns: Columns):  # type: ignore[no-untyped-def]
    return _sqlalchemy_select(columns).where(C.id.in_(bindparam("ids", expanding=True)))


_BY_SLUG = _sqlalchemy_select(ALL).where(C.slug == bindparam("slug"))


@lru_cache(maxsize=128)
def _sql(driver: str, columns: Columns, where: str, n: int = 0) -> str:
    """The SELECT for one driver's parameter style; ``where`` is "ids" (n of them) or
    "slug"."""
    mark = "?" if driver == "pysqlite" else "%s"
    if where == "slug":
        condition = f"slug = {mark}"
    elif driver == "pysqlite":
        condition = f"id IN ({', '.join('?' * n)})"
    else:
        condition = "id = ANY(%s)"
    return f"SELECT {columns.select_list} FROM {LISTING.name} WHERE {condition}"


def _driver_rows(
    session: Session, columns: Columns, where: str, value: Any
) -> list[ListingRow] | None:
    """The rows, read by the driver; None for a driver this module does not speak."""
    bind = session.get_bind()
    dialect = bind.dialect
    driver = dialect.driver
    if driver == "pysqlite":
        params: tuple[Any, ...] = tuple(value) if where == "ids" else (value,)
        sql = _sql(driver, columns, where, len(params) if where == "ids" else 0)
    elif driver == "psycopg":
        params = (list(value),) if where == "ids" else (value,)
        sql = _sql(driver, columns, where)
    else:
        return None
    if isinstance(bind, Engine) and not session.in_transaction():
        # A session that has read nothing yet (the bitmaps answered the rest of the page)
        # reads on a pooled connection of its own: beginning and ending the session's
        # transaction for this one statement cost several times the checkout.
        try:
            pooled = bind.raw_connection()
        except dialect.loaded_dbapi.Error as error:  # as Engine.connect() raises it
            raise DBAPIError.instance(
                None, None, error, dialect.loaded_dbapi.Error, dialect=dialect
            ) from error
        try:
            found = _fetch(pooled, dialect, sql, params, pooled.invalidate)
        finally:
            pooled.close()
    else:
        connection = session.connection()
        found = _fetch(connection.connection, dialect, sql, params, connection.invalidate)
    if driver == "psycopg":  # psycopg gives Python's types itself
        return [ListingRow(dict(zip(columns.names, raw, strict=True))) for raw in found]
    return columns.from_sqlite(found)


def _fetch(
    pooled: PoolProxiedConnection,
    dialect: Dialect,
    sql: str,
    params: Any,
    invalidate: Callable[[BaseException], None],
) -> list[Any]:
    dbapi = pooled.driver_connection
    try:
        cursor = dbapi.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()
    except dialect.loaded_dbapi.Error as error:
        # Raised as SQLAlchemy raises it (a missing or unreachable database is answered
        # with a 503), and a broken connection is not handed out again.
        broken = dialect.is_disconnect(error, dbapi, None)
        if broken:
            invalidate(error)
        raise DBAPIError.instance(
            sql,
            params,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=broken,
            dialect=dialect,
        ) from error


def by_ids(session: Session, ids: Sequence[int], columns: Columns = CARD) -> dict[int, ListingRow]:
    """The listings with these ids (those that still exist), by id."""
    if not ids:
        return {}
    rows = _driver_rows(session, columns, "ids", ids)
    if rows is None:
        result = session.execute(_by_ids(columns), {"ids": list(ids)})
        rows = [ListingRow(row._asdict()) for row in result]
    return {row.id: row for row in rows}


def by_slug(session: Session, slug: str) -> ListingRow | None:
    """One listing, every column, by slug."""
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses NUL in text
        return None
    rows = _driver_rows(session, ALL, "slug", slug)
    if rows is None:
        row = session.execute(_BY_SLUG, {"slug": slug}).first()
        rows = [ListingRow(row._asdict())] if row is not None else []
    return rows[0] if rows else None
