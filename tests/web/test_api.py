"""The JSON API: same filters as the page, a documented error body, the schema, health."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient

from portal.paths import SEED_DIR
from portal.schema import ListingRecord


def test_list_shape(client: TestClient) -> None:
    data = client.get("/api/counselors").json()
    assert set(data) == {"total", "total_capped", "page", "per_page", "items"}
    assert data["page"] == 1 and data["per_page"] == 20 and len(data["items"]) == 20
    assert data["total"] >= 300
    assert all("slug" in item and "distance_miles" not in item for item in data["items"])


def test_distance_is_given_when_a_zip_is(client: TestClient) -> None:
    items = client.get("/api/counselors?zip=60614&radius=25").json()["items"]
    assert items and all("distance_miles" in item for item in items)


def test_filters_are_applied(client: TestClient) -> None:
    data = client.get(
        "/api/counselors",
        params={
            "language": "es",
            "format": "video",
            "sliding_scale": "true",
            "specialty": "co-parenting",
            "accepting": "1",
        },
    ).json()
    assert data["total"] > 0
    for item in data["items"]:
        assert "es" in item["languages"] and "video" in item["formats"]
        assert item["sliding_scale"] and item["accepting"]
        assert "co-parenting" in item["specialties"]


def test_repeatable_values_mean_any_of(client: TestClient) -> None:
    one = client.get("/api/counselors?language=vi").json()["total"]
    other = client.get("/api/counselors?language=ko").json()["total"]
    both = client.get("/api/counselors?language=vi&language=ko").json()["total"]
    assert max(one, other) <= both <= one + other


def test_telehealth_by_licence_state(client: TestClient) -> None:
    items = client.get("/api/counselors?state=WY&per_page=100").json()["items"]
    assert items and all("WY" in item["telehealth_states"] for item in items)


def test_max_fee_counts_the_sliding_scale(client: TestClient) -> None:
    for item in client.get("/api/counselors?max_fee=80&per_page=100").json()["items"]:
        assert item["fee_min"] <= 80 or (item["sliding_scale"] and item["sliding_floor"] <= 80)


def test_one_listing(client: TestClient) -> None:
    slug = client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]
    data = client.get(f"/api/counselors/{slug}").json()
    assert data["slug"] == slug and data["fictional"] is True


def test_a_listing_in_a_list_is_the_whole_listing(client: TestClient) -> None:
    """The pages read only what a result card shows; the API lists every field."""
    for query in ("per_page=3", "q=family&per_page=3", "zip=60614&radius=50&per_page=3"):
        for item in client.get(f"/api/counselors?{query}").json()["items"]:
            whole = client.get(f"/api/counselors/{item['slug']}").json()
            item.pop("distance_miles", None)
            assert item == whole and item["bio"], query


def test_a_listing_gives_the_fields_of_the_listing_record_as_loaded(client: TestClient) -> None:
    """One schema (portal.schema.ListingRecord) says what a listing is, in a seed file, an
    import and the API: the API gives each record field as the seed file has it, the office
    as an object and the children's ages as a pair."""
    records = json.loads((SEED_DIR / "counselors.json").read_text(encoding="utf-8"))["listings"]
    record = records[0]
    data = client.get(f"/api/counselors/{record['slug']}").json()
    ages = record.pop("children_age_min"), record.pop("children_age_max")
    assert data.pop("children_ages") == (list(ages) if ages[0] is not None else None)
    assert data.pop("fictional") is True
    # Beside the record: the confirmation and the reports (tests/web/test_availability.py).
    assert data.pop("availability_confirmed") is None
    assert data.pop("reports_30d") == {"no_answer": 0, "not_taking": 0, "got_consult": 0}
    fields = [f for f in ListingRecord.model_fields if not f.startswith("children_age")]
    assert list(data) == fields == list(record)
    assert data == record


def test_unknown_listing_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/counselors/nobody-here")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("zip=99999", "zip"),
        ("zip=60614&radius=-1", "radius"),
        ("radius=abc", "radius"),
        (f"page={10**9}", "page"),
        (f"per_page={10**6}", "per_page"),
        ("q=" + "y" * 5000, "q"),
        ("language=klingon", "language"),
        ("sort=distance", "sort"),
        ("accepting=perhaps", "accepting"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(
    client: TestClient, query: str, field: str
) -> None:
    response = client.get(f"/api/counselors?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["errors"][field]


def test_openapi_schema_is_served_locally(client: TestClient) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    assert "/api/counselors" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/counselors"]["get"]["parameters"]}
    assert {"q", "zip", "radius", "specialty", "state", "sort", "page", "per_page"} <= names


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"
