"""Reviewing the answers: every answer on one page, a change link per page, and back again."""

from __future__ import annotations

from litestar.testing import TestClient

from portal.readiness import load_questionnaire
from tests.readiness_answers import V6
from tests.web.helpers import csrf_token, soup
from tests.web.test_readiness_pages import form_for


def test_the_review_of_an_empty_session_is_empty_and_never_cached(client: TestClient) -> None:
    response = client.get("/readiness/review")
    assert response.status_code == 200
    assert "no-store" in response.headers["cache-control"]
    page = soup(response.text)
    assert page.select(".review-step") == []
    assert "nothing to review" in page.get_text()
    assert page.select_one("a[href='/readiness']") is not None


def test_every_answer_is_on_one_page_with_a_change_link_per_page(client: TestClient) -> None:
    client.set_session_data({"readiness": V6})
    response = client.get("/readiness/review")
    assert "no-store" in response.headers["cache-control"]
    page = soup(response.text)
    sections = page.select(".review-step")
    titles = [s.find("h2").get_text(strip=True) for s in sections]
    q = load_questionnaire()
    assert titles == [s.title for s in q.steps]
    links = [s.select_one("a.review-change")["href"] for s in sections]
    assert links == [f"/readiness/step/{s.id}?from=review" for s in q.steps]
    text = page.get_text(" ", strip=True)
    assert q.item("T1").text in text
    assert q.item("T1").label_for("i_statements") in text  # a multi answer, by its label
    assert q.item("T2").label_for("same") in text
    assert page.select_one("a[href='/readiness/result']") is not None


def test_the_result_links_to_the_review_not_to_the_first_step(client: TestClient) -> None:
    client.set_session_data({"readiness": V6})
    page = soup(client.get("/readiness/result").text)
    review = page.find("a", string="Review my answers")
    assert review["href"] == "/readiness/review"


def test_changing_one_page_from_the_review_comes_back_to_the_review(client: TestClient) -> None:
    client.set_session_data({"readiness": V6})
    step = soup(client.get("/readiness/step/tried_hopes?from=review").text)
    assert step.find("input", attrs={"name": "_from", "value": "review"}) is not None
    token = csrf_token(client, "/readiness")
    data = {**form_for("tried_hopes", V6), "T2": ["worse"], "_from": ["review"]}
    response = client.post(
        "/readiness/step/tried_hopes",
        data={**data, "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/readiness/review"
    page = soup(client.get("/readiness/review").text)
    assert load_questionnaire().item("T2").label_for("worse") in page.get_text()


def test_without_the_review_a_changed_page_goes_on_to_the_next(client: TestClient) -> None:
    client.set_session_data({"readiness": V6})
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/tried_hopes",
        data={**form_for("tried_hopes", V6), "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/readiness/step/impact"


def test_a_review_change_with_htmx_redirects_the_whole_page(client: TestClient) -> None:
    client.set_session_data({"readiness": V6})
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/tried_hopes",
        data={**form_for("tried_hopes", V6), "_from": ["review"], "_csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert response.headers["hx-redirect"] == "/readiness/review"
