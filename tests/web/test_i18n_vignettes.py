"""The vignettes walked through the pages in Spanish reach the same result as the rules, and a
safety result in Spanish offers no joint sessions, as in English."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from portal.i18n import translate
from portal.readiness import D_SAFETY, assess
from tests.readiness_answers import V1, V2, V6
from tests.web.helpers import soup
from tests.web.test_readiness_pages import walk

JOINT_IN_SPANISH = (
    "consejería de pareja",
    "discernimiento",
    "mediación",
    "consejería de crianza compartida",
    "conjunta",
)


@pytest.mark.parametrize(("name", "answers"), [("V1", V1), ("V2", V2), ("V6", V6)])
def test_a_vignette_in_spanish_reaches_the_rules_result_in_spanish(
    client: TestClient, name: str, answers: dict[str, Any]
) -> None:
    client.cookies.set("lang", "es")
    response = walk(client, answers)
    assert str(response.url).endswith("/readiness/result")
    expected = assess(answers)
    page = soup(response.text)
    assert page.select_one("html")["lang"] == "es"
    heading = page.select_one("h1").get_text(strip=True)
    assert heading == translate(expected.label, "es")
    assert heading != expected.label
    assert page.select_one("article")["class"][1] == f"result-{expected.outcome.lower()}"


def test_a_safety_result_in_spanish_never_offers_joint_sessions(client: TestClient) -> None:
    client.cookies.set("lang", "es")
    page = soup(walk(client, V1).text)
    assert assess(V1).outcome == D_SAFETY
    for explainer in page.select(".reasons li[data-reason='SAFETY_NO_JOINT']"):
        explainer.decompose()
    rest = page.select_one("article").get_text(" ", strip=True).lower()
    assert "primero" in rest or "seguridad" in rest
    for words in JOINT_IN_SPANISH:
        assert words not in rest, words
