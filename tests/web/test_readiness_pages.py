"""The questionnaire over HTTP: every step, without JavaScript, with htmx, and bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from portal.readiness import D_SAFETY, assess, load_questionnaire
from tests.handoff_personas import estranged_mother
from tests.readiness_answers import QUIET, V1, V2, V6
from tests.web.helpers import csrf_token, soup
from tests.web.security_support import database_dump


def form_for(step_id: str, answers: dict[str, Any]) -> dict[str, list[str]]:
    step = load_questionnaire().step(step_id)
    data: dict[str, list[str]] = {}
    for item in step.items:
        if item.id not in answers:
            continue
        value = answers[item.id]
        data[item.id] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return data


def current_step(url: str) -> str | None:
    match = re.search(r"/readiness/step/([\w-]+)$", url)
    return match.group(1) if match else None


def walk(client: TestClient, answers: dict[str, Any]):
    """Answer page by page as a browser without JavaScript would; return the result page."""
    response = client.get("/readiness/step/start")
    token = csrf_token(client, "/readiness")
    for _ in range(20):
        step = current_step(str(response.url))
        if step is None:
            return response
        response = client.post(
            f"/readiness/step/{step}", data={**form_for(step, answers), "_csrf_token": token}
        )
        assert response.status_code == 200, (step, response.text[:500])
    raise AssertionError("the questionnaire did not end")


def test_intro_page_and_first_step(client: TestClient) -> None:
    page = soup(client.get("/readiness").text)
    assert page.select_one("a[href='/readiness/step/start']") is not None
    first = soup(client.get("/readiness/step/start").text)
    legends = [legend.get_text(" ", strip=True) for legend in first.select("legend")]
    assert "private" in legends[0].lower()


@pytest.mark.parametrize(("name", "answers"), [("V1", V1), ("V2", V2), ("V6", V6)])
def test_the_no_js_flow_reaches_the_same_result_as_the_rules(
    client: TestClient, name: str, answers: dict[str, Any]
) -> None:
    response = walk(client, answers)
    assert str(response.url).endswith("/readiness/result")
    expected = assess(answers)
    page = soup(response.text)
    assert page.select_one("h1").get_text(strip=True) == expected.label
    assert response.headers["cache-control"] == "no-store"
    for reason in expected.reasons:
        assert reason.text in page.get_text(" ", strip=True)


def test_safety_result_never_offers_joint_sessions(client: TestClient) -> None:
    page = soup(walk(client, V1).text)
    assert assess(V1).outcome == D_SAFETY
    for explainer in page.select(".reasons li[data-reason='SAFETY_NO_JOINT']"):
        explainer.decompose()
    rest = page.select_one("article").get_text(" ", strip=True).lower()
    for word in ("couples", "discernment", "mediation", "co-parenting counseling", "joint"):
        assert word not in rest


def test_preset_directory_keeps_the_url_neutral(client: TestClient) -> None:
    walk(client, V1)
    response = client.get("/counselors?from=readiness")
    assert response.status_code == 200 and str(response.url).endswith("?from=readiness")
    page = soup(response.text)
    assert page.select_one('input[name="sees"][value="individuals"]').has_attr("checked")
    assert not page.select_one('input[name="sees"][value="couples"]').has_attr("checked")
    assert page.select(".cards .card"), "the preset finds counselors"
    assert all("fits" in c.get_text() for c in page.select(".cards .card"))


def test_v6_preset_is_co_parenting_near_the_zip(client: TestClient) -> None:
    walk(client, V6)
    page = soup(client.get("/counselors?from=readiness").text)
    assert page.select_one('input[name="sees"][value="co-parents"]').has_attr("checked")
    assert page.select_one("#zip")["value"] == "60614"


def test_answers_never_appear_in_urls_or_the_database(client: TestClient, engine) -> None:
    marker = "zebra-marker-7731"
    answers = {**V2, "F1": f"{marker} beating"}
    response = walk(client, answers)
    assert marker not in str(response.url)
    assert marker not in database_dump(engine)


def test_reload_resumes_where_the_person_was(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    client.post("/readiness/step/start", data={**form_for("start", V6), "_csrf_token": token})
    again = client.get("/readiness")
    assert "Continue where you left off" in again.text
    assert client.get("/readiness/step/start").status_code == 200
    skipped = client.get("/readiness/step/impact")
    assert str(skipped.url).endswith("/readiness/step/about")


def test_back_keeps_what_was_typed(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    client.post("/readiness/step/start", data={**form_for("start", V6), "_csrf_token": token})
    back = client.post(
        "/readiness/step/about",
        data={"G0.1": "coparent_ex", "G0.2": "yes", "_nav": "back", "_csrf_token": token},
    )
    assert str(back.url).endswith("/readiness/step/start")
    about = soup(client.get("/readiness/step/about").text)
    assert about.select_one('input[name="G0.1"][value="coparent_ex"]').has_attr("checked")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"G0.5": "maybe", "G0.6": "yes"}, "G0.5"),
        ({"G0.6": "yes"}, "G0.5"),
        ({"G0.5": "yes", "G0.6": "yes", "Z9": "1"}, "Z9"),
    ],
)
def test_invalid_input_re_shows_the_step_with_a_message(
    client: TestClient, data: dict, field: str
) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post("/readiness/step/start", data={**data, "_csrf_token": token})
    assert response.status_code == 400
    page = soup(response.text)
    assert page.select_one(".error-summary") is not None
    assert page.select_one(".field-error") is not None or field == "Z9"
    if "G0.6" in data:
        assert page.select_one('input[name="G0.6"][value="yes"]').has_attr("checked")


def test_off_scale_value_is_rejected_and_other_answers_kept(client: TestClient) -> None:
    walk_to = {**V6}
    token = csrf_token(client, "/readiness")
    for step in ("start", "about", "right_now", "safety", "safety_more"):
        client.post(
            f"/readiness/step/{step}", data={**form_for(step, walk_to), "_csrf_token": token}
        )
    data = {**form_for("conflict", walk_to), "D3": ["7"], "_csrf_token": token}
    response = client.post("/readiness/step/conflict", data=data)
    assert response.status_code == 400
    page = soup(response.text)
    assert page.select_one("#q-D3-error") is not None
    assert page.select_one('input[name="D2"][value="4"]').has_attr("checked")


def test_a_tampered_step_order_brings_the_person_back(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    client.post("/readiness/step/start", data={**form_for("start", V6), "_csrf_token": token})
    response = client.post(
        "/readiness/step/impact", data={**form_for("impact", V6), "_csrf_token": token}
    )
    assert response.status_code == 200
    page = soup(response.text)
    assert "out of order" in page.get_text()
    assert page.select_one("form")["action"] == "/readiness/step/about"


def test_htmx_step_swaps_only_the_step_and_pushes_its_url(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/start",
        data=form_for("start", V6),
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="step"' in response.text
    assert response.headers["hx-push-url"] == "/readiness/step/about"


def test_not_private_gets_the_short_screen(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/start", data={"G0.5": "no", "G0.6": "yes", "_csrf_token": token}
    )
    assert str(response.url).endswith("/readiness/result")
    page = soup(response.text)
    assert "tel:988" in [a["href"] for a in page.select("article a")]
    assert "counselors" not in " ".join(a["href"] for a in page.select("article a"))


def test_under_18_gets_youth_lines_and_no_matching(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/start", data={"G0.5": "yes", "G0.6": "no", "_csrf_token": token}
    )
    text = soup(response.text).select_one("article").get_text(" ", strip=True)
    assert "LOVEIS" in text and "1-800-422-4453" in text
    assert "/counselors" not in response.text.split("<article", 1)[1]
    assert "Find a counselor" not in soup(response.text).select_one("article").get_text()


def test_result_before_finishing_goes_to_the_next_step(client: TestClient) -> None:
    assert str(client.get("/readiness/result").url).endswith("/readiness/step/start")


def test_every_step_and_the_result_are_never_cached(client: TestClient) -> None:
    assert client.get("/readiness").headers["cache-control"] == "no-store"
    assert client.get("/readiness/step/start").headers["cache-control"] == "no-store"


def test_erase_clears_the_answers(client: TestClient) -> None:
    walk(client, V6)
    token = csrf_token(client, "/readiness")
    response = client.post("/erase", data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.clear()
    assert "Start the check" in client.get("/readiness").text


@pytest.mark.parametrize(
    ("lang", "hint"),
    [
        ("en", "Only if you answered “Yes” above. Otherwise, skip it."),
        ("es", "Solo si respondió «Sí» arriba. Si no, puede saltarla."),
    ],
)
def test_without_javascript_a_follow_up_question_says_which_answer_it_is_for(
    client: TestClient, lang: str, hint: str
) -> None:
    client.set_session_data({"readiness": {**QUIET, "G0.1": "my_parent", "I3": "no"}})
    client.cookies.set("lang", lang)
    page = soup(client.get("/readiness/step/impact").text)
    follow_up = page.select_one("#q-I3a-wrap")
    assert follow_up.has_attr("data-show-if")  # readiness.js hides it, and the hint, until "yes"
    assert follow_up.select_one(".conditional-hint").get_text(strip=True) == hint


def test_a_follow_up_after_none_of_these_says_it_can_be_skipped(client: TestClient) -> None:
    client.set_session_data({"readiness": {**QUIET, "G0.1": "partner"}})
    page = soup(client.get("/readiness/step/tried_hopes").text)
    for wrap in ("#q-T2-wrap", "#q-T4-wrap"):
        said = page.select_one(f"{wrap} .conditional-hint").get_text(strip=True)
        assert said == (
            "Only if you chose something other than “None of these yet” above. Otherwise, skip it."
        )


@pytest.mark.parametrize(
    ("about", "offered"),
    [
        ({"G0.1": "partner", "G0.2": "no", "G0.3": "no"}, False),
        ({"G0.1": "partner", "G0.2": "no", "G0.3": "yes"}, True),
        ({"G0.1": "my_adult_child", "G0.2": "yes"}, True),
    ],
)
def test_a_parenting_plan_is_among_what_was_tried_only_when_children_are_part_of_it(
    client: TestClient, about: dict[str, str], offered: bool
) -> None:
    client.set_session_data({"readiness": {**QUIET, **about}})
    page = soup(client.get("/readiness/step/tried_hopes").text)
    tried = [box["value"] for box in page.select("input[name='T1']")]
    assert "calm_time" in tried
    assert ("parenting_plan" in tried) is offered


def test_an_error_summary_names_each_question_it_is_about(client: TestClient) -> None:
    token = csrf_token(client, "/readiness/step/start")
    response = client.post("/readiness/step/start", data={"_csrf_token": token})
    page = soup(response.text)
    said = [a.get_text(" ", strip=True) for a in page.select(".error-summary a")]
    assert said == [
        "Are you somewhere private, where you can answer safely right now?"
        " Please choose an answer.",
        "Are you 18 or older? Please choose an answer.",
    ]
    # Each goes to something that takes the focus: the question's first answer.
    for link in page.select(".error-summary a"):
        target = page.select_one(link["href"])
        assert target is not None and target.name == "input", link["href"]


def test_a_source_cited_twice_is_explained_once(client: TestClient) -> None:
    page = soup(walk(client, estranged_mother("60614")).text)  # two reasons of our own
    said = [p.get_text(" ", strip=True) for p in page.select(".reasons .citation")]
    ours = [s for s in said if s.startswith("Source: Our own suggestion")]
    assert len(ours) == 2
    assert ["clinicians" in s for s in ours] == [True, False]
    steps = [p.get_text(" ", strip=True) for p in page.select(".selfhelp .citation")]
    assert "Our own suggestion (not from a published source)" in steps
    assert not any(s.startswith("From Our own") for s in steps)


def test_the_free_text_note_says_how_long_it_can_be(client: TestClient) -> None:
    walk(client, V2)
    page = soup(client.get("/readiness/step/impact").text)
    box = page.select_one("textarea[name=F1]")
    hint = page.select_one(f"#{box['aria-describedby'].split()[0]}").get_text()
    assert box["maxlength"] == "1000" and "Up to 1000 characters." in hint
