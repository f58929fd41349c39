"""The vignettes walked through the pages in Spanish reach the same result as the rules, and a
safety result in Spanish offers no joint sessions, as in English."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from portal.i18n import translate
from portal.readiness import D_SAFETY, assess
from tests.handoff_personas import estranged_mother
from tests.readiness_answers import V1, V2, V6, vignette
from tests.unit.test_readiness_vignettes import ROBERT
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


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_father_who_hopes_to_reconnect_reads_his_own_answer_in_both_languages(
    client: TestClient, lang: str
) -> None:
    robert = vignette("my_adult_child", **ROBERT)
    client.set_session_data({"readiness": robert})
    client.cookies.set("lang", lang)
    article = soup(client.get("/readiness/result").text).select_one("article")
    said = article.get_text(" ", strip=True)
    reason = next(r for r in assess(robert).reasons if r.code == "TRACK_INDIV_RECONNECT_NOT_YET")
    assert translate(reason.text, lang) in said
    assert "mothers and daughters" not in said and "madres e hijas" not in said
    catch_all = "You are unsure about reconnecting, want some distance, or they wouldn't come."
    assert translate(catch_all, lang) not in said and catch_all not in said


def test_an_answer_quoted_in_a_spanish_reason_is_spanish() -> None:
    result = assess({**estranged_mother("60614"), "T3": "over_2y"})
    said = [translate(r.text, "es") for r in result.reasons if "T3" in r.items]
    assert said and said[0].startswith("Lleva así: más de 2 años.")
