"""Deterministic generator of FICTIONAL counselor listings (a tool; the application never
imports it).

``python -m portal.generate --out seed/counselors.json`` rebuilds the checked-in seed file byte for
byte: a fixed ``random.Random(seed)``, a fixed anchor date (2026-11-20) instead of the wall
clock, and no iteration over sets or hash-ordered containers. The word lists and tables are the
JSON files in ``data/``; ``listing.py`` draws one listing step by step.

``--synthetic --count 100000`` produces a large benchmark set: same record shape, unique slugs
(suffixed with an index), offices spread over the metros and over ZIP codes all over the
country. Synthetic files are marked ``"synthetic": true`` and must never be shown as real.

Every person, licence number, phone number (555-01xx), e-mail and website (example.org / .com /
.net) produced here is invented.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.generate.data import (
    COVERAGE,
    COVERAGE_COUNT,
    METRO_BY_SLUG,
    METROS,
    ROLE_ROTATION,
    ROLE_WEIGHTS,
    SENTENCES,
    STATE_AREA,
    STATES,
    Metro,
)
from portal.generate.listing import ANCHOR, Generator, Office
from portal.generate.rules import allocate, pick_weighted, slugify
from portal.states import STATE_NAMES

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from portal.seed import LoadReport

__all__ = [
    "ANCHOR",
    "DEFAULT_COUNT",
    "DEFAULT_SEED",
    "METROS",
    "STATES",
    "STATE_AREA",
    "STATE_NAMES",
    "Metro",
    "command_line",
    "generate",
    "iter_listings",
    "load_generated",
    "main",
    "slugify",
    "write_json",
]

DEFAULT_SEED = 2026
DEFAULT_COUNT = 478  # 410, and the COVERAGE listings after them
TELEHEALTH_SHARE = 60 / 410  # ~60 telehealth-only listings in the default seed


def _metro_office(rng: random.Random, metro: Metro) -> Office:
    zip_code, city, state, area = rng.choice(metro.zips)
    return Office(zip_code, city, state, area, metro, metro.slug)


def _coverage_office(metro: Metro, zip_code: str) -> Office:
    for z, city, state, area in metro.zips:
        if z == zip_code:
            return Office(z, city, state, area, metro, metro.slug)
    raise ValueError(f"{zip_code} is not one of the ZIP codes of {metro.slug}")


def _metro_listings(gen: Generator, metro: Metro, count: int) -> Iterator[dict[str, Any]]:
    rng = gen.rng
    roles = list(ROLE_ROTATION[:count])
    roles += [pick_weighted(rng, ROLE_WEIGHTS) for _ in range(count - len(roles))]
    forced: list[frozenset[str]] = [frozenset()] * count
    if metro.slug == "chicago":
        # demo search: Spanish-speaking co-parenting help by video with a sliding scale
        # near ZIP 60614
        for i in range(min(4, count)):
            roles[-1 - i] = "coparent"
            forced[-1 - i] = frozenset({"es", "video", "sliding", "co-parenting"})
    for role, force in zip(roles, forced, strict=True):
        office = _metro_office(rng, metro)
        yield gen.listing(role, office, office.state, force=force)


def _telehealth_listings(gen: Generator, count: int) -> Iterator[dict[str, Any]]:
    """Every state and DC gets at least one home-state clinician."""
    rng = gen.rng
    states = list(STATES)
    rng.shuffle(states)
    for i in range(count):
        home = states[i % len(states)]
        extra: list[str] = []
        if i >= len(states) or rng.random() < 0.3:
            extra = rng.sample(STATES, rng.randint(1, 4))
        role = pick_weighted(rng, ROLE_WEIGHTS)
        yield gen.listing(role, None, home, extra)


def _coverage_listings(gen: Generator) -> Iterator[dict[str, Any]]:
    for place, zip_code, role, count, traits in COVERAGE:
        office = _coverage_office(METRO_BY_SLUG[place], zip_code) if zip_code else None
        force = frozenset({"open", "screens", "video", *traits})
        for _ in range(count):
            yield gen.listing(role, office, office.state if office else place, force=force)


_METRO_OF_ZIP = {z[0]: m.slug for m in METROS for z in m.zips}


def _metro_of(rec: dict[str, Any]) -> str | None:
    return _METRO_OF_ZIP.get(rec["office"]["zip"]) if rec["office"] else None


def spanish_target(metro: Metro, listed: int) -> int:
    """How many of a metro's ``listed`` counselors should speak Spanish: its share of Spanish
    speakers, rounded up, and never fewer than its ``spanish_min``."""
    return max(metro.spanish_min, math.ceil(listed * metro.spanish_share - 1e-9))


def _spanish_listings(
    gen: Generator, listed: Counter[str], spanish: Counter[str]
) -> Iterator[dict[str, Any]]:
    """Spanish-speaking counselors where a metro has fewer than its share, each one counted in
    the share too (after the rest, so that the others stay as they were)."""
    gen.bios.language_pool = SENTENCES["language_more"]
    for metro in METROS:
        have, total = spanish[metro.slug], listed[metro.slug]
        while have < spanish_target(metro, total):
            office = _metro_office(gen.rng, metro)
            role = pick_weighted(gen.rng, ROLE_WEIGHTS)
            yield gen.listing(role, office, office.state, force=frozenset({"es"}))
            have, total = have + 1, total + 1


def _curated(n: int, seed: int) -> Iterator[dict[str, Any]]:
    gen = Generator(seed, synthetic=False)
    # The coverage listings come last, so that the others stay as they were.
    coverage = n >= DEFAULT_COUNT
    if coverage:
        n -= COVERAGE_COUNT
    n_tele = round(n * TELEHEALTH_SHARE) if n >= 20 else 0
    counts = allocate(n - n_tele, [m.weight for m in METROS])
    listed: Counter[str] = Counter()
    spanish: Counter[str] = Counter()
    for metro, count in zip(METROS, counts, strict=True):
        for rec in _metro_listings(gen, metro, count):
            listed[metro.slug] += 1
            spanish[metro.slug] += "es" in rec["languages"]
            yield rec
    yield from _telehealth_listings(gen, n_tele)
    if coverage:
        for rec in _coverage_listings(gen):
            slug = _metro_of(rec)
            if slug:
                listed[slug] += 1
                spanish[slug] += "es" in rec["languages"]
            yield rec
        yield from _spanish_listings(gen, listed, spanish)


_NATIONAL_ZIPS: list[tuple[str, str, str, str]] | None = None


def _national_zips() -> list[tuple[str, str, str, str]]:
    """(zip, city, state, area code) for every standard ZIP in the 50 states + DC."""
    global _NATIONAL_ZIPS
    if _NATIONAL_ZIPS is None:
        import zipcodes

        rows = []
        for z in zipcodes.list_all():
            if z["zip_code_type"] != "STANDARD" or z["state"] not in STATE_NAMES:
                continue
            if not z.get("lat") or not z.get("long"):
                continue
            area = z["area_codes"][0] if z.get("area_codes") else STATE_AREA[z["state"]]
            rows.append((z["zip_code"], z["city"], z["state"], area))
        rows.sort()
        _NATIONAL_ZIPS = rows
    return _NATIONAL_ZIPS


def _synthetic(n: int, seed: int) -> Iterator[dict[str, Any]]:
    gen = Generator(seed, synthetic=True)
    rng = gen.rng
    national = _national_zips()
    metro_weights = tuple((m.slug, m.weight) for m in METROS)
    for _ in range(n):
        role = pick_weighted(rng, ROLE_WEIGHTS)
        r = rng.random()
        if r < 0.12:
            yield gen.listing(role, None, rng.choice(STATES))
        elif r < 0.62:
            office = _metro_office(rng, METRO_BY_SLUG[pick_weighted(rng, metro_weights)])
            yield gen.listing(role, office, office.state)
        else:
            zip_code, city, state, area = rng.choice(national)
            office = Office(zip_code, city, state, area, None, slugify(city) or "us")
            yield gen.listing(role, office, state)


def iter_listings(
    n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` fictional listing records, one dict at a time (deterministic per seed)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return _synthetic(n, seed) if synthetic else _curated(n, seed)


def generate(
    n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> list[dict[str, Any]]:
    """All ``n`` records as a list (see ``iter_listings``)."""
    return list(iter_listings(n, seed, synthetic))


def load_generated(
    engine: Engine,
    n: int,
    seed: int | None = None,
    *,
    synthetic: bool = True,
    replace: bool = True,
) -> LoadReport:
    """Generate and stream-load ``n`` listings (the benchmark path: no JSON file, no list)."""
    from portal.seed import load_records

    seed = DEFAULT_SEED if seed is None else seed
    source = f"generated:{command_line(n, seed, synthetic)}"
    return load_records(engine, iter_listings(n, seed, synthetic), source, replace=replace)


def command_line(n: int, seed: int, synthetic: bool) -> str:
    parts = ["python -m portal.generate", f"--count {n}", f"--seed {seed}"]
    if synthetic:
        parts.append("--synthetic")
    return " ".join(parts)


def _header(n: int, seed: int, synthetic: bool) -> dict[str, Any]:
    header: dict[str, Any] = {"generated_by": command_line(n, seed, synthetic), "fictional": True}
    if synthetic:
        header["synthetic"] = True
    return header


def write_json(
    out: Path | str, n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> int:
    """Stream the records to ``out`` (one listing per line). Returns the number written."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        head = json.dumps(_header(n, seed, synthetic), ensure_ascii=False)
        fh.write(head[:-1] + ', "listings": [\n')
        for rec in iter_listings(n, seed, synthetic):
            if count:
                fh.write(",\n")
            fh.write(json.dumps(rec, ensure_ascii=False))
            count += 1
        fh.write("\n]}\n")
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.generate",
        description="Write fictional counselor listings (deterministic for a given seed).",
    )
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="large benchmark set: index-suffixed slugs, nationwide ZIPs",
    )
    parser.add_argument("--out", default="-", help="output file ('-' for stdout)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if args.out == "-":
        header = _header(args.count, args.seed, args.synthetic)
        header["listings"] = generate(args.count, args.seed, args.synthetic)
        json.dump(header, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    count = write_json(args.out, args.count, args.seed, args.synthetic)
    print(f"wrote {count} listings to {args.out}", file=sys.stderr)
    return 0
