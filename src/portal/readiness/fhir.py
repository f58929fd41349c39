"""FHIR R4 export: the questionnaire as a ``Questionnaire``, answers as a ``QuestionnaireResponse``.

Used for "Download my answers" (never stored). Mapping:

* each step -> an item of type ``group`` (linkId = step id) holding its questions;
* yes/no choices -> ``boolean``; 0-4 scales -> ``integer`` with minValue/maxValue extensions;
  other choices -> ``choice`` with ``answerOption.valueCoding`` (system ``ANSWER_SYSTEM``,
  code = answer value, display = label); multi-selects -> ``choice`` with ``repeats``;
  free text -> ``string`` (``text`` when multi-line);
* ``show_if`` -> ``enableWhen`` where it is a flat any/all of simple comparisons; a nested
  condition has no enableWhen (the item is then always enabled in other FHIR tools);
* an option's own ``show_if`` has no FHIR R4 equivalent: every option is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.readiness.flow import is_answered
from portal.readiness.questionnaire import Item, Questionnaire

CANONICAL_BASE = "urn:portal:readiness"
ANSWER_SYSTEM = "urn:portal:readiness:answer"
_EXT_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
_EXT_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"


def fhir_type(item: Item) -> str:
    if item.type == "text":
        return "text" if item.multiline else "string"
    if item.type == "scale":
        return "integer"
    if item.type == "choice" and set(item.values) == {"yes", "no"}:
        return "boolean"
    return "choice"


def _answer_value(item: Item, value: object) -> dict[str, Any]:
    kind = fhir_type(item)
    if kind == "boolean":
        return {"valueBoolean": value == "yes"}
    if kind == "integer":
        return {"valueInteger": int(value)}  # type: ignore[call-overload]
    if kind == "choice":
        return {
            "valueCoding": {
                "system": ANSWER_SYSTEM,
                "code": str(value),
                "display": item.label_for(value),  # type: ignore[arg-type]
            }
        }
    return {"valueString": str(value)}


def _simple(cond: Mapping[str, Any], items: Mapping[str, Item]) -> list[dict[str, Any]] | None:
    """enableWhen entries for one leaf condition, or None when it cannot be expressed."""
    if "item" not in cond or cond["item"] not in items:
        return None
    item = items[cond["item"]]
    if "in" in cond:
        operator, values = "=", cond["in"]
    elif "not_in" in cond:
        operator, values = "!=", cond["not_in"]
    else:
        return None
    out = []
    for value in values:
        answer = _answer_value(item, value)
        key, val = next(iter(answer.items()))
        out.append({"question": item.id, "operator": operator, key.replace("value", "answer"): val})
    return out


def enable_when(
    cond: Mapping[str, Any] | None, items: Mapping[str, Item]
) -> tuple[list[dict[str, Any]], str | None] | None:
    """(enableWhen list, enableBehavior) for a show-if condition; None if not expressible."""
    if cond is None:
        return None
    if "item" in cond:
        leaves = _simple(cond, items)
        if leaves is None:
            return None
        behavior = None
        if len(leaves) > 1:
            behavior = "any" if "in" in cond else "all"
        return leaves, behavior
    for key in ("all", "any"):
        if key in cond:
            out: list[dict[str, Any]] = []
            for sub in cond[key]:
                leaves = _simple(sub, items)
                # A multi-value leaf inside "all" would need its own "any": not expressible.
                if leaves is None or (key == "all" and len(leaves) > 1 and "in" in sub):
                    return None
                if key == "any" and "not_in" in sub and len(leaves) > 1:
                    return None
                out += leaves
            return out, key
    return None


def _question(item: Item, items: Mapping[str, Item]) -> dict[str, Any]:
    q: dict[str, Any] = {"linkId": item.id, "text": item.text, "type": fhir_type(item)}
    if item.required:
        q["required"] = True
    if item.type == "multi":
        q["repeats"] = True
    if fhir_type(item) == "choice":
        q["answerOption"] = [
            {"valueCoding": {"system": ANSWER_SYSTEM, "code": str(o.value), "display": o.label}}
            for o in item.options
        ]
    if item.type == "scale":
        q["extension"] = [
            {"url": _EXT_MIN, "valueInteger": min(int(v) for v in item.values)},
            {"url": _EXT_MAX, "valueInteger": max(int(v) for v in item.values)},
        ]
    if item.max_length is not None:
        q["maxLength"] = item.max_length
    ew = enable_when(item.show_if, items)
    if ew:
        q["enableWhen"], behavior = ew
        if behavior:
            q["enableBehavior"] = behavior
    return q


def to_fhir_questionnaire(questionnaire: Questionnaire) -> dict[str, Any]:
    """A FHIR R4 Questionnaire resource (a plain dict, ready for ``json.dumps``)."""
    items = {item.id: item for item in questionnaire.items}
    groups = []
    for step in questionnaire.steps:
        group: dict[str, Any] = {
            "linkId": step.id,
            "text": step.title,
            "type": "group",
            "item": [_question(item, items) for item in step.items],
        }
        ew = enable_when(step.show_if, items)
        if ew:
            group["enableWhen"], behavior = ew
            if behavior:
                group["enableBehavior"] = behavior
        groups.append(group)
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire.id,
        "url": f"{CANONICAL_BASE}:{questionnaire.id}",
        "version": questionnaire.version,
        "name": "PortalReadinessCheck",
        "title": questionnaire.title,
        "status": "active",
        "item": groups,
    }


def to_fhir_questionnaire_response(
    questionnaire: Questionnaire, answers: Mapping[str, object], authored: str | None = None
) -> dict[str, Any]:
    """A completed QuestionnaireResponse holding the given answers (blank ones left out)."""
    groups = []
    for step in questionnaire.steps:
        answered = []
        for item in step.items:
            value = answers.get(item.id)
            if not is_answered(value):
                continue
            values = value if isinstance(value, list) else [value]
            answered.append(
                {
                    "linkId": item.id,
                    "text": item.text,
                    "answer": [_answer_value(item, v) for v in values],
                }
            )
        if answered:
            groups.append({"linkId": step.id, "text": step.title, "item": answered})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{CANONICAL_BASE}:{questionnaire.id}|{questionnaire.version}",
        "status": "completed",
        "item": groups,
    }
    if authored:
        response["authored"] = authored
    return response
