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

from collections.abc import Mapping
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
    if not (type(condition) is dict or isinstance(condition, Mapping)) or not (
        condition.keys() <= _KEYS
    ):
        raise ConditionError(f"unknown condition: {condition!r}")
    if "all" in condition:
        return all(evaluate(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, answers) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], answers)
    if "item" not in condition:
        raise ConditionError(f"condition without an item: {condition!r}")
    chosen = _chosen(answers.get(condition["item"]))
    if not chosen:
        return False
    if "in" in condition:
        return any(v in condition["in"] for v in chosen)
    if "not_in" in condition:
        return not any(v in condition["not_in"] for v in chosen)
    raise ConditionError(f"condition needs 'in' or 'not_in': {condition!r}")


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
