"""A tiny evaluator for the questionnaire's ``show_if`` conditions.

Conditions are plain data so that the questionnaire stays one JSON file and the web layer can
hand the same structure to a small script for progressive enhancement. The grammar:

* ``None`` - always shown.
* ``{"item": "G0.1", "in": [...]}`` - the answer is one of the values. For a multi-select
  answer: at least one chosen value is in the list.
* ``{"item": "T1", "not_in": [...]}`` - the item is answered and no chosen value is in the list.
* ``{"all": [cond, ...]}`` / ``{"any": [cond, ...]}`` / ``{"not": cond}``.

An unanswered item makes both ``in`` and ``not_in`` false: a question that depends on an answer
we do not have yet stays hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Condition = Mapping[str, Any] | None

_KEYS = frozenset({"item", "in", "not_in", "all", "any", "not"})


class ConditionError(ValueError):
    """A malformed condition in the questionnaire data (a programming error, not user input)."""


def _chosen(value: object) -> list[object]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def evaluate(condition: Condition, answers: Mapping[str, object]) -> bool:
    """True when ``condition`` holds for ``answers`` (``None`` always holds)."""
    if condition is None:
        return True
    found = _compiled.get(id(condition))
    if found is None or found[0] is not condition:
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        found = _compiled[id(condition)] = (condition, _compile(condition))
    return found[1](answers)


Test = Callable[[Mapping[str, object]], bool]
_compiled: dict[int, tuple[Condition, Test]] = {}
_COMPILED_MAX = 4096
"""Conditions compiled to closures, by identity: the questionnaire's and the criteria's are
built once and evaluated hundreds of times an assessment. The condition itself is kept with
its closure, so its id cannot be reused by another."""


def _compile(condition: Condition) -> Test:
    if condition is None:
        return lambda answers: True
    if not (type(condition) is dict or isinstance(condition, Mapping)) or not (
        condition.keys() <= _KEYS
    ):
        raise ConditionError(f"unknown condition: {condition!r}")
    if "all" in condition:
        tests = tuple(_compile(c) for c in condition["all"])

        # Plain loops, not all()/any() over a generator: these run hundreds of times an
        # assessment, and the generator cost more than the tests.
        def all_hold(answers: Mapping[str, object]) -> bool:
            for test in tests:  # noqa: SIM110
                if not test(answers):
                    return False
            return True

        return all_hold
    if "any" in condition:
        tests = tuple(_compile(c) for c in condition["any"])

        def any_holds(answers: Mapping[str, object]) -> bool:
            for test in tests:  # noqa: SIM110
                if test(answers):
                    return True
            return False

        return any_holds
    if "not" in condition:
        inner = _compile(condition["not"])
        return lambda answers: not inner(answers)
    if "item" not in condition:
        raise ConditionError(f"condition without an item: {condition!r}")
    item = condition["item"]
    # A single text answer (most of them) is looked up in a set; lists and anything else
    # go through _chosen as the grammar says.
    if "in" in condition:
        listed = list(condition["in"])
        values = _lookup(listed)

        def is_in(answers: Mapping[str, object]) -> bool:
            value = answers.get(item)
            if type(value) is str:
                return value != "" and value in values
            return any(v in listed for v in _chosen(value))

        return is_in
    if "not_in" in condition:
        unlisted = list(condition["not_in"])
        excluded = _lookup(unlisted)

        def not_in(answers: Mapping[str, object]) -> bool:
            value = answers.get(item)
            if type(value) is str:
                return value != "" and value not in excluded
            chosen = _chosen(value)
            return bool(chosen) and not any(v in unlisted for v in chosen)

        return not_in
    raise ConditionError(f"condition needs 'in' or 'not_in': {condition!r}")


def _lookup(listed: list[object]) -> frozenset[object] | list[object]:
    try:
        return frozenset(listed)
    except TypeError:  # an unhashable value in the data: compared one by one
        return listed


def referenced_items(condition: Condition) -> set[str]:
    """Every item id a condition reads (used to check the data and to build FHIR enableWhen)."""
    if condition is None:
        return set()
    found: set[str] = set()
    if "item" in condition:
        found.add(condition["item"])
    for key in ("all", "any"):
        for sub in condition.get(key, ()):
            found |= referenced_items(sub)
    if "not" in condition:
        found |= referenced_items(condition["not"])
    return found
