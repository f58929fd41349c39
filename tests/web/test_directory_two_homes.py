"""Two homes and telehealth reach on /counselors, in the API, and from a readiness result:
offered to co-parents and couples who live apart, never on a safety or crisis result."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.handoff_personas import couple_video, crisis, safety_pregnant, spanish_father
from tests.web.helpers import soup
from tests.web.test_directory_preset import form_of, send


def as_person(client: TestClient, answers: dict[str, Any]) -> None:
    client.set_session_data({"readiness": answers})


def credentials(html: str) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(html).select(".cards .card .credential")]


def test_the_api_gives_both_distances_or_telehealth(client: TestClient) -> None:
    response = client.get("/api/counselors?zip=60614&zip2=60540&radius=30&per_page=100")
    assert response.status_code == 200
    items = response.json()["items"]
    near = [i for i in items if "distance_miles" in i]
    remote = [i for i in items if i.get("telehealth")]
    assert near and remote and len(near) + len(remote) == len(items)
    assert all(max(i["distance_miles"], i["distance2_miles"]) <= 30 for i in near)
    assert all("distance_miles" not in i and "IL" in i["telehealth_states"] for i in remote)


def test_the_api_refuses_a_second_zip_alone_in_words(client: TestClient) -> None:
    response = client.get("/api/counselors?zip2=60540")
    assert response.status_code == 400
    assert "zip2" in response.json()["errors"]


def test_the_api_reaches_video_counselors_licensed_in_the_state(client: TestClient) -> None:
    plain = client.get("/api/counselors?zip=78701&format=in-person&per_page=100").json()
    video = client.get("/api/counselors?zip=78701&format=video&per_page=100").json()
    remote = [i for i in video["items"] if i.get("telehealth")]
    assert remote and video["total"] > plain["total"]
    assert not any(i.get("telehealth") for i in plain["items"])
    assert all("TX" in i["telehealth_states"] and "video" in i["formats"] for i in remote)


def test_the_schema_documents_zip2_distance2_and_telehealth(client: TestClient) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    operation = schema["paths"]["/api/counselors"]["get"]
    parameters = {p["name"]: p["description"] for p in operation["parameters"]}
    assert "distance2_miles" in parameters["zip2"] and "telehealth" in parameters["zip2"]
    assert "telehealth" in parameters["zip"]
    counselor = schema["components"]["schemas"]["Counselor"]["properties"]
    assert {"distance_miles", "distance2_miles", "telehealth"} <= set(counselor)


def test_a_card_says_video_licensed_in_tx_instead_of_a_distance(client: TestClient) -> None:
    said = credentials(client.get("/counselors?zip=78701&format=video&per_page=100").text)
    assert any("video, licensed in TX" in s or "video or phone, licensed in TX" in s for s in said)
    assert any(" mi " in s for s in said)


def test_a_card_of_two_homes_gives_both_distances(client: TestClient) -> None:
    response = client.get("/counselors?zip=60614&zip2=60540&radius=30&per_page=100")
    assert response.status_code == 200
    said = credentials(response.text)
    assert any("mi from you" in s and "mi from the other home" in s for s in said)
    assert any("licensed in IL" in s for s in said)
    assert soup(response.text).select_one("#zip2")["value"] == "60540"


def test_a_counselor_reached_by_video_is_not_said_to_fit_by_meeting_in_person(
    client: TestClient,
) -> None:
    page = soup(
        client.get(
            "/counselors?zip=60614&zip2=60540&radius=25&format=in-person&format=video&per_page=100"
        ).text
    )
    remote = [c for c in page.select(".cards .card") if "licensed in IL" in c.get_text()]
    near = [c for c in page.select(".cards .card") if "mi from the other home" in c.get_text()]
    assert remote and near
    for card in remote:
        fits = card.select_one(".fits")
        assert fits is None or "in person" not in fits.get_text(), fits
    assert any(
        "in person" in c.select_one(".fits").get_text() for c in near if c.select_one(".fits")
    )


def test_a_counselor_near_one_home_and_by_video_for_the_other_says_both(
    client: TestClient,
) -> None:
    said = credentials(client.get("/counselors?zip=60614&zip2=60540&radius=25&per_page=100").text)
    both = [s for s in said if "mi from you; for the other home, video" in s]
    assert both and all("licensed in IL" in s for s in both)
    miles = [re.search(r"(?:about ([\d.]+)|under 1) mi from you", s) for s in both]
    assert all(m and float(m.group(1) or 0) <= 25 for m in miles)


def test_a_bad_second_zip_is_explained_and_kept(client: TestClient) -> None:
    response = client.get("/counselors?zip=60614&zip2=6054")
    assert response.status_code == 200
    page = soup(response.text)
    assert page.select_one("#zip2-error") is not None
    assert page.select_one("#zip2")["value"] == "6054"


def _result(client: TestClient) -> Any:
    return soup(client.get("/readiness/result").text)


def _post_other_home(client: TestClient, zip2: str) -> Any:
    page = _result(client)
    form = page.select_one("form.two-homes")
    assert form is not None
    token = form.select_one("input[name=_csrf_token]")["value"]
    return client.post(
        "/counselors/two-homes",
        data={"zip2": zip2, "_csrf_token": token},
        follow_redirects=False,
    )


def test_a_co_parent_searches_from_both_homes_without_the_zip_in_the_address(
    client: TestClient,
) -> None:
    as_person(client, spanish_father("60614"))
    response = _post_other_home(client, "60540")
    assert response.status_code == 303
    assert response.headers["location"] == "/counselors?from=readiness"
    page = client.get("/counselors?from=readiness")
    assert str(page.url).endswith("/counselors?from=readiness")
    assert "60540" not in str(page.url)
    said = credentials(page.text)
    assert said and all("mi from the other home" in s or "licensed in IL" in s for s in said)


def test_the_other_home_stays_in_the_session_after_any_change_by_hand(client: TestClient) -> None:
    as_person(client, spanish_father("60614"))
    _post_other_home(client, "60540")
    data = form_of(client.get("/counselors?from=readiness").text)
    assert data["zip2"] == ["60540"]
    wider = send(client, {**data, "radius": ["50"]})
    assert str(wider.url).endswith("/counselors?from=readiness")  # still the result's list
    assert "from the other home" in " ".join(credentials(wider.text))
    data["sees"] = [*data.get("sees", []), "families"]  # the kind of help changed by hand
    changed = send(client, data)
    assert str(changed.url).endswith("/counselors?from=readiness")
    assert form_of(changed.text)["zip2"] == ["60540"]
    assert "from the other home" in " ".join(credentials(changed.text))


def test_a_couple_who_live_apart_is_offered_the_field(client: TestClient) -> None:
    as_person(client, couple_video("78701"))
    assert _result(client).select_one("form.two-homes #zip2") is not None


@pytest.mark.parametrize("answers", [safety_pregnant("60614"), crisis("60614")])
def test_a_safety_or_crisis_result_never_offers_a_joint_search(
    client: TestClient, answers: dict[str, Any]
) -> None:
    as_person(client, answers)
    assert _result(client).select_one("form.two-homes") is None
    token = soup(client.get("/counselors").text).select_one("input[name=_csrf_token]")
    data = {"zip2": "60540", "_csrf_token": token["value"] if token else ""}
    client.post("/counselors/two-homes", data=data, follow_redirects=False)
    page = client.get("/counselors?from=readiness")
    assert "other home" not in page.text.replace("Other home's ZIP", "")
    assert soup(page.text).select_one("#zip2") is None


def test_a_bad_other_zip_is_explained_and_kept(client: TestClient) -> None:
    as_person(client, spanish_father("60614"))
    response = _post_other_home(client, "605")
    assert response.status_code == 400
    page = soup(response.text)
    assert page.select_one("#zip2")["value"] == "605"
    assert "5-digit" in page.select_one("#zip2-error").get_text()


def test_the_shortlist_says_near_one_home_and_by_video_for_the_other_as_the_card_does(
    client: TestClient,
) -> None:
    as_person(client, spanish_father("60614"))
    _post_other_home(client, "60540")
    listed = client.get("/counselors?from=readiness").text
    page = soup(send(client, {**form_of(listed), "radius": ["25"]}).text)
    card = next(c for c in page.select(".cards .card") if "for the other home" in c.get_text())
    slug = card.select_one(".card-title a")["href"].rsplit("/", 1)[1]
    client.set_session_data({**client.get_session_data(), "shortlist": [slug]})
    said = soup(client.get("/shortlist").text).select_one("table").get_text(" ", strip=True)
    assert "mi from you; for the other home, video" in said
