"""True, kind words around the readiness check: one time estimate, a saved copy that says
where it goes, and a sources page with the articles' original titles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from litestar.testing import TestClient

from portal.readiness import D_SAFETY, assess, citations
from portal.readiness.flow import estimated_minutes
from portal.web import pages
from tests.readiness_answers import V1, V6
from tests.web.helpers import soup
from tests.web.test_readiness_pages import walk

MINUTES = re.compile(r"about (\w+) minutes")


def test_the_time_estimate_counts_the_usual_path() -> None:
    # 38 short questions and 2 typed answers on the usual path, at 12 seconds each.
    assert estimated_minutes() == 9


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


def test_plain_names_sit_next_to_original_titles(tmp_path: Path, monkeypatch) -> None:
    criteria = tmp_path / "criteria.json"
    criteria.write_text(
        json.dumps(
            {
                "articles": {
                    "000": {
                        "file": "000_x.txt",
                        "title": "A guide for co-parents",
                        "original_title": "How To Fix It?",
                    },
                    "001": {"file": "001_y.txt", "title": "Rebuilding trust"},
                }
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(pages, "CRITERIA_FILE", criteria)
    pages.article_sources.cache_clear()
    try:
        found = {a["anchor"]: (a["name"], a["original_title"]) for a in pages.article_sources()}
    finally:
        pages.article_sources.cache_clear()
    assert found == {
        "article-000": ("A guide for co-parents", "How To Fix It?"),
        "article-001": ("Rebuilding trust", "Rebuilding trust"),
    }


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
