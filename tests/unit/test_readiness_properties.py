"""Properties of the rules over random valid answer sets built from the questionnaire itself."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.paths import SEED_DIR
from portal.readiness import (
    D_SAFETY,
    E_CRISIS,
    T_INDIV,
    Item,
    assess,
    load_questionnaire,
    validate_all,
    visible_answers,
)
from portal.readiness.lexicon import screen
from portal.readiness.rules import DIRECTORY_PARAMS, JOINT_SEES, JOINT_WORDS, SAFETY_EXPLAINER

# The safety and crisis properties run in every tier; the other generated properties (some
# 600 generated answer sets) are marked slow: `make test`, not `make test-fast`.
generated_at_length = pytest.mark.slow

Q = load_questionnaire()
TAXONOMY = json.loads((SEED_DIR / "taxonomy.json").read_text())
FACET_SLUGS = {
    facet: {entry["slug"] for entry in TAXONOMY[facet]}
    for facet in ("sees", "specialty", "modality", "licence", "format", "language", "insurance")
}
JOINT_MODALITIES = {m["slug"] for m in TAXONOMY["modality"] if m.get("joint")}
FREQ = {"never": 0, "once": 1, "sometimes": 2, "often": 3}
SAMPLE_TEXTS = [
    "",
    "We keep arguing about money.",
    "he hit me last week",
    "I'm scared of him",
    "she threatened to kill me",
    "he's been beating on me",
    "cheating on me",
]


def item_values(item: Item) -> st.SearchStrategy[Any]:
    if item.type == "multi":
        plain = [v for v in item.values if v not in item.exclusive]
        choices = st.lists(
            st.sampled_from(plain), unique=True, min_size=0 if not item.required else 1
        )
        if item.required and item.conditional_options:
            # An option offered only after some answers is dropped where it is not offered
            # (visible_answers): a required answer also ticks one that is always offered.
            always = [str(o.value) for o in item.options if o.show_if is None]
            always = [v for v in always if v in plain]
            choices = st.tuples(st.sampled_from(always), choices).map(
                lambda pair: list(dict.fromkeys([pair[0], *pair[1]]))
            )
        if item.exclusive:
            choices = st.one_of(choices, st.just([item.exclusive[0]]))
        return choices
    if item.type == "text":
        if item.pattern:
            return st.one_of(st.just(""), st.from_regex(r"[0-9]{5}", fullmatch=True))
        return st.one_of(st.sampled_from(SAMPLE_TEXTS), st.text(max_size=80))
    values = st.sampled_from(list(item.values))
    return values if item.required else st.one_of(st.just(""), values)


# Lean toward the common case (private, adult) so most examples reach the rules proper.
FULL = st.fixed_dictionaries(
    {
        item.id: (
            st.sampled_from(["yes", "yes", "yes", "no"])
            if item.id in ("G0.5", "G0.6")
            else item_values(item)
        )
        for item in Q.items
    }
)
VALID = FULL.map(visible_answers)


def crisis_positive(a: dict[str, Any]) -> bool:
    f1 = a.get("F1") if isinstance(a.get("F1"), str) else None
    return any(a.get(c) == "yes" for c in ("C1", "C2", "C3", "C6", "C7")) or any(
        d.crisis for d in screen(f1)
    )


def urgent_crisis(a: dict[str, Any]) -> bool:
    f1 = a.get("F1") if isinstance(a.get("F1"), str) else None
    return any(a.get(c) == "yes" for c in ("C1", "C2", "C3", "C7")) or any(
        d.crisis for d in screen(f1)
    )


def safety_positive(a: dict[str, Any]) -> bool:
    """The safety gate of readiness.md, Revision 2 (the lexicon part via its phrases)."""
    f = {
        k: FREQ.get(a.get(k, "never"), 0)
        for k in ("S1", "S2", "S3", "S4", "S5a", "S5b", "S6", "S7")
    }
    return (
        any(f[s] >= 1 for s in ("S1", "S2", "S3", "S4", "S5a", "S5b", "S6"))
        or (f["S7"] >= 2 and f["S3"] >= 1)
        or any(a.get(r) == "yes" for r in ("R1", "R2", "R3", "R4", "R5"))
        or "protective_order" in (a.get("G0.4") or [])
        or a.get("K1") == "yes"
        or a.get("U1") == "self_defense"
        or (a.get("I3a") in ("them", "both") and f["S3"] >= 1)
    )


@generated_at_length
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_generated_answer_sets_are_valid(answers: dict[str, Any]) -> None:
    assert validate_all(answers) == {}


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_any_positive_crisis_item_gives_crisis(answers: dict[str, Any]) -> None:
    result = assess(answers)
    if crisis_positive(answers):
        assert result.outcome == E_CRISIS
        assert result.urgent is urgent_crisis(answers)
        assert result.directory_filters == {}
        suicidal = any(answers.get(c) == "yes" for c in ("C1", "C2", "C6", "C7"))
        short = answers.get("G0.5") == "no" or answers.get("G0.6") == "no"
        if not short:
            assert ("988" in result.resources) is (suicidal or answers.get("C4") == "yes")
        if answers.get("C3") == "yes":
            assert result.resources[:2] == ("911", "dv-hotline")
            assert result.variant == "danger_now"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_any_positive_safety_item_gives_safety_first_and_nothing_joint(
    answers: dict[str, Any],
) -> None:
    result = assess(answers)
    if crisis_positive(answers):
        return
    if safety_positive(answers) or answers.get("U1") == "yes":
        assert result.outcome == D_SAFETY
    if result.outcome in (D_SAFETY, E_CRISIS):
        assert result.track == T_INDIV
        said = " ".join(t for code, t in result.texts() if code != SAFETY_EXPLAINER).lower()
        for word in JOINT_WORDS:
            assert word not in said
        for query in (result.directory_query, result.on_request_query):
            params = parse_qs(query)
            assert not set(params.get("sees", [])) & set(JOINT_SEES)
            assert not set(params.get("modality", [])) & JOINT_MODALITIES
        assert result.selfhelp == ()


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_a_safety_item_is_never_outweighed_by_scores(answers: dict[str, Any]) -> None:
    worse = {**answers, **{f"D{i}": 4 for i in range(1, 11) if f"D{i}" in answers}}
    if not crisis_positive(answers) and safety_positive(answers):
        assert assess(worse).outcome == D_SAFETY


@generated_at_length
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_directory_query_uses_only_known_params_and_taxonomy_slugs(
    answers: dict[str, Any],
) -> None:
    result = assess(answers)
    for query in (result.directory_query, result.on_request_query):
        for name, values in parse_qs(query).items():
            assert name in DIRECTORY_PARAMS
            if name in FACET_SLUGS:
                assert set(values) <= FACET_SLUGS[name], (name, values)
    if result.short_screen:
        assert result.directory_query == ""


@generated_at_length
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_every_reason_names_its_answers_and_a_resolvable_source(answers: dict[str, Any]) -> None:
    result = assess(answers)
    assert result.reasons
    for reason in result.reasons:
        assert reason.items and set(reason.items) <= set(Q.item_ids)
        assert reason.citation.id == reason.source
    assert len(result.selfhelp) in (0, 2, 3)


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@generated_at_length
@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*Q.item_ids, "junk", ""]), JUNK, max_size=40))
def test_the_rules_never_raise_on_any_input(raw: dict[str, Any]) -> None:
    result = assess(raw)
    assert result.outcome
    validate_all(raw)


def test_the_lexicon_treats_literal_disclosures_as_hits_and_does_not_guess_typos() -> None:
    from portal.readiness import find_disclosures

    assert find_disclosures("he's been beating on me this whole..")
    assert find_disclosures("She tried to CHOKE me")
    assert find_disclosures("he said he would kill me")
    assert not find_disclosures("he's been cheating on me")
    assert not find_disclosures("we hit a rough patch after the baby")
    assert not find_disclosures("beeting")  # misspellings are not guessed


@generated_at_length
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_every_source_belongs_to_the_persons_relationship(answers: dict[str, Any]) -> None:
    result = assess(answers)
    cited = [r.citation for r in result.reasons] + [s.citation for s in result.selfhelp]
    texts = [r.text for r in result.reasons] + [s.text for s in result.selfhelp]
    for citation, text in zip(cited, texts, strict=True):
        assert citation.fits_relationship(answers.get("G0.1")), (citation.id, answers.get("G0.1"))
        if citation.is_ours:
            assert "guide" not in text and "article" not in text, text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_an_accountability_program_is_never_a_preset_filter(answers: dict[str, Any]) -> None:
    result = assess(answers)
    for query in (result.directory_query, result.on_request_query):
        assert "anger-accountability" not in parse_qs(query).get("specialty", [])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_nobody_else_is_asked_about_or_pre_filled_after_a_safety_answer(
    answers: dict[str, Any],
) -> None:
    if safety_positive(answers) or answers.get("U1") == "yes":
        assert "E3" not in answers and "P6" not in answers
