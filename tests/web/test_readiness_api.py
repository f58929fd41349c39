"""The readiness JSON API: the questionnaire (portal JSON and FHIR) and stateless assessment."""

from __future__ import annotations

from urllib.parse import parse_qs

from litestar.testing import TestClient

from tests.readiness_answers import V1, V6, vignette


def test_questionnaire_json(client: TestClient) -> None:
    data = client.get("/api/readiness/questionnaire").json()
    ids = {item["id"] for step in data["steps"] for item in step["items"]}
    assert {"G0.5", "C1", "S1", "S5a", "S5b", "R1", "U1", "K1", "D1", "D10", "T1", "E4"} <= ids


def test_an_option_offered_only_sometimes_carries_its_condition(client: TestClient) -> None:
    data = client.get("/api/readiness/questionnaire").json()
    items = {item["id"]: item for step in data["steps"] for item in step["items"]}
    options = {o["value"]: o for o in items["T1"]["options"]}
    assert options["parenting_plan"]["show_if"] == items["K1"]["show_if"]  # children involved
    assert "show_if" not in options["calm_time"]


def test_assess_refuses_a_choice_the_answers_do_not_offer(client: TestClient) -> None:
    couple = vignette("partner", T1=["calm_time"], T2="same", T4="months")
    response = client.post(
        "/api/readiness/assess", json={"answers": {**couple, "T1": ["parenting_plan"]}}
    )
    assert response.status_code == 422
    assert "T1" in response.text


def test_questionnaire_as_fhir(client: TestClient) -> None:
    data = client.get("/api/readiness/questionnaire?format=fhir").json()
    assert data["resourceType"] == "Questionnaire"

    def link_ids(items: list) -> set[str]:
        out = set()
        for item in items:
            out.add(item["linkId"])
            out |= link_ids(item.get("item", []))
        return out

    assert {"C1", "S5b", "D6"} <= link_ids(data["item"])


def test_unknown_format_is_a_400(client: TestClient) -> None:
    assert client.get("/api/readiness/questionnaire?format=xml").status_code == 400


def test_assess_v1_is_safety_first_with_individual_help(client: TestClient) -> None:
    data = client.post("/api/readiness/assess", json={"answers": V1}).json()
    assert data["outcome"] == "D_SAFETY" and data["track"] == "T_INDIV"
    assert "PERINATAL" in data["addons"]
    query = parse_qs(data["directory_query"])
    assert "couples" not in query.get("sees", []) and "co-parents" not in query.get("sees", [])
    assert all({"code", "text", "source"} <= set(r) for r in data["reasons"])
    assert any(r["id"] == "dv-hotline" for r in data["resources"])


def test_assess_v6_is_seek_counseling_now_for_co_parents(client: TestClient) -> None:
    data = client.post("/api/readiness/assess", json={"answers": V6}).json()
    assert (data["outcome"], data["track"]) == ("C_NOW", "T_COPARENT")
    assert "co-parents" in parse_qs(data["directory_query"])["sees"]


def test_invalid_answers_are_a_422_naming_the_items(client: TestClient) -> None:
    response = client.post(
        "/api/readiness/assess", json={"answers": {"D1": 9, "S1": "sometimes-ish", "XX": 1}}
    )
    assert response.status_code == 422
    body = response.json()
    assert {"D1", "S1", "XX"} <= set(body["errors"])


def test_malformed_body_is_a_clear_error(client: TestClient) -> None:
    assert client.post("/api/readiness/assess", json={"nope": 1}).status_code == 422
    response = client.post(
        "/api/readiness/assess", content=b"not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


def test_assess_stores_nothing(client: TestClient) -> None:
    response = client.post("/api/readiness/assess", json={"answers": V6})
    assert not response.headers.get_list("set-cookie")


def test_assess_danger_now_lists_911_then_the_dv_hotline_and_no_suicide_line(
    client: TestClient,
) -> None:
    answers = vignette("partner", C3="yes")
    data = client.post("/api/readiness/assess", json={"answers": answers}).json()
    assert (data["outcome"], data["urgent"]) == ("E_CRISIS", True)
    assert [r["id"] for r in data["resources"]] == ["911", "dv-hotline"]
    assert "START to 88788" in data["resources"][1]["contact"]
    assert data["reasons"][0]["code"] == "DANGER_NOW"


def test_assess_danger_now_with_suicidal_thoughts_adds_988_after_the_hotline(
    client: TestClient,
) -> None:
    answers = vignette("partner", C3="yes", C1="yes", C2="no")
    data = client.post("/api/readiness/assess", json={"answers": answers}).json()
    assert (data["outcome"], data["urgent"]) == ("E_CRISIS", True)
    assert [r["id"] for r in data["resources"]][:4] == [
        "911",
        "dv-hotline",
        "988",
        "crisis-text-line",
    ]


def test_assess_a_past_attempt_is_a_crisis_that_is_not_urgent(client: TestClient) -> None:
    data = client.post(
        "/api/readiness/assess", json={"answers": vignette("partner", C6="yes")}
    ).json()
    assert (data["outcome"], data["urgent"]) == ("E_CRISIS", False)
    assert "988" in [r["id"] for r in data["resources"]]
