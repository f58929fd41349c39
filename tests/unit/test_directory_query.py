"""Query building against a small, hand-made directory: what each filter and sort means."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from portal.db import make_engine
from portal.directory.filters import parse_query
from portal.directory.query import run_search
from portal.directory.taxonomy import taxonomy
from portal.seed import load_records

TODAY = date(2026, 11, 20)


def listing(slug: str, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "pronouns": "she/her",
        "gender": "woman",
        "licence_type": "lmft",
        "licence_number": "IL-LMFT-FAKE-100001",
        "licence_states": ["IL"],
        "years_in_practice": 10,
        "trainings": [],
        "sees": ["couples"],
        "children_age_min": None,
        "children_age_max": None,
        "specialties": ["couples-communication"],
        "modalities": ["cbt"],
        "screens_individually": False,
        "dv_trained": False,
        "trauma_informed": False,
        "formats": ["in-person"],
        "office": {"city": "Chicago", "state": "IL", "zip": "60614"},
        "telehealth_states": [],
        "fee_min": 120,
        "fee_max": 150,
        "sliding_scale": False,
        "sliding_floor": None,
        "free_consult": False,
        "insurance": [],
        "superbills": False,
        "languages": ["en"],
        "evenings": False,
        "weekends": False,
        "office_accessible": True,
        "accepting": True,
        "next_opening": "2026-12-01",
        "reply_days": 2,
        "last_verified": "2026-11-01",
        "phone": "312-555-0100",
        "email": f"{slug}@example.org",
        "website": None,
        "bio": "Works with couples who want to argue less and listen more.",
    }
    record.update(changes)
    return record


DIRECTORY = [
    listing("near-spanish", languages=["en", "es"], sliding_scale=True, sliding_floor=60),
    listing(
        "evanston-video",
        office={"city": "Evanston", "state": "IL", "zip": "60201"},
        formats=["in-person", "video"],
        telehealth_states=["IL"],
        fee_min=90,
        fee_max=110,
        evenings=True,
    ),
    listing(
        "milwaukee-coparent",
        office={"city": "Milwaukee", "state": "WI", "zip": "53202"},
        licence_states=["WI"],
        licence_number="WI-LPC-FAKE-200002",
        licence_type="lpc",
        sees=["co-parents"],
        specialties=["co-parenting"],
        modalities=["co-parenting-counseling"],
        screens_individually=True,
        phone="414-555-0101",
        bio="Helps separated parents build a calm, written co-parenting plan.",
    ),
    listing(
        "telehealth-only-stale",
        office=None,
        office_accessible=None,
        formats=["video", "phone"],
        licence_states=["IL", "WY"],
        telehealth_states=["IL", "WY"],
        last_verified="2025-01-10",
        gender="man",
        pronouns="he/him",
        phone="307-555-0102",
    ),
    listing("full-not-accepting", accepting=False, next_opening=None, fee_min=200, fee_max=250),
]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    path: Path = tmp_path_factory.mktemp("q") / "q.db"
    engine = make_engine(f"sqlite:///{path}")
    load_records(engine, DIRECTORY, "hand-made")
    with Session(engine) as db:
        yield db
    engine.dispose()


def slugs(session: Session, **params: str | list[str]) -> list[str]:
    multi = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    parsed = parse_query(multi, taxonomy())
    assert parsed.errors == {}
    result = run_search(session, parsed.query, today=TODAY, freshness_days=180)
    return [item.listing.slug for item in result.items]


def test_no_filters_lists_everyone_with_stale_listings_last(session: Session) -> None:
    found = slugs(session)
    assert sorted(found) == sorted(r["slug"] for r in DIRECTORY)
    assert found[-1] == "telehealth-only-stale"


def test_radius_keeps_offices_within_the_distance(session: Session) -> None:
    assert set(slugs(session, zip="60614", radius="5")) == {"near-spanish", "full-not-accepting"}
    assert "evanston-video" in slugs(session, zip="60614", radius="15")
    assert "milwaukee-coparent" not in slugs(session, zip="60614", radius="50")
    assert "milwaukee-coparent" in slugs(session, zip="60614", radius="100")


def test_distance_sort_is_nearest_first(session: Session) -> None:
    found = slugs(session, zip="60614", radius="100", sort="distance")
    assert found.index("evanston-video") < found.index("milwaukee-coparent")


def test_telehealth_by_licence_state(session: Session) -> None:
    assert slugs(session, state="WY") == ["telehealth-only-stale"]
    assert set(slugs(session, state="IL")) == {"evanston-video", "telehealth-only-stale"}


def test_values_of_one_filter_mean_any_of_and_filters_combine(session: Session) -> None:
    assert set(slugs(session, sees=["couples", "co-parents"])) == {r["slug"] for r in DIRECTORY}
    assert slugs(session, sees="co-parents", screens_individually="1") == ["milwaukee-coparent"]
    assert slugs(session, sees="co-parents", language="es") == []


def test_cost_filters(session: Session) -> None:
    assert set(slugs(session, max_fee="100")) == {"near-spanish", "evanston-video"}
    assert slugs(session, sliding_scale="1") == ["near-spanish"]


def test_flags(session: Session) -> None:
    assert "full-not-accepting" not in slugs(session, accepting="1")
    assert slugs(session, evenings="1") == ["evanston-video"]
    assert slugs(session, gender="man") == ["telehealth-only-stale"]
    assert slugs(session, licence="lpc") == ["milwaukee-coparent"]
    assert slugs(session, format="phone") == ["telehealth-only-stale"]


def test_sorts(session: Session) -> None:
    fees = slugs(session, sort="fee")
    assert fees[0] == "evanston-video" and fees[-1] == "telehealth-only-stale"
    assert slugs(session, sort="opening")[-2:] == ["full-not-accepting", "telehealth-only-stale"]


def test_free_text_matches_words_in_the_bio(session: Session) -> None:
    assert slugs(session, q="written plan") == ["milwaukee-coparent"]
    assert slugs(session, q="co-parent") == ["milwaukee-coparent"]
    assert slugs(session, q="xylophone") == []


def test_paging(session: Session) -> None:
    first = slugs(session, per_page="2")
    second = slugs(session, per_page="2", page="2")
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)


def test_a_listing_deleted_between_the_two_reads_is_left_out_of_its_page(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.directory import query, rows

    parsed = parse_query({"per_page": ["2"]}, taxonomy())
    first_two = run_search(session, parsed.query, today=TODAY, freshness_days=180)
    assert first_two.has_next
    gone = first_two.items[0].listing.id
    read = rows.by_ids

    def without(db: Session, ids: list[int], columns: rows.Columns = rows.CARD) -> dict:
        return {i: row for i, row in read(db, ids, columns).items() if i != gone}

    monkeypatch.setattr(query.rows_, "by_ids", without)
    result = run_search(session, parsed.query, today=TODAY, freshness_days=180)
    assert [item.listing.slug for item in result.items] == [first_two.items[1].listing.slug]
    assert result.has_next, "the listings after the page are still there"
