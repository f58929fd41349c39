"""The deterministic generator and the checked-in seed file it produced."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from portal import generate, schema, seed
from portal.directory.geo import haversine_miles
from portal.paths import SEED_DIR

SEED_FILE = SEED_DIR / "counselors.json"
ANCHOR = date(2026, 11, 20)
SENTENCE = re.compile(r"(?<!\bSt)(?<=[.!?])\s+")
ZIP_TO_METRO = {z[0]: m for m in generate.METROS for z in m.zips}


@pytest.fixture(scope="module")
def seed_data() -> dict:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def listings(seed_data: dict) -> list[dict]:
    return seed_data["listings"]


def metro_of(rec: dict) -> generate.Metro | None:
    return ZIP_TO_METRO.get(rec["office"]["zip"]) if rec["office"] else None


# ---- determinism ---------------------------------------------------------------------------


def test_same_seed_same_output_and_other_seed_differs() -> None:
    assert generate.generate(60, seed=7) == generate.generate(60, seed=7)
    assert generate.generate(60, seed=7) != generate.generate(60, seed=8)
    assert generate.generate(30, seed=3, synthetic=True) == generate.generate(
        30, seed=3, synthetic=True
    )


def test_checked_in_file_is_reproduced_byte_for_byte(tmp_path) -> None:
    out = tmp_path / "counselors.json"
    assert generate.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SEED_FILE.read_bytes(), (
        "seed/counselors.json is stale: run `python -m portal.generate --out seed/counselors.json`"
    )


def test_file_header(seed_data: dict) -> None:
    assert seed_data["fictional"] is True
    assert seed_data["generated_by"].startswith("python -m portal.generate")
    assert "synthetic" not in seed_data
    assert list(seed_data) == ["generated_by", "fictional", "listings"]


def test_iter_listings_is_lazy() -> None:
    it = generate.iter_listings(10**9, synthetic=True)  # would never finish if eager
    first = next(it)
    assert set(first) == set(schema.RECORD_KEYS)


# ---- shape and counts ----------------------------------------------------------------------


def test_record_keys_exactly(listings: list[dict]) -> None:
    for rec in listings:
        assert list(rec) == list(schema.RECORD_KEYS)


def test_all_records_valid(listings: list[dict]) -> None:
    errors = seed.validate_records(listings, "seed/counselors.json")
    assert errors == [], "\n".join(map(str, errors[:20]))


def test_counts_metros_and_telehealth(listings: list[dict]) -> None:
    assert 430 <= len(listings) <= 520  # with the Spanish-speaking counselors added per metro
    office = [r for r in listings if r["office"]]
    remote = [r for r in listings if r["office"] is None]
    assert 370 <= len(office) <= 460
    assert 50 <= len(remote) <= 70
    per_metro = Counter(metro_of(r).slug for r in office)
    assert None not in per_metro
    assert len([m for m, n in per_metro.items() if n >= 5]) >= 25
    assert all(
        len({r["office"]["zip"] for r in office if metro_of(r).slug == m}) >= 3 for m in per_metro
    )
    tele = {s for r in remote for s in r["telehealth_states"]}
    assert tele == set(generate.STATES)
    assert len(tele) == 51 and "DC" in tele
    for r in remote:
        assert set(r["formats"]) <= {"video", "phone"} and "video" in r["formats"]
        assert r["office_accessible"] is None


def test_availability_and_freshness(listings: list[dict]) -> None:
    n = len(listings)
    not_accepting = [r for r in listings if not r["accepting"]]
    assert 0.10 <= len(not_accepting) / n <= 0.20
    assert all(r["next_opening"] is None for r in not_accepting)
    for r in listings:
        if r["accepting"]:
            assert date(2026, 11, 20) <= date.fromisoformat(r["next_opening"]) <= date(2027, 2, 28)
        assert 1 <= r["reply_days"] <= 7
    ages = [(ANCHOR - date.fromisoformat(r["last_verified"])).days for r in listings]
    assert all(a >= 0 for a in ages)
    assert sum(a <= 120 for a in ages) / n >= 0.75
    assert 0.05 <= sum(a > 200 for a in ages) / n <= 0.15


def test_fees_insurance_contact(listings: list[dict]) -> None:
    for r in listings:
        assert 60 <= r["fee_min"] <= r["fee_max"] <= 275
        if r["sliding_scale"]:
            assert r["sliding_floor"] is not None and r["sliding_floor"] <= r["fee_min"]
        else:
            assert r["sliding_floor"] is None
        m = metro_of(r)
        area = r["phone"][:3]
        if m:
            assert area in {z[3] for z in m.zips}, (r["slug"], r["phone"])
        else:
            assert area == generate.STATE_AREA[r["licence_number"][:2]]
    self_pay = sum(not r["insurance"] for r in listings) / len(listings)
    assert 0.3 <= self_pay <= 0.65
    coastal = [r["fee_max"] for r in listings if (m := metro_of(r)) and m.tier == 3]
    other = [r["fee_max"] for r in listings if (m := metro_of(r)) and m.tier == 1]
    assert sum(coastal) / len(coastal) > sum(other) / len(other) + 30
    assert len({r["phone"] for r in listings}) == len(listings)


def test_slugs_unique_and_url_safe(listings: list[dict]) -> None:
    slugs = [r["slug"] for r in listings]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    assert all(r["licence_type"] in r["slug"] for r in listings)


# ---- coherence -----------------------------------------------------------------------------

TRAINING_IMPLIES = {
    "gottman-level-1": "gottman", "gottman-level-2": "gottman", "gottman-level-3": "gottman",
    "gottman-certified": "gottman", "iceeft-certified": "eft", "eft-externship": "eft",
    "discernment-trained": "discernment", "parenting-coordinator": "parenting-coordination",
    "family-mediator": "family-mediation",
}  # fmt: skip


def test_trainings_match_modalities(listings: list[dict]) -> None:
    for r in listings:
        for training, modality in TRAINING_IMPLIES.items():
            if training in r["trainings"]:
                assert modality in r["modalities"], (r["slug"], training)
        if "gottman-certified" in r["trainings"]:
            assert "gottman-level-3" in r["trainings"]
        if "perinatal-certificate" in r["trainings"]:
            assert "perinatal" in r["specialties"]


def test_who_they_see_matches_methods(listings: list[dict]) -> None:
    for r in listings:
        mods, sees, specs = set(r["modalities"]), set(r["sees"]), set(r["specialties"])
        if mods & {"eft", "gottman", "ibct", "discernment"}:
            assert "couples" in sees, r["slug"]
        if mods & {"co-parenting-counseling", "parenting-coordination", "family-mediation"}:
            assert "co-parents" in sees, r["slug"]
        if "co-parenting" in specs:
            assert "co-parents" in sees, r["slug"]
        if "domestic-violence" in specs:
            assert r["dv_trained"] and r["screens_individually"], r["slug"]
        if r["children_age_min"] is not None:
            assert sees & {"families", "co-parents"}
            assert r["children_age_min"] <= r["children_age_max"]


def test_screening_share_for_joint_work(listings: list[dict]) -> None:
    joint = [r for r in listings if {"couples", "co-parents"} & set(r["sees"])]
    share = sum(r["screens_individually"] for r in joint) / len(joint)
    assert 0.65 <= share <= 0.92


def test_languages_believable(listings: list[dict]) -> None:
    assert sum("en" not in r["languages"] for r in listings) <= 8
    spanish_metros = {
        "miami",
        "los-angeles",
        "chicago",
        "houston",
        "san-antonio",
        "phoenix",
        "new-york",
    }

    few_spanish = {
        "pittsburgh",
        "minneapolis",
        "seattle",
        "st-louis",
        "columbus",
        "nashville",
        "detroit",
        "charlotte",
        "raleigh-durham",
        "kansas-city",
    }

    def share(metros: set[str]) -> float:
        group = [r for r in listings if (m := metro_of(r)) and m.slug in metros]
        return sum("es" in r["languages"] for r in group) / len(group)

    assert share(spanish_metros) > 0.25
    assert share(spanish_metros) > 2 * share(few_spanish)
    langs = Counter(lang for r in listings for lang in r["languages"])
    assert len(langs) >= 12  # most taxonomy languages have someone


def test_names_diverse(listings: list[dict]) -> None:
    names = [r["name"] for r in listings]
    assert len(set(names)) >= 0.95 * len(names)
    assert len({n.split()[-1] for n in names}) >= 150
    genders = Counter(r["gender"] for r in listings)
    assert set(genders) == {"woman", "man", "nonbinary"}


# ---- demo and coverage ---------------------------------------------------------------------


def test_demo_search_spanish_coparenting_near_60614(listings: list[dict]) -> None:
    zips = schema.zip_index()
    _, _, lat0, lon0 = zips["60614"]
    hits = []
    for r in listings:
        if not r["office"]:
            continue
        _, _, lat, lon = zips[r["office"]["zip"]]
        if (
            haversine_miles(lat0, lon0, lat, lon) <= 25
            and "es" in r["languages"]
            and ("co-parenting" in r["specialties"] or "co-parenting-counseling" in r["modalities"])
            and "video" in r["formats"]
            and r["sliding_scale"]
        ):
            hits.append(r["slug"])
    assert len(hits) >= 3, hits


def test_every_specialty_and_key_profiles_covered(listings: list[dict]) -> None:
    specs = Counter(s for r in listings for s in r["specialties"])
    for slug in schema.taxonomy()["specialty"]:
        assert specs[slug] >= 5, slug
    trainings = Counter(t for r in listings for t in r["trainings"])
    for slug in schema.taxonomy()["training"]:
        assert trainings[slug] >= 3, slug
    modalities = Counter(m for r in listings for m in r["modalities"])
    for slug in schema.taxonomy()["modality"]:
        assert modalities[slug] >= 3, slug
    metros = {m.slug for r in listings if (m := metro_of(r))}
    dv_metros = {
        metro_of(r).slug
        for r in listings
        if r["office"]
        and "individuals" in r["sees"]
        and "domestic-violence" in r["specialties"]
        and r["screens_individually"]
    }
    assert len(dv_metros) >= 0.8 * len(metros)
    assert specs["perinatal"] >= 10
    assert trainings["discernment-trained"] >= 10
    family_estrangement = [
        r
        for r in listings
        if "estrangement" in r["specialties"] and "parent-adult-child" in r["sees"]
    ]
    assert len(family_estrangement) >= 10


# ---- bios ----------------------------------------------------------------------------------


def test_bios_unique_specific_and_varied(listings: list[dict]) -> None:
    bios = [r["bio"] for r in listings]
    assert len(set(bios)) == len(bios)
    sentences: Counter[str] = Counter()
    for r in listings:
        bio = r["bio"]
        assert "{" not in bio and "}" not in bio and "lorem" not in bio.lower()
        parts = SENTENCE.split(bio)
        assert 2 <= len(parts) <= 4, bio
        sentences.update(parts)
    worst, count = sentences.most_common(1)[0]
    assert count <= len(listings) / 30, worst  # no sentence in more than one bio in thirty
    assert len(sentences) >= 500


def test_bios_follow_the_listing() -> None:
    recs = generate.generate(200, seed=11)
    for r in recs:
        bio = r["bio"]
        if "Certified Gottman Therapist" in bio:
            assert "gottman-certified" in r["trainings"]
        if "ICEEFT-certified" in bio:
            assert "iceeft-certified" in r["trainings"]
        if "discernment counseling" in bio.lower():
            assert "discernment" in r["modalities"] or "discernment-trained" in r["trainings"]
        if "sliding scale" in bio:
            assert r["sliding_scale"] and f"${r['sliding_floor']}" in bio
        if "Spanish" in bio:
            assert "es" in r["languages"]
        if r["office"] is None:
            assert "my " + "office" not in bio.lower() and "in person" not in bio
        if "by video" in bio or "Sessions are by secure video" in bio:
            assert "video" in r["formats"]


# ---- synthetic -----------------------------------------------------------------------------


def test_synthetic_set_valid_unique_and_marked(tmp_path) -> None:
    out = tmp_path / "big.json"
    assert generate.main(["--count", "3000", "--synthetic", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["synthetic"] is True and data["fictional"] is True
    recs = data["listings"]
    assert len(recs) == 3000
    assert len({r["slug"] for r in recs}) == 3000
    errors = seed.validate_records(recs, str(out))
    assert errors == [], "\n".join(map(str, errors[:10]))
    states = {r["office"]["state"] for r in recs if r["office"]}
    assert len(states) >= 40  # spread over the country, not only the metros


@pytest.mark.slow  # 10,000 listings
def test_synthetic_generation_streams_distinct_listings() -> None:
    slugs = [r["slug"] for r in generate.iter_listings(10_000, synthetic=True)]
    assert len(slugs) == 10_000
    assert len(set(slugs)) == 10_000


def test_small_and_zero_counts() -> None:
    assert generate.generate(0) == []
    recs = generate.generate(5)
    assert len(recs) == 5
    assert seed.validate_records(recs, "small") == []
