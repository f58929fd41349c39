"""The free-text screening: crisis and abuse language read in what a person writes."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest

from portal.readiness import A_SELFHELP, D_SAFETY, E_CRISIS, T_INDIV, assess
from portal.readiness.lexicon import find_disclosures, label, screen
from portal.readiness.lexicon import kinds as kind_table
from portal.readiness.rules import JOINT_SEES, JOINT_WORDS, SAFE_REASON_CODES
from tests.readiness_answers import vignette
from tests.unit import screening_cases_en as en
from tests.unit import screening_cases_es as es


def kinds(text: str, lang: str | None = None) -> set[str]:
    return {d.kind for d in screen(text, lang)}


@pytest.mark.parametrize(("text", "kind"), en.CRISIS)
def test_crisis_language_is_read_as_crisis(text: str, kind: str) -> None:
    found = screen(text, "en")
    assert kind in {d.kind for d in found}, found
    assert any(d.crisis for d in found)
    assert find_disclosures(text)


@pytest.mark.parametrize(("text", "kind"), en.ABUSE)
def test_abuse_and_coercive_control_are_read(text: str, kind: str) -> None:
    found = screen(text, "en")
    assert kind in {d.kind for d in found}, found
    assert not any(d.crisis for d in found), found
    assert find_disclosures(text)


@pytest.mark.parametrize("text", en.ORDINARY)
def test_ordinary_conflict_stays_ordinary(text: str) -> None:
    assert screen(text) == []
    assert find_disclosures(text) == []


@pytest.mark.parametrize("text", en.DENIALS)
def test_a_plain_denial_is_not_a_disclosure(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(("text", "kind"), en.NOT_DENIALS)
def test_a_denial_that_leaves_the_door_open_still_counts(text: str, kind: str) -> None:
    assert kind in kinds(text)


# The rules: what F1 says governs the outcome whatever the other answers say.

CALM_FOR = {
    "partner": vignette("partner"),
    "coparent_ex": vignette("coparent_ex", G0_2="yes"),
    "my_adult_child": vignette("my_adult_child"),
}


def calm(relationship: str, f1: str) -> dict[str, Any]:
    return {**CALM_FOR[relationship], "F1": f1}


def test_the_calm_baseline_is_self_help() -> None:
    for answers in CALM_FOR.values():
        assert assess(answers).outcome == A_SELFHELP


@pytest.mark.parametrize(("text", "kind"), en.CRISIS[::4])
@pytest.mark.parametrize("relationship", list(CALM_FOR))
def test_crisis_words_alone_give_the_crisis_outcome(
    relationship: str, text: str, kind: str
) -> None:
    result = assess(calm(relationship, text))
    assert result.outcome == E_CRISIS and result.urgent
    assert "988" in result.resources
    crisis = [r for r in result.reasons if r.code == "CRISIS_DISCLOSURE"]
    assert crisis and crisis[0].items == ("F1",) and crisis[0].source == "EXT-988"
    assert label(kind) in crisis[0].text
    assert result.directory_filters == {} and result.selfhelp == ()
    assert any(d.crisis for d in result.screened)


@pytest.mark.parametrize(("text", "kind"), en.ABUSE[::3])
@pytest.mark.parametrize("relationship", list(CALM_FOR))
def test_abuse_words_with_calm_answers_give_safety_first_and_nothing_joint(
    relationship: str, text: str, kind: str
) -> None:
    result = assess(calm(relationship, text))
    assert result.outcome == D_SAFETY
    assert result.track == T_INDIV and result.extra_tracks == ()
    said = [r for r in result.reasons if r.code == "SAFETY_DISCLOSURE"]
    assert said and label(kind) in said[0].text
    assert result.disclosures and all(f"“{p}”" in said[0].text for p in result.disclosures)
    params = parse_qs(result.directory_query)
    assert not set(params.get("sees", [])) & set(JOINT_SEES)
    assert "dv-hotline" in result.resources


@pytest.mark.parametrize("text", en.ORDINARY[::2])
def test_ordinary_words_leave_the_outcome_as_it_was(text: str) -> None:
    for relationship in CALM_FOR:
        before = assess(calm(relationship, ""))
        after = assess(calm(relationship, text))
        assert (after.outcome, after.track) == (before.outcome, before.track)
        assert after.disclosures == () and after.screened == ()


def test_crisis_and_abuse_together_keep_both_reasons() -> None:
    result = assess(calm("partner", "he chokes me and I want to die"))
    assert result.outcome == E_CRISIS and result.safety
    codes = [r.code for r in result.reasons]
    assert "CRISIS_DISCLOSURE" in codes and "SAFETY_DISCLOSURE" in codes
    assert set(result.disclosures) == {"chokes me", "want to die"}


def test_the_new_reason_is_safe_to_show_on_a_crisis_result() -> None:
    assert "CRISIS_DISCLOSURE" in SAFE_REASON_CODES
    result = assess(calm("partner", "I want to end my life"))
    text = " ".join(r.text for r in result.reasons).lower()
    assert not any(word in text for word in JOINT_WORDS)


# Matching stays fast and bounded on any input (no timing: the work is bounded by design,
# and these inputs would take minutes with nested unbounded repeats).

HOSTILE = [
    "he " * 700,
    "my ex my baby's father " * 90,
    "he has has has has has has been been " * 55,
    "i i i i thinking about thinking about " * 55,
    "a" * 2000,
    "'" * 2000,
    "ñ́" * 1000,
    "İ" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_read_without_error(text: str) -> None:
    assert isinstance(screen(text), list)


def test_folding_keeps_offsets_so_phrases_are_quoted_as_written() -> None:
    found = screen("İ said: HE’S been HITTING me")
    assert [d.phrase for d in found] == ["he’s been hitting me"]


# Spanish, read by default alongside English.


@pytest.mark.parametrize(("text", "kind"), es.CRISIS)
def test_spanish_crisis_language_is_read_as_crisis(text: str, kind: str) -> None:
    found = screen(text, "es")
    assert kind in {d.kind for d in found}, found
    assert any(d.crisis for d in screen(text))


@pytest.mark.parametrize(("text", "kind"), es.ABUSE)
def test_spanish_abuse_and_coercive_control_are_read(text: str, kind: str) -> None:
    found = screen(text, "es")
    assert kind in {d.kind for d in found}, found
    assert not any(d.crisis for d in screen(text)), screen(text)


@pytest.mark.parametrize("text", es.ORDINARY)
def test_spanish_ordinary_conflict_stays_ordinary(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("me quitó el teléfono", "me quito el telefono"),
        ("me revisa el celular y me amenazó", "ME REVISA EL CELULAR Y ME AMENAZO"),
        ("ya no quiero vivir", "ya no quiero vivír"),
    ],
)
def test_accents_and_capitals_do_not_matter(text: str, plain: str) -> None:
    assert [d.kind for d in screen(text)] == [d.kind for d in screen(plain)] != []


def test_spanish_no_longer_is_not_a_denial() -> None:
    assert screen("nunca me ha pegado") == []
    assert {d.kind for d in screen("ya no me pega, pero antes sí")} == {"physical"}


def test_spanish_labels_exist_for_every_kind() -> None:
    assert {d.label for d in screen("me pega")} == {label("physical")}
    assert label("physical", "es") != label("physical")


@pytest.mark.parametrize(("text", "kind"), es.ABUSE[::5] + es.CRISIS[::6])
def test_spanish_free_text_drives_the_outcome(text: str, kind: str) -> None:
    result = assess(calm("coparent_ex", text))
    crisis = kind_table()[kind]["crisis"]
    assert result.outcome == (E_CRISIS if crisis else D_SAFETY)
