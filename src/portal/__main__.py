"""Command line: ``python -m portal serve|migrate|seed|bench-data|export|import|listing-link|
stale``."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from portal.settings import Settings

GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation (Python's default: 700).
A results page allocates a few thousand objects and frees nearly all of them itself; at 700
the collector ran on most requests to find next to nothing (3% of the server's time)."""


def freeze_startup_objects() -> None:
    """Keep what exists at startup (modules, routes, compiled templates: ~100,000 objects)
    out of the garbage collector's full passes, which would otherwise walk all of it every
    few hundred requests (about 70 ms each time, on whichever request triggered it), and
    collect the young generation less often."""
    gc.collect()
    gc.freeze()
    young, older, oldest = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, young), older, oldest)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import multiprocessing

    import uvicorn

    from portal.seed import prepare

    # In a child process: comparing the ZIP centroids with the package's list costs the
    # process that does it ~130 MB, which the server then never holds.
    child = multiprocessing.get_context("spawn").Process(
        target=prepare, args=(settings.database_url,)
    )
    child.start()
    child.join()
    if child.exitcode:
        return child.exitcode if child.exitcode > 0 else 1
    host = args.host or settings.host
    port = args.port or settings.port
    from portal.asgi import app

    # After the app's own start-up (the directory's bitmaps are built there), so they are
    # frozen too.
    app.on_startup.append(freeze_startup_objects)
    print(f"portal is running at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        # asyncio's own loop, not uvloop: with the CPU saturated, uvloop left new connections
        # in the listen backlog for 30 s and more (`make bench-load`); asyncio accepts them
        # between requests, so a burst slows everyone a little and shuts no one out.
        loop="asyncio",
        # The C parser: a request costs the server about 0.12 ms less than with h11, which
        # is two thirds of what /healthz costs in all (docs/performance.md).
        http="httptools",
    )
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from portal.migrate import (
        DatabaseNotReady,
        check_ready,
        current_revision,
        open_database,
        upgrade,
    )

    try:
        engine = open_database(settings.database_url)
        upgrade(engine, args.revision)
        if args.revision == "head":
            check_ready(engine)
    except DatabaseNotReady as problem:
        print(f"portal: {problem}", file=sys.stderr)
        return 2
    print(f"database at migration {current_revision(engine)}")
    return 0


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    from portal.db import make_engine
    from portal.migrate import create_schema
    from portal.paths import SEED_DIR
    from portal.seed import SeedValidationError, load_file

    engine = make_engine(settings.database_url)
    create_schema(engine)
    path = args.file or SEED_DIR / "counselors.json"
    try:
        report = load_file(engine, path)
    except SeedValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(report)
    return 0


def _bench_data(args: argparse.Namespace, settings: Settings) -> int:
    from portal.db import make_engine
    from portal.generate import iter_listings
    from portal.migrate import create_schema
    from portal.seed import load_records

    engine = make_engine(settings.database_url)
    create_schema(engine)
    report = load_records(engine, iter_listings(args.count, synthetic=True), "synthetic")
    print(report)
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from portal.db import make_engine
    from portal.opendata.cli import export

    return export(make_engine(settings.database_url), args.format, Path(args.out))


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from portal.db import make_engine
    from portal.opendata.cli import import_

    engine = make_engine(settings.database_url)
    return import_(engine, args.format, Path(args.path), append=args.append)


def _listing_link(args: argparse.Namespace, settings: Settings) -> int:
    from portal.db import make_engine
    from portal.directory.confirm import issue_link, link_path, utc_now
    from portal.models import Listing
    from portal.settings import with_secret_key

    settings = with_secret_key(settings)
    engine = make_engine(settings.database_url)
    table = Listing.__table__
    with engine.begin() as conn:
        found = conn.execute(table.select().where(table.c.slug == args.slug)).first()
        if found is None:
            print(f"portal: no listing has the slug {args.slug!r}", file=sys.stderr)
            return 1
        token = issue_link(conn, settings.secret_key, args.slug, utc_now(), days=args.days)
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    print(base + link_path(args.slug, token))
    return 0


def _stale(args: argparse.Namespace, settings: Settings) -> int:
    import csv
    from datetime import date

    from sqlmodel import Session

    from portal.db import make_engine
    from portal.directory.availability import to_chase

    with Session(make_engine(settings.database_url)) as session:
        found = to_chase(session, date.today(), args.days, args.limit or None)
    header = ["slug", "name", "confirmed", "days", "no_answer", "not_taking", "got_consult"]
    header += ["reason", "command"]
    rows = [
        [
            t.slug,
            t.name,
            t.confirmed.isoformat() if t.confirmed else "never",
            str(t.days),
            str(t.counts.no_answer),
            str(t.counts.not_taking),
            str(t.counts.got_consult),
            t.reason,
            f"python -m portal listing-link {t.slug}",
        ]
        for t in found
    ]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return 0
    if not rows:
        print(f"Every listing was confirmed in the last {args.days} days.")
        return 0
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="create and seed the database if needed, then serve")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    migrate = sub.add_parser("migrate", help="apply the schema migrations (Alembic)")
    migrate.add_argument("revision", nargs="?", default="head")
    seed = sub.add_parser("seed", help="validate and (re)load the seed listings")
    seed.add_argument("--file", help="a counselors JSON file (default: seed/counselors.json)")
    bench = sub.add_parser("bench-data", help="load N synthetic listings for benchmarks")
    bench.add_argument("--count", type=int, default=100_000)
    export = sub.add_parser("export", help="write the directory as HSDS or FHIR open data")
    export.add_argument("--format", choices=["hsds", "fhir"], required=True)
    export.add_argument(
        "--out", required=True, help="hsds: a folder (or a .zip file); fhir: a .json file"
    )
    load = sub.add_parser("import", help="validate and load an HSDS data package")
    load.add_argument("--format", choices=["hsds"], required=True)
    load.add_argument("path", help="the package folder (with datapackage.json) or a .zip")
    load.add_argument("--append", action="store_true", help="keep the listings already loaded")
    link = sub.add_parser("listing-link", help="print a one-time link to confirm a listing")
    link.add_argument("slug")
    link.add_argument("--days", type=int, default=14, help="days the link works (default 14)")
    link.add_argument("--base-url", help="the portal's address (default http://HOST:PORT)")
    stale = sub.add_parser("stale", help="list listings to ask to confirm their availability")
    stale.add_argument("--days", type=int, default=30, help="not confirmed in this many days")
    stale.add_argument("--csv", action="store_true", help="CSV instead of a table")
    stale.add_argument("--limit", type=int, default=100, help="at most this many (0: all)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    handlers = {
        "migrate": _migrate,
        "serve": _serve,
        "seed": _seed,
        "bench-data": _bench_data,
        "export": _export,
        "import": _import,
        "listing-link": _listing_link,
        "stale": _stale,
    }
    return handlers[args.command](args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
