"""True, kind words around the readiness check: one time estimate, a saved copy that says
where it goes, and a sources page with the articles' original titles."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from portal.readiness import D_SAFETY, assess, citations
from portal.readiness.catalog import articles
from portal.readiness.flow import estimated_minutes
from portal.web import pages
from tests.readiness_answers import V1, V6
from tests.web.helpers import soup
from tests.web.test_readiness_pages import walk

MINUTES = re.compile(r"about (\w+) minutes")


def test_the_time_estimate_counts_the_usual_path() -> None:
    # 42 short questions at 12 seconds and 2 typed answers at 36 on the usual path: 9.6 minutes.
    assert estimated_minutes() == 10


@pytest.mark.parametrize("path", ["/", "/readiness"])
def test_every_page_gives_the_same_time_estimate(client: TestClient, path: str) -> None:
    text = soup(client.get(path).text).get_text(" ", strip=True)
    assert MINUTES.findall(text) == [str(estimated_minutes())]


def test_safety_result_saves_a_copy_below_the_main_actions(client: TestClient) -> None:
    assert assess(V1).outcome == D_SAFETY
    page = soup(walk(client, V1).text)
    text = page.select_one("article").get_text(" ", strip=True)
    assert "FHIR" not in text and "Download my answers" not in text
    link = page.find("a", string="Save a copy of my answers")
    assert link["href"] == "/readiness/answers.json"
    explanation = link.find_parent("section").get_text(" ", strip=True)
    assert "saved on this device" in explanation and "Anyone who uses this device" in explanation
    # Below the next steps, and after erasing.
    order = [el for el in page.select("section.next-steps, section.save-copy")]
    assert [el.get("class") for el in order] == [["next-steps"], ["save-copy"]]
    assert page.select_one("section.next-steps a[href='/readiness/answers.json']") is None


def test_a_calm_result_keeps_the_copy_with_the_next_steps(client: TestClient) -> None:
    page = soup(walk(client, V6).text)
    link = page.select_one("section.next-steps a[href='/readiness/answers.json']")
    assert link.get_text(strip=True) == "Save a copy of my answers"


def test_the_sources_page_lists_articles_and_guidance(client: TestClient) -> None:
    response = client.get("/about/sources")
    assert response.status_code == 200
    page = soup(response.text)
    for article in pages.article_sources():
        entry = page.select_one(f"#{article['anchor']}")
        assert entry.select_one("h3").get_text(strip=True) == article["name"]
        assert article["original_title"] in entry.select_one("dd").get_text()
    for citation in citations().values():
        if not citation.is_article:
            assert page.select_one(f"#source-{citation.id}") is not None
    assert soup(client.get("/about").text).select_one("a[href='/about/sources']") is not None


def test_plain_names_sit_next_to_original_titles() -> None:
    listed = {a["anchor"]: a for a in pages.article_sources()}
    assert set(listed) == {f"article-{key}" for key in articles()}
    for key, entry in articles().items():
        shown = listed[f"article-{key}"]
        assert shown["name"] == entry["name"] != entry.get("original_title")
        assert "baby mama" not in shown["name"].lower() and "[" not in shown["name"]
        assert shown["original_title"] == (
            entry.get("original_title") or "No title (an untitled post)"
        )


def test_every_source_on_a_result_links_to_the_sources_page(client: TestClient) -> None:
    page = soup(walk(client, V6).text)
    sources = soup(client.get("/about/sources").text)
    links = page.select(".citation a")
    assert links, "the result cites its sources"
    for link in links:
        path, _, anchor = link["href"].partition("#")
        assert path == "/about/sources"
        assert sources.select_one(f"#{anchor}") is not None, anchor


def test_a_step_intro_can_name_the_estimate() -> None:
    from dataclasses import replace

    from portal.readiness import load_questionnaire
    from portal.web.readiness import step_context

    start = replace(load_questionnaire().step("start"), intro="It takes about {minutes} minutes.")
    context = step_context(start, {})
    assert context["intro"] == f"It takes about {estimated_minutes()} minutes."
