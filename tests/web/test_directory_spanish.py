"""Searching the directory in Spanish: a language by any of its names, near a Los Angeles ZIP."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.web.helpers import soup

NEAR_BOYLE_HEIGHTS = {"zip": "90033", "radius": "25"}


@pytest.mark.parametrize("q", ["español", "espanol", "ESPAÑOL", "Spanish", "habla español"])
def test_spanish_speakers_are_found_by_any_name_of_the_language(client: TestClient, q: str) -> None:
    data = client.get("/api/counselors", params={**NEAR_BOYLE_HEIGHTS, "q": q}).json()
    assert data["total"] >= 3
    assert all("es" in item["languages"] for item in data["items"])


def test_the_directory_page_finds_spanish_speakers_near_90033(client: TestClient) -> None:
    page = soup(client.get("/counselors", params={**NEAR_BOYLE_HEIGHTS, "q": "español"}).text)
    assert len(page.select(".cards .card")) >= 3


def test_search_reads_approaches_as_well_as_bios(client: TestClient) -> None:
    data = client.get("/api/counselors", params={"q": "Gottman"}).json()
    with_method = [i for i in data["items"] if "gottman" in i.get("modalities", [])]
    assert with_method, "a counselor offering the Gottman Method is found by its name"
