"""The questionnaire's show_if grammar, and the compiled evaluator against a plain reading."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.readiness.conditions import ConditionError, evaluate
from portal.readiness.questionnaire import load_questionnaire


def plain(condition, answers: Mapping[str, object]) -> bool:
    """The grammar read literally, one rule at a time."""
    if condition is None:
        return True
    if "all" in condition:
        return all(plain(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(plain(c, answers) for c in condition["any"])
    if "not" in condition:
        return not plain(condition["not"], answers)
    value = answers.get(condition["item"])
    chosen = [] if value in (None, "", []) else list(value) if isinstance(value, list) else [value]
    if "in" in condition:
        return any(v in condition["in"] for v in chosen)
    return bool(chosen) and not any(v in condition["not_in"] for v in chosen)


def test_no_condition_always_holds():
    assert evaluate(None, {}) is True


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("yes", True), ("no", False), ("", False), (None, False), (["no", "yes"], True), ([], False)],
)
def test_in_holds_when_a_chosen_value_is_listed(answer, expected):
    assert evaluate({"item": "A", "in": ["yes", "unsure"]}, {"A": answer}) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("no", True), ("yes", False), ("", False), (None, False), (["no", "yes"], False), ([], False)],
)
def test_not_in_needs_an_answer_and_no_listed_value(answer, expected):
    assert evaluate({"item": "A", "not_in": ["yes"]}, {"A": answer}) is expected


def test_an_unanswered_item_hides_both_ways():
    assert evaluate({"item": "A", "in": ["yes"]}, {}) is False
    assert evaluate({"item": "A", "not_in": ["yes"]}, {}) is False


def test_a_blank_answer_is_no_answer_even_where_blank_is_listed():
    assert evaluate({"item": "A", "in": ["", "yes"]}, {"A": ""}) is False
    assert evaluate({"item": "A", "not_in": ["no"]}, {"A": ""}) is False


def test_all_any_and_not_combine():
    yes = {"item": "A", "in": ["yes"]}
    two = {"item": "B", "in": ["2"]}
    answers = {"A": "yes", "B": "3"}
    assert evaluate({"all": [yes, two]}, answers) is False
    assert evaluate({"any": [yes, two]}, answers) is True
    assert evaluate({"not": two}, answers) is True
    assert evaluate({"all": []}, answers) is True
    assert evaluate({"any": []}, answers) is False


def test_a_number_answer_is_compared_as_given():
    assert evaluate({"item": "S", "in": [3, 4]}, {"S": 3}) is True
    assert evaluate({"item": "S", "in": [3, 4]}, {"S": "3"}) is False


@pytest.mark.parametrize(
    "condition",
    [{"item": "A"}, {"in": ["yes"]}, {"item": "A", "in": ["yes"], "when": 1}, ["A"]],
)
def test_a_malformed_condition_is_a_programming_error(condition):
    with pytest.raises(ConditionError):
        evaluate(condition, {})


_QUESTIONNAIRE = load_questionnaire()
_CONDITIONS = [
    c
    for c in [s.show_if for s in _QUESTIONNAIRE.steps] + [i.show_if for i in _QUESTIONNAIRE.items]
    if c is not None
]
_VALUES = sorted({str(v) for item in _QUESTIONNAIRE.items for v in item.values} | {"", "other"})
_IDS = [item.id for item in _QUESTIONNAIRE.items]


@settings(max_examples=300, deadline=None)
@given(
    answers=st.dictionaries(
        st.sampled_from(_IDS),
        st.one_of(
            st.none(),
            st.sampled_from(_VALUES),
            st.lists(st.sampled_from(_VALUES), max_size=3),
        ),
    )
)
def test_every_questionnaire_condition_agrees_with_the_plain_reading(answers):
    assert _CONDITIONS
    for condition in _CONDITIONS:
        assert evaluate(condition, answers) is plain(condition, answers), condition
