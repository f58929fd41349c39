"""Validation and transactional loading of the seed data."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from portal import db, generate, seed
from portal.models import FACETS
from portal.paths import SEED_DIR
from tests.conftest import copy_database

SEED_FILE = SEED_DIR / "counselors.json"


@pytest.fixture(scope="module")
def good_records() -> list[dict]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))["listings"]


def make_engine(path: Path) -> Engine:
    return db.make_engine(f"sqlite:///{path}")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return make_engine(tmp_path / "portal.db")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A database with the seed file loaded (read-only tests share it)."""
    eng = make_engine(tmp_path_factory.mktemp("seed") / "portal.db")
    seed.load_file(eng, SEED_FILE)
    return eng


@pytest.fixture
def loaded_copy(loaded: Engine, tmp_path: Path) -> Engine:
    """A database of the test's own holding the loaded seed, for tests that change it."""
    return copy_database(loaded, tmp_path / "copy.db")


def snapshot(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {
            "listings": conn.execute(text("SELECT * FROM listing ORDER BY id")).all(),
            "facets": conn.execute(
                text(
                    "SELECT facet, value, listing_id FROM listing_facet "
                    "ORDER BY listing_id, facet, value"
                )
            ).all(),
            "fts": conn.execute(
                text(
                    "SELECT rowid FROM listing_fts WHERE listing_fts MATCH 'therapy' ORDER BY rowid"
                )
            ).all(),
            "zips": conn.execute(text("SELECT count(*) FROM zip_centroid")).scalar(),
            "triggers": conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            ).all(),
        }


def write_seed(path: Path, records: list) -> Path:
    path.write_text(
        json.dumps({"generated_by": "test", "fictional": True, "listings": records}),
        encoding="utf-8",
    )
    return path


# ---- validation ----------------------------------------------------------------------------


def test_seed_file_validates(good_records: list[dict]) -> None:
    assert seed.validate_records(good_records, "seed/counselors.json") == []


BREAKAGES = [
    ("missing key", lambda r: r.pop("bio"), "bio", "missing"),
    ("unknown key", lambda r: r.update(photo="x.jpg"), "photo", "unknown key"),
    ("wrong type", lambda r: r.update(years_in_practice="ten"), "years_in_practice", "integer"),
    ("bool as int", lambda r: r.update(fee_min=True), "fee_min", "integer"),
    ("bool field", lambda r: r.update(accepting="yes"), "accepting", "true or false"),
    (
        "taxonomy slug",
        lambda r: r.update(specialties=["astrology"]),
        "specialties",
        "taxonomy specialty",
    ),
    ("licence slug", lambda r: r.update(licence_type="md"), "licence_type", "taxonomy licence"),
    ("gender slug", lambda r: r.update(gender="w"), "gender", "taxonomy gender"),
    ("language", lambda r: r.update(languages=["en", "xx"]), "languages", "taxonomy language"),
    (
        "state code",
        lambda r: r.update(licence_states=["ZZ", *r["licence_states"]]),
        "licence_states",
        "US state",
    ),
    (
        "unknown zip",
        lambda r: r.update(office={"city": "Nowhere", "state": "IL", "zip": "00000"}),
        "office.zip",
        "unknown ZIP",
    ),
    (
        "zip state",
        lambda r: r.update(office={**r["office"], "state": "WI"}),
        "office.zip",
        "is in IL",
    ),
    ("fees", lambda r: r.update(fee_min=300, fee_max=100), "fee_min", "greater than fee_max"),
    ("bad date", lambda r: r.update(last_verified="2026-13-01"), "last_verified", "ISO date"),
    (
        "closed with date",
        lambda r: r.update(accepting=False, next_opening="2026-12-01"),
        "next_opening",
        "null when accepting is false",
    ),
    (
        "telehealth subset",
        lambda r: r.update(telehealth_states=["AK"]),
        "telehealth_states",
        "not in licence_states",
    ),
    ("phone", lambda r: r.update(phone="312-555-1234"), "phone", "555-01"),
    ("email", lambda r: r.update(email="someone@gmail.com"), "email", "example.org"),
    ("website", lambda r: r.update(website="http://therapy.example.com"), "website", "https://"),
    (
        "website domain",
        lambda r: r.update(website="https://real-therapist.com"),
        "website",
        "example.org",
    ),
    ("empty bio", lambda r: r.update(bio="   "), "bio", "empty"),
    ("lorem", lambda r: r.update(bio="Lorem ipsum dolor sit amet."), "bio", "placeholder"),
    ("slug", lambda r: r.update(slug="Not A Slug"), "slug", "url-safe"),
    (
        "licence number",
        lambda r: r.update(licence_number="IL-LMFT-104233"),
        "licence_number",
        "FAKE",
    ),
    (
        "sliding floor",
        lambda r: r.update(sliding_scale=False, sliding_floor=40),
        "sliding_floor",
        "null unless",
    ),
    (
        "children",
        lambda r: r.update(children_age_min=12, children_age_max=5),
        "children_age_min",
        "greater than",
    ),
    ("office missing", lambda r: r.update(office=None), "office", "in-person"),
]


@pytest.mark.parametrize(
    ("label", "breaker", "field", "fragment"), BREAKAGES, ids=[b[0] for b in BREAKAGES]
)
def test_bad_record_names_file_record_and_field(
    good_records: list[dict], label: str, breaker, field: str, fragment: str
) -> None:
    # an in-person Chicago listing, so that office/ZIP breakages apply
    index = next(
        i
        for i, r in enumerate(good_records)
        if r["office"] and r["office"]["state"] == "IL" and r["sliding_scale"]
    )
    rec = copy.deepcopy(good_records[index])
    breaker(rec)
    errors = seed.validate_record(rec, index, "seed/bad.json")
    assert errors, label
    matching = [e for e in errors if e.field == field]
    assert matching, [str(e) for e in errors]
    message = str(matching[0])
    assert message.startswith(f"seed/bad.json: record {index}")
    assert f"field '{field}'" in message
    assert fragment in message, message
    if rec.get("slug") and label != "slug":
        assert f"(slug '{rec['slug']}')" in message


def test_every_rule_across_fields_is_reported(good_records: list[dict]) -> None:
    rec = copy.deepcopy(next(r for r in good_records if r["telehealth_states"]))
    rec.update(fee_min=300, fee_max=100, accepting=False, next_opening="2026-12-01")
    rec["telehealth_states"] = sorted({*rec["telehealth_states"], "AK", "HI"} - {"AK"})
    rec["licence_states"] = [s for s in rec["licence_states"] if s != "HI"]
    fields = {e.field for e in seed.validate_record(rec, 0, "seed/bad.json")}
    assert {"fee_min", "next_opening", "telehealth_states"} <= fields


def test_type_errors_in_lists_and_nested_office_name_the_field(good_records: list[dict]) -> None:
    rec = copy.deepcopy(next(r for r in good_records if r["office"]))
    rec["languages"] = ["en", 3]
    rec["office"] = {**rec["office"], "zip": 60614}
    found = {(e.field, e.message) for e in seed.validate_record(rec, 0, "seed/bad.json")}
    assert ("languages", "must be a list of strings") in found
    assert ("office.zip", "must be a string, got int") in found


def test_all_errors_collected_and_listed_one_per_line(
    engine: Engine, good_records: list[dict]
) -> None:
    records = copy.deepcopy(good_records[:30])
    records[3]["fee_min"] = 999
    records[3]["fee_max"] = 100
    records[17]["email"] = "a@b.com"
    records[25]["slug"] = records[2]["slug"]
    records[29] = "not an object"
    with pytest.raises(seed.SeedValidationError) as info:
        seed.load_records(engine, records, "seed/counselors.json")
    errors = info.value.errors
    assert {(e.index, e.field) for e in errors} >= {
        (3, "fee_min"),
        (17, "email"),
        (25, "slug"),
        (29, None),
    }
    lines = str(info.value).splitlines()
    assert len(lines) == len(errors) + 1
    assert any(
        line.startswith("seed/counselors.json: record 25 (slug ") and "duplicate slug" in line
        for line in lines
    )
    assert any("record 3 (slug" in line and "field 'fee_min'" in line for line in lines)


def test_file_level_errors(tmp_path: Path, engine: Engine) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(seed.SeedValidationError, match="not valid JSON"):
        seed.load_file(engine, broken)
    real = tmp_path / "real.json"
    real.write_text(json.dumps({"fictional": False, "listings": []}), encoding="utf-8")
    with pytest.raises(seed.SeedValidationError, match="fictional"):
        seed.load_file(engine, real)
    with pytest.raises(seed.SeedValidationError, match="file not found"):
        seed.load_file(engine, tmp_path / "missing.json")


# ---- loading -------------------------------------------------------------------------------


def test_load_counts_latlon_and_zip_table(loaded: Engine, good_records: list[dict]) -> None:
    zips = seed.zip_index()
    with loaded.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM listing")).scalar() == len(good_records)
        assert conn.execute(text("SELECT count(*) FROM zip_centroid")).scalar() == len(zips)
        assert len(zips) > 40000
        rows = conn.execute(text("SELECT slug, zip, lat, lon, city, state FROM listing")).all()
        row = conn.execute(
            text("SELECT state, city, lat, lon FROM zip_centroid WHERE zip = '60614'")
        ).one()
        assert row[0] == "IL" and row[1] == "Chicago" and abs(row[2] - 41.92) < 0.05
    by_slug = {r["slug"]: r for r in good_records}
    for slug, zip_code, lat, lon, city, state in rows:
        office = by_slug[slug]["office"]
        if office is None:
            assert zip_code is None and lat is None and lon is None
        else:
            assert (zip_code, city, state) == (office["zip"], office["city"], office["state"])
            assert (lat, lon) == zips[zip_code][2:]


def test_facet_rows_match_records(loaded: Engine, good_records: list[dict]) -> None:
    with loaded.connect() as conn:
        ids = dict(conn.execute(text("SELECT slug, id FROM listing")).all())
        facets = conn.execute(text("SELECT facet, value, listing_id FROM listing_facet")).all()
    got: dict[int, set[tuple[str, str]]] = {}
    for facet, value, listing_id in facets:
        got.setdefault(listing_id, set()).add((facet, value))
    for rec in good_records:
        expected = set()
        for facet, attr in FACETS.items():
            values = [rec[attr]] if isinstance(rec[attr], str) else rec[attr]
            expected.update((facet, v) for v in values)
        assert got.get(ids[rec["slug"]], set()) == expected, rec["slug"]
    sample = good_records[0]
    assert ("licence", sample["licence_type"]) in got[ids[sample["slug"]]]
    assert ("gender", sample["gender"]) in got[ids[sample["slug"]]]


def test_listing_columns_round_trip(loaded: Engine, good_records: list[dict]) -> None:
    from sqlmodel import Session, select

    from portal.models import Listing

    with Session(loaded) as session:
        listing = session.exec(select(Listing).where(Listing.slug == good_records[5]["slug"])).one()
    rec = good_records[5]
    assert listing.languages == rec["languages"]
    assert listing.licence_states == rec["licence_states"]
    assert listing.last_verified.isoformat() == rec["last_verified"]
    assert (listing.next_opening.isoformat() if listing.next_opening else None) == (
        rec["next_opening"]
    )
    assert listing.bio == rec["bio"] and listing.accepting is rec["accepting"]


def test_fts_finds_a_bio_word(loaded: Engine, good_records: list[dict]) -> None:
    with loaded.connect() as conn:
        ids = dict(conn.execute(text("SELECT slug, id FROM listing")).all())
        hits = {
            r[0]
            for r in conn.execute(
                text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH 'bio:\"discernment\"'")
            )
        }
    expected = {ids[r["slug"]] for r in good_records if "discernment" in r["bio"].lower()}
    assert expected and hits == expected


def test_load_twice_is_idempotent(engine: Engine) -> None:
    first = seed.load_file(engine, SEED_FILE)
    before = snapshot(engine)
    second = seed.load_file(engine, SEED_FILE)
    assert snapshot(engine) == before
    assert first.zip_centroids > 40000 and second.zip_centroids == 0
    assert second.removed == first.listings == second.listings


def test_bad_file_changes_nothing(
    tmp_path: Path, loaded_copy: Engine, good_records: list[dict]
) -> None:
    engine = loaded_copy
    before = snapshot(engine)
    records = copy.deepcopy(good_records)
    records[-1]["office"] = {"city": "Atlantis", "state": "FL", "zip": "99999"}
    bad = write_seed(tmp_path / "bad.json", records)
    with pytest.raises(seed.SeedValidationError) as info:
        seed.load_file(engine, bad)
    assert f"record {len(records) - 1}" in str(info.value)
    assert snapshot(engine) == before


def test_bad_stream_rolls_back_everything(
    loaded_copy: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streamed load that has already inserted batches is rolled back on a later error."""
    engine = loaded_copy
    monkeypatch.setattr(seed, "BATCH", 40)  # batches of 40 rather than 5,000: the same paths
    before = snapshot(engine)

    def stream():
        for i, rec in enumerate(generate.iter_listings(seed.BATCH + 50, seed=5, synthetic=True)):
            if i == seed.BATCH + 10:
                rec["fee_min"] = rec["fee_max"] + 5
            yield rec

    with pytest.raises(seed.SeedValidationError) as info:
        seed.load_records(engine, stream(), "stream")
    assert [e.index for e in info.value.errors] == [seed.BATCH + 10]
    assert snapshot(engine) == before


def test_triggers_and_foreign_keys_survive_a_load(loaded_copy: Engine) -> None:
    engine = loaded_copy
    with engine.begin() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        conn.execute(text("UPDATE listing SET bio = 'Zanzibarish words here.' WHERE id = 1"))
    with engine.connect() as conn:
        hits = conn.execute(
            text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH '\"zanzibarish\"'")
        ).all()
        assert hits == [(1,)]


def test_append_mode_refuses_existing_slug(engine: Engine, good_records: list[dict]) -> None:
    seed.load_records(engine, good_records[:10], "first")
    report = seed.load_records(engine, good_records[10:20], "second", replace=False)
    assert report.listings == 10 and report.removed == 0
    with pytest.raises(seed.SeedValidationError, match="already in the database"):
        seed.load_records(engine, good_records[15:25], "third", replace=False)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM listing")).scalar() == 20
        assert conn.execute(text("SELECT max(id) FROM listing")).scalar() == 20


def test_streamed_synthetic_load(engine: Engine) -> None:
    report = generate.load_generated(engine, 1200, seed=9)
    assert report.listings == 1200 and report.facets > 10 * 1200
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT slug) FROM listing")).scalar() == 1200
        n_facets = conn.execute(text("SELECT count(*) FROM listing_facet")).scalar()
    assert n_facets == report.facets


def test_ensure_seeded_loads_only_into_an_empty_table(
    engine: Engine, good_records: list[dict]
) -> None:
    report = seed.ensure_seeded(engine)
    assert report is not None and report.listings == len(good_records)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM listing_facet WHERE listing_id = 1"))
        conn.execute(text("DELETE FROM listing WHERE id = 1"))
    assert seed.ensure_seeded(engine) is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM listing")).scalar() == (
            len(good_records) - 1
        )
