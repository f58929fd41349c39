"""Crisis at once: a crisis answer makes the very next page the crisis page, before any other
step, with and without htmx; then "Continue the check" or "Stop here"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from portal.readiness import E_CRISIS, assess
from tests.readiness_answers import QUIET, V1, V6, vignette
from tests.web.helpers import csrf_token, soup
from tests.web.test_readiness_pages import form_for, walk

CALM = vignette("partner")
CRISIS_ITEMS = {
    "wished dead": {"C1": "yes", "C2": "no"},
    "thoughts right now": {"C1": "yes", "C2": "yes"},
    "danger right now": {"C3": "yes"},
    "other person threatened suicide": {"C4": "yes"},
}


def answers_with(extra: dict[str, Any]) -> dict[str, Any]:
    return {**CALM, **extra}


def post_step(
    client: TestClient, step: str, answers: dict[str, Any], *, htmx: bool = False, **kwargs
):
    token = csrf_token(client, "/readiness")
    if htmx:
        return client.post(
            f"/readiness/step/{step}",
            data=form_for(step, answers),
            headers={"HX-Request": "true", "x-csrftoken": token},
            **kwargs,
        )
    return client.post(
        f"/readiness/step/{step}",
        data={**form_for(step, answers), "_csrf_token": token},
        **kwargs,
    )


def answer_up_to_right_now(client: TestClient, answers: dict[str, Any], **kwargs):
    for step in ("start", "about"):
        post_step(client, step, answers)
    return post_step(client, "right_now", answers, **kwargs)


def line_ids(page) -> list[str]:
    return [li["id"].removeprefix("line-") for li in page.select("article li.line")]


@pytest.mark.parametrize("name", list(CRISIS_ITEMS))
def test_a_crisis_answer_leads_straight_to_the_crisis_page(client: TestClient, name: str) -> None:
    answers = answers_with(CRISIS_ITEMS[name])
    response = answer_up_to_right_now(client, answers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/readiness/crisis"
    page_response = client.get("/readiness/crisis")
    assert page_response.headers["cache-control"] == "no-store"
    page = soup(page_response.text)
    assert page.select_one("#quick-exit") is not None
    # The lines, in the order the rules give them.
    assert line_ids(page) == list(assess(answers).resources)
    hrefs = [a["href"] for a in page.select("article a")]
    assert "/readiness/step/safety" in hrefs, "Continue the check"
    assert "/readiness/result" in hrefs, "Stop here"


@pytest.mark.parametrize("name", list(CRISIS_ITEMS))
def test_with_htmx_the_crisis_page_is_a_full_page_redirect(client: TestClient, name: str) -> None:
    answers = answers_with(CRISIS_ITEMS[name])
    response = answer_up_to_right_now(client, answers, htmx=True)
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == "/readiness/crisis"
    assert response.headers["cache-control"] == "no-store"
    assert 'id="step"' not in response.text


def test_suicidal_thoughts_get_988_call_text_and_chat(client: TestClient) -> None:
    answer_up_to_right_now(client, answers_with(CRISIS_ITEMS["wished dead"]))
    page = soup(client.get("/readiness/crisis").text)
    result = assess(answers_with(CRISIS_ITEMS["wished dead"]))
    assert page.select_one("h1").get_text(strip=True) == result.label
    assert result.message in page.get_text(" ", strip=True)
    hrefs = [a["href"] for a in page.select("#line-988 a")]
    assert "tel:988" in hrefs and "sms:988" in hrefs
    assert any(h.startswith("https://988lifeline.org") for h in hrefs)
    assert page.select_one("#line-crisis-text-line") is not None
    assert "tel:911" in [a["href"] for a in page.select("article a")], "911 for danger now"


def test_danger_right_now_puts_911_first(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["danger right now"])
    answer_up_to_right_now(client, answers)
    page = soup(client.get("/readiness/crisis").text)
    ids = line_ids(page)
    assert ids[0] == "911"
    assert page.select_one("#line-911 a[href='tel:911']") is not None
    if "dv-hotline" in assess(answers).resources:
        assert ids[1] == "dv-hotline"


def test_the_other_persons_threat_is_framed_as_help_for_someone_else(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["other person threatened suicide"])
    assert assess(answers).outcome != E_CRISIS
    answer_up_to_right_now(client, answers)
    page = soup(client.get("/readiness/crisis").text)
    text = page.get_text(" ", strip=True)
    assert "If they might end their life" in page.select_one("h1").get_text()
    assert "worried about someone else" in text
    assert page.select_one("#line-988 a[href='tel:988']") is not None
    assert "tel:911" in [a["href"] for a in page.select("article a")]


def test_a_calm_page_goes_on_to_the_next_step(client: TestClient) -> None:
    response = answer_up_to_right_now(client, CALM, follow_redirects=False)
    assert response.headers["location"] == "/readiness/step/safety"
    crisis = client.get("/readiness/crisis", follow_redirects=False)
    assert crisis.status_code == 302 and crisis.headers["location"] == "/readiness/step/safety"


def test_continue_goes_on_and_the_crisis_page_is_not_shown_twice(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["wished dead"])
    answer_up_to_right_now(client, answers)
    page = soup(client.get("/readiness/crisis").text)
    go_on = page.find("a", string=re.compile("Continue the check"))
    assert client.get(go_on["href"]).status_code == 200
    safety = post_step(client, "safety", answers, follow_redirects=False)
    assert safety.headers["location"] == "/readiness/step/safety_more"
    # Saving the crisis answer again unchanged does not bring the page back.
    again = post_step(client, "right_now", answers, follow_redirects=False)
    assert again.headers["location"] == "/readiness/step/safety"


def test_a_new_crisis_answer_later_shows_the_page_again(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["wished dead"])
    answer_up_to_right_now(client, answers)
    client.get("/readiness/crisis")
    post_step(client, "safety", answers)
    worse = {**answers, "C3": "yes"}
    response = post_step(client, "right_now", worse, follow_redirects=False)
    assert response.headers["location"] == "/readiness/crisis"
    assert "911" in line_ids(soup(client.get("/readiness/crisis").text))


def test_a_safety_answer_after_the_crisis_page_is_not_a_new_crisis(client: TestClient) -> None:
    answers = {**answers_with(CRISIS_ITEMS["wished dead"]), "S1": "often"}
    answer_up_to_right_now(client, answers)
    client.get("/readiness/crisis")
    response = post_step(client, "safety", answers, follow_redirects=False)
    assert response.headers["location"] == "/readiness/step/safety_more"


def test_the_crisis_page_comes_first_even_on_back(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["wished dead"])
    for step in ("start", "about"):
        post_step(client, step, answers)
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/right_now",
        data={**form_for("right_now", answers), "_nav": "back", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/readiness/crisis"


def test_stop_here_gives_the_crisis_result(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["wished dead"])
    answer_up_to_right_now(client, answers)
    page = soup(client.get("/readiness/crisis").text)
    stop = page.find("a", string=re.compile("Stop here"))
    response = client.get(stop["href"])
    assert str(response.url).endswith("/readiness/result")
    assert response.headers["cache-control"] == "no-store"
    result = soup(response.text)
    assert result.select_one("h1").get_text(strip=True) == assess(answers).label
    assert "stopped the check" in result.get_text()
    assert result.select_one("a[href='/readiness/step/safety']") is not None


def test_stop_here_after_the_other_persons_threat_shows_no_score(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["other person threatened suicide"])
    answer_up_to_right_now(client, answers)
    client.get("/readiness/crisis")
    page = soup(client.get("/readiness/result").text)
    text = page.select_one("article").get_text(" ", strip=True)
    assert page.select_one("h1").get_text(strip=True) == "You stopped the check here"
    assert "out of" not in text and "self-help" not in text.lower()
    assert [li["data-reason"] for li in page.select(".reasons li")] == ["OTHER_SUICIDE_THREAT"]
    assert page.select_one("#line-988") is not None


def test_the_result_stays_closed_before_the_crisis_page_was_seen(client: TestClient) -> None:
    answers = answers_with(CRISIS_ITEMS["wished dead"])
    answer_up_to_right_now(client, answers, follow_redirects=False)
    response = client.get("/readiness/result", follow_redirects=False)
    assert response.status_code == 302


def test_the_last_step_with_a_crisis_answer_still_shows_the_crisis_page(
    client: TestClient,
) -> None:
    walk(client, CALM)
    # Going back over the earlier pages to add a crisis answer after finishing.
    answers = answers_with(CRISIS_ITEMS["thoughts right now"])
    response = post_step(client, "right_now", answers, follow_redirects=False)
    assert response.headers["location"] == "/readiness/crisis"
    page = soup(client.get("/readiness/crisis").text)
    assert page.find("a", string=re.compile("Stop here")) is None
    assert page.find("a", string=re.compile("See my result"))["href"] == "/readiness/result"


def test_the_not_private_screen_shows_no_score(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post(
        "/readiness/step/start", data={"G0.5": "no", "G0.6": "yes", "_csrf_token": token}
    )
    text = soup(response.text).select_one("article").get_text(" ", strip=True)
    assert "out of" not in text
    assert "Steps you take yourself" not in text
    # Phones have no Shift key: the screen names only the button.
    assert "Shift" not in text


def test_quiet_answers_never_call_for_the_crisis_page() -> None:
    from portal.readiness.crisis import crisis_answers

    assert crisis_answers(QUIET) == []
    assert crisis_answers(V1) == [] and crisis_answers(V6) == []
