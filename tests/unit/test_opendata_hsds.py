"""HSDS export and import: the descriptor's tables and columns, the custom taxonomies, a
byte-identical round trip, the official example package, and bad packages that change
nothing."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from portal.db import make_engine
from portal.models import Listing, ListingFacet
from portal.opendata import hsds_terms
from portal.opendata.descriptor import HSDS_EXAMPLE_DIR, tables
from portal.opendata.hsds_export import export_dir, items_from_engine
from portal.opendata.hsds_import import import_package
from portal.opendata.hsds_read import HsdsImportError, Problem
from portal.opendata.records import iter_records, listing_record

ISSUE_TABLES = [
    "organization", "service", "location", "service_at_location", "address", "phone",
    "contact", "schedule", "cost_option", "language", "service_capacity", "attribute",
    "taxonomy", "taxonomy_term",
]  # fmt: skip
SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared/standards/hsds/examples/csv"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def exported(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hsds") / "package"
    export_dir(items_from_engine(engine), out)
    return out


@pytest.fixture(scope="module")
def small_package(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of the first 12 listings: a valid package to break, read in a moment."""
    out = tmp_path_factory.mktemp("hsds-small") / "package"
    export_dir(itertools.islice(items_from_engine(engine), 12), out)
    return out


def fresh_engine(tmp_path: Path, name: str = "fresh.db") -> Engine:
    return make_engine(f"sqlite:///{tmp_path / name}")


def db_records(engine: Engine) -> dict[str, dict]:
    return {rec["slug"]: rec for _listing, rec in iter_records(engine)}


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Listing.__table__)).scalar_one(),
            conn.execute(select(func.count()).select_from(ListingFacet.__table__)).scalar_one(),
        )


# ---- export ----------------------------------------------------------------------------------


def test_every_table_exists_with_the_descriptor_columns(exported: Path) -> None:
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in ISSUE_TABLES:
        table = tables()[name]
        assert resources[name]["path"] == table.path
        with (exported / table.path).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resources[name]["schema"]["fields"]]
    assert descriptor["fictional"] is True
    assert "FICTIONAL" in descriptor["description"]
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"


def test_a_listing_is_an_organization_a_service_and_a_contact(engine: Engine, exported: Path):
    n = counts(engine)[0]
    assert len(read_csv(exported / "organizations.csv")) == n
    assert len(read_csv(exported / "services.csv")) == n
    contacts = read_csv(exported / "contacts.csv")
    assert len(contacts) == n and all(c["service_id"] and c["name"] for c in contacts)
    assert all("FICTIONAL" in s["alert"] for s in read_csv(exported / "services.csv"))


def test_custom_taxonomies_and_attributes(exported: Path) -> None:
    taxonomies = {t["name"]: t["id"] for t in read_csv(exported / "taxonomies.csv")}
    for name in ("portal-specialty", "portal-modality", "portal-insurance", "portal-sees"):
        assert name in taxonomies
    terms = read_csv(exported / "taxonomy_terms.csv")
    codes = [t["code"] for t in terms]
    assert len(codes) == len(set(codes)), "taxonomy_term.code is unique in HSDS"
    assert {t["taxonomy_id"] for t in terms} <= set(taxonomies.values())
    by_id = {t["id"]: t for t in terms}
    attributes = read_csv(exported / "attributes.csv")
    used = {by_id[a["taxonomy_term_id"]]["taxonomy"] for a in attributes}
    assert {"portal-specialty", "portal-modality", "portal-licence", "portal-listing"} <= used
    assert all(a["link_entity"] == "service" for a in attributes)


def test_assured_date_is_last_verified(engine: Engine, exported: Path) -> None:
    records = db_records(engine)
    identifiers = {
        r["organization_id"]: r["identifier"]
        for r in read_csv(exported / "organization_identifiers.csv")
    }
    for service in read_csv(exported / "services.csv"):
        slug = identifiers[service["organization_id"]]
        assert service["assured_date"] == records[slug]["last_verified"]


def test_service_capacity_says_who_is_accepting(engine: Engine, exported: Path) -> None:
    records = db_records(engine)
    identifiers = {
        r["organization_id"]: r["identifier"]
        for r in read_csv(exported / "organization_identifiers.csv")
    }
    slug_of = {
        s["id"]: identifiers[s["organization_id"]] for s in read_csv(exported / "services.csv")
    }
    capacities = read_csv(exported / "service_capacities.csv")
    assert len(capacities) == len(records)
    for row in capacities:
        rec = records[slug_of[row["service_id"]]]
        assert (row["available"] == "1") is rec["accepting"]
        assert row["updated"].startswith(rec["last_verified"])
    units = read_csv(exported / "units.csv")
    assert [u["name"] for u in units] == [hsds_terms.UNIT_NAME]


def test_export_is_deterministic(engine: Engine, exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    export_dir(items_from_engine(engine), again)
    for path in exported.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


# ---- round trip ------------------------------------------------------------------------------


@pytest.mark.slow  # the whole directory exported, imported and exported again
def test_export_import_export_is_byte_identical(
    engine: Engine, exported: Path, tmp_path: Path
) -> None:
    fresh = fresh_engine(tmp_path)
    report = import_package(fresh, exported)
    assert report.load.listings == counts(engine)[0]
    assert report.notes == []
    assert db_records(fresh) == db_records(engine), "every field of every listing survives"
    assert counts(fresh) == counts(engine)
    second = tmp_path / "second"
    export_dir(items_from_engine(fresh), second)
    names = sorted(p.name for p in exported.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (exported / name).read_bytes() == (second / name).read_bytes(), name


def test_a_zip_imports_too(engine: Engine, tmp_path: Path) -> None:
    import io

    from portal.opendata.package import write_hsds_zip

    path = tmp_path / "directory.zip"
    buffer = io.BytesIO()
    write_hsds_zip(itertools.islice(items_from_engine(engine), 12), buffer)
    path.write_bytes(buffer.getvalue())
    fresh = fresh_engine(tmp_path)
    assert import_package(fresh, path).load.listings == 12


# ---- the official example package ------------------------------------------------------------


@pytest.mark.parametrize(
    "folder",
    [
        HSDS_EXAMPLE_DIR,
        pytest.param(
            SHARED_EXAMPLE,
            marks=pytest.mark.skipif(not SHARED_EXAMPLE.is_dir(), reason="no shared/ copy"),
        ),
    ],
    ids=["shipped-copy", "shared"],
)
def test_the_official_example_package_imports(folder: Path, tmp_path: Path) -> None:
    fresh = fresh_engine(tmp_path)
    report = import_package(fresh, folder)
    assert report.load.listings == 1
    [rec] = db_records(fresh).values()
    assert rec["slug"] == "community-counselling-ac148810"
    assert rec["name"].startswith("Community Counselling")
    assert "Imported from the HSDS feed" in rec["bio"] and "not a counselor" in rec["bio"]
    assert rec["last_verified"] == "2005-01-01"
    assert rec["fee_min"] == rec["fee_max"] == 35
    assert rec["email"] == "email@example.com"
    assert rec["phone"] == "000-555-0100", "a real-looking number is never loaded"
    assert rec["licence_number"] == "NOT-IN-FEED-FAKE"
    text = "\n".join(report.notes)
    for expected in ("licence_type", "gender", "phone", "Urdu", "not a US address", "GBP"):
        assert expected in text


# ---- bad packages ----------------------------------------------------------------------------


def _copy(exported: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bad"
    shutil.copytree(exported, target)
    return target


def _edit(path: Path, row: int, column: str, value: str) -> None:
    rows = read_csv(path)
    rows[row - 2][column] = value
    write_csv(path, rows)


def _missing_table(pkg: Path) -> None:
    (pkg / "phones.csv").unlink()


def _wrong_column(pkg: Path) -> None:
    rows = read_csv(pkg / "languages.csv")
    header = [("language_code" if c == "code" else c) for c in rows[0]]
    renamed = [{("language_code" if k == "code" else k): v for k, v in r.items()} for r in rows]
    write_csv(pkg / "languages.csv", renamed, header)


def _bad_date(pkg: Path) -> None:
    _edit(pkg / "services.csv", 3, "assured_date", "2026-13-45")


def _duplicate_id(pkg: Path) -> None:
    rows = read_csv(pkg / "phones.csv")
    rows[4]["id"] = rows[1]["id"]
    write_csv(pkg / "phones.csv", rows)


def _dangling_reference(pkg: Path) -> None:
    _edit(pkg / "service_at_location.csv", 2, "service_id", "00000000-0000-4000-8000-000000000000")


def _bad_listing_value(pkg: Path) -> None:
    _edit(pkg / "phones.csv", 4, "number", "212-867-5309")


CASES: list[tuple[str, Callable[[Path], None], list[Problem]]] = [
    ("missing table", _missing_table, [Problem("phones.csv", None, None, "missing table")]),
    (
        "wrong column",
        _wrong_column,
        [
            Problem("languages.csv", 1, "code", "missing column"),
            Problem("languages.csv", 1, "language_code", "not a column"),
        ],
    ),
    ("bad date", _bad_date, [Problem("services.csv", 3, "assured_date", "is not a date")]),
    ("duplicate id", _duplicate_id, [Problem("phones.csv", 6, "id", "duplicate id")]),
    (
        "dangling reference",
        _dangling_reference,
        [Problem("service_at_location.csv", 2, "service_id", "is not the id of any row")],
    ),
    ("fictional-only value", _bad_listing_value, [Problem("phones.csv", 4, "number", "555-01")]),
]


def _matches(problem: Problem, expected: Problem) -> bool:
    return (
        problem.file == expected.file
        and problem.row == expected.row
        and problem.column == expected.column
        and expected.message in problem.message
    )


@pytest.mark.parametrize(("name", "breaks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_package_lists_every_problem_and_changes_nothing(
    engine: Engine, small_package: Path, tmp_path: Path, name: str, breaks: Callable, expected: list
) -> None:
    before_counts, before = counts(engine), db_records(engine)  # the seeded database
    package = _copy(small_package, tmp_path)
    breaks(package)
    with pytest.raises(HsdsImportError) as caught:
        import_package(engine, package)
    problems = caught.value.problems
    for want in expected:
        assert any(_matches(p, want) for p in problems), (want, problems[:5])
    assert "nothing was loaded" in str(caught.value)
    assert counts(engine) == before_counts
    assert db_records(engine) == before


def test_several_problems_are_all_reported_at_once(small_package: Path, tmp_path: Path) -> None:
    package = _copy(small_package, tmp_path)
    _bad_date(package)
    _duplicate_id(package)
    _dangling_reference(package)
    with pytest.raises(HsdsImportError) as caught:
        import_package(fresh_engine(tmp_path), package)
    files = {p.file for p in caught.value.problems}
    assert {"services.csv", "phones.csv", "service_at_location.csv"} <= files
    assert "services.csv: row 3: column 'assured_date'" in str(caught.value)


def test_listing_record_matches_the_seed_shape(engine: Engine) -> None:
    from portal.seed import validate_records

    records = [rec for _l, rec in iter_records(engine)]
    assert validate_records(records, "db") == []
    listing = next(item for item, _r in iter_records(engine))
    assert listing_record(listing)["slug"] == listing.slug
