"""Validate and load the (fictional) counselor directory.

``load_file(engine, "seed/counselors.json")`` checks every record first and raises
``SeedValidationError`` listing ALL problems (file, record index and slug, field) before the
database is touched. Loading then happens in one transaction: existing listings and facets are
replaced, the listings, their ``ListingFacet`` rows and (once) the ``zip_centroid`` table from
the offline ``zipcodes`` package are inserted with Core ``executemany``. A bad file therefore
changes nothing, and loading the same file twice gives the same database.

``load_records`` also accepts an iterator (e.g. ``portal.generate.iter_listings``) and then
streams in batches: records are validated batch by batch, inserting stops at the first problem,
validation carries on to collect every error, and the transaction is rolled back if any were
found, so the guarantee ("a bad input changes nothing") is the same without holding 100k
records in memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, text

from portal import db
from portal.migrate import DatabaseNotReady, check_ready, create_schema, open_database, upgrade
from portal.models import FACETS, Listing, ListingFacet, ZipCentroid
from portal.paths import SEED_DIR
from portal.schema import record_problems, taxonomy, zip_index
from portal.search_terms import search_terms

SEED_FILE = SEED_DIR / "counselors.json"
BATCH = 5000


# --------------------------------------------------------------------------------------------
# Errors and reports
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedError:
    filename: str
    index: int | None  # record index in the file's "listings" array; None for file-level
    slug: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.filename]
        if self.index is not None:
            rec = f"record {self.index}"
            if self.slug:
                rec += f" (slug {self.slug!r})"
            where.append(rec)
        if self.field:
            where.append(f"field {self.field!r}")
        return ": ".join([*where, self.message])


class SeedValidationError(ValueError):
    """Raised with every problem found; nothing was written to the database."""

    def __init__(self, errors: Sequence[SeedError]) -> None:
        self.errors = list(errors)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in seed data (nothing was loaded):"
        return "\n".join([head, *(str(e) for e in self.errors)])

    def __str__(self) -> str:
        return self._text()


@dataclass
class LoadReport:
    source: str
    listings: int = 0
    facets: int = 0
    removed: int = 0  # listings deleted first (replace=True)
    zip_centroids: int = 0  # rows inserted into zip_centroid by this load (0 when present)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    data_version: int = 0  # the version the load gave the listings (db.bump_data_version)

    def __str__(self) -> str:
        return (
            f"{self.source}: loaded {self.listings} listings, {self.facets} facet rows "
            f"(replaced {self.removed}; {self.zip_centroids} ZIP centroids added) "
            f"in {self.seconds:.2f} s"
        )


# --------------------------------------------------------------------------------------------
# Validation (the rules are ``schema.ListingRecord``)
# --------------------------------------------------------------------------------------------


def validate_record(
    rec: Any, index: int, filename: str, *, tax: Mapping[str, frozenset[str]] | None = None
) -> list[SeedError]:
    """Every problem of one record (not cross-record ones such as duplicate slugs)."""
    if not isinstance(rec, dict):
        return [
            SeedError(
                filename, index, None, None, f"record must be an object, got {type(rec).__name__}"
            )
        ]
    slug = rec.get("slug") if isinstance(rec.get("slug"), str) else None
    return [
        SeedError(filename, index, slug, field, message)
        for field, message in record_problems(rec, tax)
    ]


def validate_records(
    records: Iterable[Any], filename: str, *, start: int = 0, seen: set[str] | None = None
) -> list[SeedError]:
    """Validate records and check slugs are unique (``seen`` carries slugs across batches)."""
    tax = taxonomy()
    seen = seen if seen is not None else set()
    errors: list[SeedError] = []
    for i, rec in enumerate(records, start):
        errors.extend(validate_record(rec, i, filename, tax=tax))
        slug = rec.get("slug") if isinstance(rec, dict) else None
        if isinstance(slug, str):
            if slug in seen:
                errors.append(SeedError(filename, i, slug, "slug", "duplicate slug"))
            seen.add(slug)
    return errors


def read_file(path: Path | str) -> tuple[list[Any], list[SeedError]]:
    """The ``listings`` array of a seed file, or file-level errors."""
    path = Path(path)
    name = _display_name(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], [SeedError(name, None, None, None, "file not found")]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [], [SeedError(name, None, None, None, f"not valid JSON: {exc}")]
    if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
        return [], [
            SeedError(
                name, None, None, "listings", 'top level must be an object with a "listings" array'
            )
        ]
    if data.get("fictional") is not True:
        return [], [
            SeedError(
                name, None, None, "fictional", "must be true: only fictional listings may be loaded"
            )
        ]
    return data["listings"], []


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SEED_DIR.parent))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def shuffle_key(slug: str) -> int:
    """``Listing.shuffle``: 31 bits of a hash of the slug (stable across loads and machines)."""
    return zlib.crc32(slug.encode()) & 0x7FFFFFFF


_DERIVED = frozenset({"id", "city", "state", "zip", "lat", "lon", "shuffle"})
"""Listing columns a record does not give as they are: from its office, its slug, its place."""
_DATES = frozenset({"next_opening", "last_verified"})
_COLUMNS = {
    name: None if field.is_required() else field.get_default(call_default_factory=True)
    for name, field in Listing.model_fields.items()
    if name not in _DERIVED
}
"""Every other column, with the model's default for a record that does not give it (a
valid record gives every column without a default)."""


def _to_row(rec: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """The ``listing`` row of one valid record: each column its record field of the same
    name (an ISO date as a date), or the model's default without one."""
    office = rec["office"]
    lat = lon = None
    city = state = zip_code = None
    if office is not None:
        city, state, zip_code = office["city"], office["state"], office["zip"]
        _st, _city, lat, lon = zip_index()[zip_code]
    row = {name: rec.get(name, default) for name, default in _COLUMNS.items()}
    for name in _DATES:
        if row[name] is not None:
            row[name] = date.fromisoformat(row[name])
    row.update(
        id=listing_id,
        city=city,
        state=state,
        zip=zip_code,
        lat=lat,
        lon=lon,
        shuffle=shuffle_key(rec["slug"]),
        search_terms=search_terms(rec),
    )
    return row


def facet_rows(rec: Mapping[str, Any], listing_id: int) -> list[dict[str, Any]]:
    """``ListingFacet`` rows of one record, per ``models.FACETS``."""
    rows: list[dict[str, Any]] = []
    for facet, attr in FACETS.items():
        value = rec[attr]
        values = [value] if isinstance(value, str) else value
        for v in dict.fromkeys(values):  # de-duplicated, order kept
            rows.append({"facet": facet, "value": v, "listing_id": listing_id})
    return rows


def ensure_zip_centroids(conn: Connection) -> int:
    """Fill ``zip_centroid`` from the zipcodes package unless it is already complete.
    Returns the number of rows inserted (0 when nothing was needed)."""
    table = ZipCentroid.__table__
    index = zip_index()
    have = conn.execute(select(func.count()).select_from(table)).scalar_one()
    if have == len(index):
        return 0
    if have:
        conn.execute(delete(table))
    rows = [
        {"zip": z, "state": st, "city": city, "lat": lat, "lon": lon}
        for z, (st, city, lat, lon) in sorted(index.items())
    ]
    for start in range(0, len(rows), 10000):
        conn.execute(insert(table), rows[start : start + 10000])
    return len(rows)


def _chunks(records: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


class _SqliteBulk:
    """SQLite fast path for ``load_records``: plain ``executemany`` of tuples, foreign-key
    checks off for the load (the facet rows reference ids assigned in the same batch), and the
    FTS triggers replaced by one ``'rebuild'`` of the external-content index at the end. The
    triggers are dropped and re-created with their stored SQL inside the same transaction
    (``BEGIN IMMEDIATE``), so a rollback restores them and readers never see them missing."""

    _TRIGGERS = ("listing_fts_ai", "listing_fts_ad")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cols = [c.name for c in Listing.__table__.columns]
        self.json_cols = {
            c.name for c in Listing.__table__.columns if c.type.__class__.__name__ == "JSON"
        }
        self.listing_sql = (
            f"INSERT INTO listing ({', '.join(self.cols)}) "
            f"VALUES ({', '.join('?' * len(self.cols))})"
        )
        self.facet_sql = "INSERT INTO listing_facet (facet, value, listing_id) VALUES (?, ?, ?)"
        self.json_cache: dict[tuple[str, ...], str] = {}
        self.fk_was_on = False
        self.cache_size = -2000
        self.triggers: list[str] = []

    def before_transaction(self) -> None:
        conn = self.conn
        self.fk_was_on = bool(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no effect inside a transaction
        # The facet index takes rows in random order: with the default cache, dirty pages
        # spill to the WAL and are written there again and again. 256 MB for the load only.
        self.cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        conn.commit()

    def begin(self) -> None:
        dbapi = self.conn.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            # take the write lock now and make the DDL below part of this transaction
            self.conn.exec_driver_sql("BEGIN IMMEDIATE")
        placeholders = ", ".join("?" * len(self._TRIGGERS))
        found = dict(
            self.conn.exec_driver_sql(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                f"AND name IN ({placeholders})",
                self._TRIGGERS,
            ).all()
        )
        self.triggers = [found[name] for name in self._TRIGGERS if name in found]
        for name in self._TRIGGERS:
            if name in found:
                self.conn.exec_driver_sql(f"DROP TRIGGER {name}")

    def _json(self, value: list[str]) -> str:
        key = tuple(value)
        text = self.json_cache.get(key)
        if text is None:
            text = self.json_cache[key] = json.dumps(value)
        return text

    def insert(self, batch: list[dict[str, Any]], first_id: int) -> tuple[int, int]:
        rows, facets = [], []
        cols, json_cols = self.cols, self.json_cols
        for offset, rec in enumerate(batch):
            listing_id = first_id + offset
            row = _to_row(rec, listing_id)
            rows.append(
                tuple(
                    self._json(row[c])
                    if c in json_cols
                    else row[c].isoformat()
                    if isinstance(row[c], date)
                    else row[c]
                    for c in cols
                )
            )
            for facet, attr in FACETS.items():
                value = rec[attr]
                if isinstance(value, str):
                    facets.append((facet, value, listing_id))
                else:
                    for v in dict.fromkeys(value):
                        facets.append((facet, v, listing_id))
        self.conn.exec_driver_sql(self.listing_sql, rows)
        self.conn.exec_driver_sql(self.facet_sql, facets)
        return len(rows), len(facets)

    def finish(self) -> None:
        if self.triggers:
            self.conn.exec_driver_sql("INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')")
            for sql in self.triggers:
                self.conn.exec_driver_sql(sql)

    def after_transaction(self) -> None:
        self.conn.exec_driver_sql(f"PRAGMA cache_size={int(self.cache_size)}")
        if self.fk_was_on:
            self.conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            self.conn.commit()


def load_records(
    engine: Engine, records: Iterable[Any], source_name: str, *, replace: bool = True
) -> LoadReport:
    """Validate ``records`` and load them in one transaction (see module docstring).

    A list/tuple is validated completely before the database is touched; any other iterable is
    streamed in batches, and the transaction is rolled back if any record is invalid. Raises
    ``SeedValidationError`` with every problem found."""
    started = time.perf_counter()
    create_schema(engine)
    report = LoadReport(source=source_name)
    if isinstance(records, (list, tuple)):
        errors = validate_records(records, source_name)
        if errors:
            raise SeedValidationError(errors)
        batches: Iterable[list[Any]] = _chunks(records, BATCH)
        prevalidated = True
    else:
        batches = _chunks(records, BATCH)
        prevalidated = False

    listing_t, facet_t = Listing.__table__, ListingFacet.__table__
    errors = []
    seen: set[str] = set()
    with engine.connect() as conn:
        bulk = _SqliteBulk(conn) if db.is_sqlite(engine) else None
        if bulk:
            bulk.before_transaction()
        trans = conn.begin()
        try:
            if bulk:
                bulk.begin()
            report.zip_centroids = ensure_zip_centroids(conn)
            existing: set[str] = set()
            if replace:
                report.removed = conn.execute(
                    select(func.count()).select_from(listing_t)
                ).scalar_one()
                conn.execute(delete(facet_t))
                conn.execute(delete(listing_t))
                next_id = 1
            else:
                existing = set(conn.execute(select(listing_t.c.slug)).scalars())
                next_id = (conn.execute(select(func.max(listing_t.c.id))).scalar() or 0) + 1
            index = 0
            for batch in batches:
                if not prevalidated:
                    errors.extend(validate_records(batch, source_name, start=index, seen=seen))
                for offset, rec in enumerate(batch):
                    if isinstance(rec, dict) and rec.get("slug") in existing:
                        errors.append(
                            SeedError(
                                source_name,
                                index + offset,
                                rec["slug"],
                                "slug",
                                "already in the database",
                            )
                        )
                index += len(batch)
                if errors:
                    continue  # keep validating, insert nothing more
                if bulk:
                    n_rows, n_facets = bulk.insert(batch, next_id)
                else:
                    rows, facets = [], []
                    for offset, rec in enumerate(batch):
                        rows.append(_to_row(rec, next_id + offset))
                        facets.extend(facet_rows(rec, next_id + offset))
                    conn.execute(insert(listing_t), rows)
                    conn.execute(insert(facet_t), facets)
                    n_rows, n_facets = len(rows), len(facets)
                next_id += n_rows
                report.listings += n_rows
                report.facets += n_facets
            if errors:
                raise SeedValidationError(errors)
            if bulk:
                bulk.finish()
            else:
                # Fresh statistics for the planner after a bulk change (autovacuum would get
                # there, minutes later).
                conn.execute(text("ANALYZE listing, listing_facet"))
            report.data_version = db.bump_data_version(conn)
            trans.commit()
        except BaseException:
            trans.rollback()
            raise
        finally:
            if bulk:
                bulk.after_transaction()
    report.seconds = time.perf_counter() - started
    return report


def load_file(engine: Engine, path: Path | str, *, replace: bool = True) -> LoadReport:
    """Validate and load one seed file (``{"fictional": true, "listings": [...]}``)."""
    path = Path(path)
    records, errors = read_file(path)
    if errors:
        raise SeedValidationError(errors)
    return load_records(engine, records, _display_name(path), replace=replace)


def ensure_seeded(engine: Engine, path: Path | str = SEED_FILE) -> LoadReport | None:
    """Create the schema; load the seed file only if there are no listings yet. The ZIP
    centroid table is completed either way. Returns the load report, or None if nothing was
    loaded."""
    create_schema(engine)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Listing.__table__)).scalar_one()
    if count:
        with engine.begin() as conn:
            ensure_zip_centroids(conn)
        return None
    return load_file(engine, path)


def prepare(database_url: str) -> None:
    """Before serving: migrate (SQLite) or check (PostgreSQL) the database, and seed it when
    it has no listings. Exits with status 2 and a one-line reason when it is not ready."""
    try:
        engine = open_database(database_url)
        if engine.dialect.name == "sqlite":
            upgrade(engine)  # the embedded default sets itself up
        check_ready(engine)
    except DatabaseNotReady as problem:
        print(f"portal: {problem}", file=sys.stderr)
        sys.exit(2)
    ensure_seeded(engine)
    engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m portal.seed [--db URL] [--check] [FILE]``: validate and load a seed file."""
    parser = argparse.ArgumentParser(prog="python -m portal.seed", description=main.__doc__)
    parser.add_argument("file", nargs="?", default=str(SEED_FILE))
    parser.add_argument("--db", default="sqlite:///portal.db", help="SQLAlchemy database URL")
    parser.add_argument("--check", action="store_true", help="validate only, load nothing")
    parser.add_argument("--append", action="store_true", help="keep existing listings")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.check:
            records, errors = read_file(args.file)
            errors = errors or validate_records(records, _display_name(Path(args.file)))
            if errors:
                raise SeedValidationError(errors)
            print(f"{args.file}: {len(records)} listings, all valid")
            return 0
        report = load_file(db.make_engine(args.db), args.file, replace=not args.append)
    except SeedValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
