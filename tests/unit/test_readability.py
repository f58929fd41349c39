"""Plain language: the questionnaire, the result texts and the prep sheet read at about a US
grade-8 level (Flesch-Kincaid grade at most 8 in English, Fernández-Huerta at least 70 in
Spanish), measured over each step's, each result's and the sheet's texts taken together."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest
import textstat
from babel.messages.pofile import read_po

from portal.locales.data_strings import (
    PACKAGE_DIR,
    all_strings,
    messages_strings,
    prep_strings,
    questionnaire_strings,
)

MAX_GRADE_EN = 8.0
MIN_FERNANDEZ_HUERTA_ES = 70.0
CONTENT_PO = PACKAGE_DIR / "locales" / "es" / "LC_MESSAGES" / "content.po"


def _as_prose(texts: Iterable[str]) -> str:
    """Texts joined as a reader meets them: each label or line ends a sentence, a repeated
    answer scale counts once."""
    seen: dict[str, None] = {}
    for text in texts:
        text = text.strip()
        if not re.search(r"[.?!:…]$", text):
            text += "."
        seen.setdefault(text)
    return " ".join(seen)


def _groups() -> dict[str, list[str]]:
    """Group name -> the English texts read together."""
    groups: dict[str, list[str]] = {}
    for s in questionnaire_strings():
        match = re.match(r"steps\[([^\]]+)\]", s.where)
        if match:
            groups.setdefault(f"step {match.group(1)}", []).append(s.text)
    for s in messages_strings():
        section, code = s.where.split(".")[:2]
        if section in ("outcomes", "outcome_variants"):
            groups.setdefault(f"result {code}", []).append(s.text)
        else:  # the reasons, kinds of help and self-help steps a result is built from
            groups.setdefault(f"result {section}", []).append(s.text)
    groups["prep sheet"] = [s.text for s in prep_strings()]
    return groups


GROUPS = _groups()


def _spanish() -> Callable[[str], str]:
    with CONTENT_PO.open("rb") as f:
        catalog = read_po(f)

    def translate(text: str) -> str:
        message = catalog.get(text)
        assert message is not None and message.string, f"no Spanish for {text!r}"
        return message.string

    return translate


def test_groups_cover_every_step_outcome_and_the_sheet() -> None:
    assert "step conflict" in GROUPS and "step safety" in GROUPS
    assert {"result E_CRISIS", "result D_SAFETY", "result A_SELFHELP"} <= GROUPS.keys()
    assert {"result reasons", "result help_kinds", "result selfhelp"} <= GROUPS.keys()
    assert len(GROUPS["prep sheet"]) > 50


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_english_reads_at_grade_8_or_below(name: str) -> None:
    textstat.set_lang("en")
    grade = textstat.flesch_kincaid_grade(_as_prose(GROUPS[name]))
    assert grade <= MAX_GRADE_EN, f"{name}: Flesch-Kincaid grade {grade}"


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_spanish_reads_easily(name: str) -> None:
    translate = _spanish()
    textstat.set_lang("es")
    try:
        score = textstat.fernandez_huerta(_as_prose(translate(t) for t in GROUPS[name]))
    finally:
        textstat.set_lang("en")
    assert score >= MIN_FERNANDEZ_HUERTA_ES, f"{name}: Fernández-Huerta {score}"


def test_a_hard_text_fails_the_bar() -> None:
    textstat.set_lang("en")
    hard = (
        "Notwithstanding contemporaneous jurisdictional considerations, practitioners "
        "administering conjoint interventions necessitate comprehensive individualized "
        "assessment methodologies."
    )
    assert textstat.flesch_kincaid_grade(_as_prose([hard])) > MAX_GRADE_EN


US_SPELLING = re.compile(
    r"\b(licence|counsell\w*|behaviour\w*|colour\w*|centre\w*|programme\w*|organis\w*|"
    r"recognis\w*|apologis\w*|prioritis\w*|minimis\w*|criticis\w*|judgement|defence|"
    r"practis\w*)\b",
    re.IGNORECASE,
)
JARGON = re.compile(r"FHIR|QuestionnaireResponse|superbill|\bCPT\b|\b9084[67]\b", re.IGNORECASE)


def test_us_spelling_and_no_unexplained_jargon() -> None:
    for s in all_strings():
        assert not US_SPELLING.search(s.text), f"{s.location}: British spelling in {s.text!r}"
        assert not JARGON.search(s.text), f"{s.location}: jargon in {s.text!r}"
