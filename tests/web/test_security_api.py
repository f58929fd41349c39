"""HEAD answers like GET, the API's error bodies stay inert JSON, and the OpenAPI schema states
the limits the code enforces."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.web.security_support import every_get_url, first_slug

SAME_HEADERS = ("content-type", "content-length", "cache-control", "content-security-policy")


def test_head_answers_every_get_url_like_get_without_a_body(
    client: TestClient, engine: Engine
) -> None:
    for url in every_get_url(client.app, first_slug(engine)):
        # Each from the cookies a first visit sets (the quick exit clears them).
        client.get("/")
        head = client.head(url, follow_redirects=False)
        client.get("/")
        get = client.get(url, follow_redirects=False)
        assert head.status_code == get.status_code != 405, url
        assert head.content == b"", url
        for name in SAME_HEADERS:
            assert head.headers.get(name) == get.headers.get(name), (url, name)


def test_head_of_the_home_page(client: TestClient) -> None:
    response = client.head("/")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/html")


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_a_400_that_echoes_raw_input_stays_json_with_nosniff(client: TestClient) -> None:
    response = client.get("/api/counselors", params={"specialty": HOSTILE, "sort": HOSTILE})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert HOSTILE[:40] in response.json()["errors"]["specialty"]  # echoed, as data


def test_a_422_naming_unknown_answers_stays_json_with_nosniff(client: TestClient) -> None:
    response = client.post("/api/readiness/assess", json={"answers": {HOSTILE: "x"}})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"


def _parameters(schema: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_states_the_limits_the_code_enforces(client: TestClient) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    search = _parameters(schema, "/api/counselors")
    assert (search["radius"]["minimum"], search["radius"]["maximum"]) == (1, 500)
    assert (search["page"]["minimum"], search["page"]["maximum"]) == (1, 10_000)
    assert (search["per_page"]["minimum"], search["per_page"]["maximum"]) == (1, 100)
    for name, low, high in (("radius", 0, 501), ("page", 0, 10_001), ("per_page", 0, 101)):
        for value in (low, high):
            assert client.get("/api/counselors", params={name: value}).status_code == 400
    questionnaire = _parameters(schema, "/api/readiness/questionnaire")
    assert {"json", "fhir"} == set(questionnaire["format"]["enum"])
    assert client.get("/api/readiness/questionnaire?format=").status_code == 400
    body = schema["paths"]["/api/readiness/assess"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["answers"]
