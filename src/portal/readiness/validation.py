"""Validate answers: one step from an HTML form, or a whole answer set from the JSON API.

Errors are a dict ``item_id -> friendly message``. A step that may not be submitted now is
reported under ``STEP_ERROR`` (``"_step"``). Form fields whose names start with ``_`` (CSRF
token, buttons) are the web layer's own and are ignored; any other unknown field is an error
keyed by its (shortened) name.

Clean values: ``scale`` -> int, ``choice`` and ``text`` -> str, ``multi`` -> list[str]. The
JSON API may send a scale value as a JSON number or a numeric string, a yes/no item as
``true``/``false``, and a multi-select as a list (or one string).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from portal.i18n.text import N_, Text
from portal.readiness.conditions import evaluate
from portal.readiness.flow import SIGNAL_ITEMS, is_answered, reachable_steps, visible_answers
from portal.readiness.questionnaire import Answer, Answers, Item, Questionnaire, load_questionnaire

STEP_ERROR = "_step"
MAX_FIELD_NAME = 40

MSG_REQUIRED_CHOICE = N_("Please choose an answer.")
MSG_REQUIRED_MULTI = N_("Please tick at least one, or the “none” option.")
MSG_REQUIRED_TEXT = N_("Please fill this in.")
MSG_NOT_A_CHOICE = N_("That answer is not one of the choices. Please choose one of the options.")
MSG_ONE_ONLY = N_("Please choose just one answer.")
MSG_EXCLUSIVE = N_("“{label}” can't be combined with other answers.")
MSG_TOO_LONG = N_("Please keep this to {max} characters or fewer (you have {n}).")
MSG_UNKNOWN = N_("This is not a question in this check.")
MSG_NOT_IN_STEP = N_("This question does not belong on this page.")
MSG_STEP = N_("This page isn't available yet. Please continue from the page we show you.")
MSG_TYPE = N_("This answer has the wrong form for this question.")


_SCALE_VALUE = re.compile(r"-?[0-9]{1,3}").fullmatch


def _q(questionnaire: Questionnaire | None) -> Questionnaire:
    return questionnaire if questionnaire is not None else load_questionnaire()


def _short(name: str) -> str:
    return name[:MAX_FIELD_NAME]


def _check_values(
    item: Item, values: list[str], offered: frozenset[str] | None = None
) -> tuple[Answer, str | None]:
    """Turn the submitted strings for one item into a clean value, or an error message.
    ``offered``: the option values the page showed, when some options have conditions."""
    choices = item.choices if offered is None else offered
    values = [v.replace("\x00", "").strip() for v in values]
    values = [v for v in values if v != ""]
    if item.type == "text":
        text = values[0] if values else ""
        if item.required and not text:
            return "", MSG_REQUIRED_TEXT
        if item.max_length is not None and len(text) > item.max_length:
            return "", Text(MSG_TOO_LONG, max=item.max_length, n=len(text))
        if text and item.pattern and not re.fullmatch(item.pattern, text):
            return "", item.pattern_message or MSG_TYPE
        return text, None
    if item.type == "multi":
        chosen: list[str] = []
        for v in values:
            if v not in choices:
                return [], MSG_NOT_A_CHOICE
            if v not in chosen:
                chosen.append(v)
        for ex in item.exclusive:
            if ex in chosen and len(chosen) > 1:
                return [], Text(MSG_EXCLUSIVE, label=item.label_for(ex))
        if item.required and not chosen:
            return [], MSG_REQUIRED_MULTI
        return chosen, None
    # single choice / scale
    if len(set(values)) > 1:
        return "", MSG_ONE_ONLY
    if not values:
        return "", (MSG_REQUIRED_CHOICE if item.required else None)
    raw = values[0]
    if item.type == "scale":
        if not _SCALE_VALUE(raw) or int(raw) not in item.values:
            return "", MSG_NOT_A_CHOICE
        return int(raw), None
    if raw not in choices:
        return "", MSG_NOT_A_CHOICE
    return raw, None


def validate_step(
    step_id: str,
    form: Mapping[str, Sequence[str]],
    answers: Mapping[str, object],
    questionnaire: Questionnaire | None = None,
) -> tuple[Answers, dict[str, str]]:
    """Validate one submitted step.

    ``form`` is the raw multi-dict of an HTML form (``name -> [values]``); ``answers`` are the
    clean answers so far. Returns ``(clean values for this step, errors)``. The clean values
    hold every item the step shows (blank optional items as ``""`` / ``[]``), plus signal items
    answered although hidden; store them with :func:`apply_step`.
    """
    q = _q(questionnaire)
    errors: dict[str, str] = {}
    if not q.has_step(step_id) or step_id not in reachable_steps(answers, q):
        return {}, {STEP_ERROR: MSG_STEP}
    step = q.step(step_id)
    step_ids = {item.id for item in step.items}
    for name in form:
        if name.startswith("_") or name in step_ids:
            continue
        errors[_short(name)] = MSG_NOT_IN_STEP if q.has_item(name) else MSG_UNKNOWN

    context: dict[str, object] = {
        k: v for k, v in visible_answers(answers, q).items() if k not in step_ids
    }
    clean: Answers = {}
    for item in step.items:
        submitted = [str(v) for v in form.get(item.id, [])]
        shown = evaluate(item.show_if, context)
        if not shown and not (item.id in SIGNAL_ITEMS and any(s.strip() for s in submitted)):
            continue
        value, error = _check_values(item, submitted, item.shown_values(context))
        if error and shown:
            errors[item.id] = error
        elif error is None:
            clean[item.id] = value
            context[item.id] = value
    return clean, errors


def apply_step(
    answers: Mapping[str, object],
    step_id: str,
    clean: Mapping[str, Answer],
    questionnaire: Questionnaire | None = None,
) -> Answers:
    """New answers after storing a validated step: the step's old values are replaced and
    answers made irrelevant by the change (e.g. parenting items after "no children") dropped."""
    q = _q(questionnaire)
    step_ids = {item.id for item in q.step(step_id).items}
    merged = {k: v for k, v in answers.items() if k not in step_ids}
    merged.update(clean)
    return visible_answers(merged, q)


def _coerce(item: Item, value: object) -> tuple[Answer, str | None]:
    """JSON value -> the form-style strings ``_check_values`` understands."""
    if value is None:
        return _check_values(item, [])
    if item.type == "multi":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [], MSG_TYPE
        return _check_values(item, list(value))
    if isinstance(value, bool):
        if item.type == "choice" and set(item.values) == {"yes", "no"}:
            return ("yes" if value else "no"), None
        return "", MSG_TYPE
    if item.type == "scale" and isinstance(value, int):
        return _check_values(item, [str(value)])
    if isinstance(value, str):
        return _check_values(item, [value])
    return "", MSG_TYPE


def _all_offered(item: Item, value: Answer | None, answers: Mapping[str, object]) -> bool:
    """Whether every choice in ``value`` is one ``answers`` offer."""
    offered = item.shown_values(answers)
    chosen = value if isinstance(value, list) else [value]
    return all(str(v) in offered for v in chosen if v is not None and v != "")


def clean_answers(
    raw: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> tuple[Answers, dict[str, str]]:
    """Coerce and check a whole answer set (the JSON API). Returns ``(answers, errors)``.

    Unknown ids, wrong types, values off the scale and choices the other answers do not offer
    are errors. Answers to items hidden by the other answers are dropped (signal items are
    kept). A shown required item with no answer is an error; shown optional items get a blank
    value.
    """
    q = _q(questionnaire)
    errors: dict[str, str] = {}
    for name in raw:
        if not isinstance(name, str) or not q.has_item(name):
            errors[_short(str(name))] = MSG_UNKNOWN
    coerced: dict[str, Answer] = {}
    for item in q.items:
        if item.id in raw:
            value, error = _coerce(item, raw[item.id])
            if error is None:
                coerced[item.id] = value
            elif is_answered(raw[item.id]):
                errors[item.id] = error
    answers = visible_answers(coerced, q)
    for step in q.steps:
        if not evaluate(step.show_if, answers):
            continue
        for item in step.items:
            if not evaluate(item.show_if, answers) or item.id in errors:
                continue
            if item.conditional_options and not _all_offered(item, coerced.get(item.id), answers):
                errors[item.id] = MSG_NOT_A_CHOICE
                continue
            if item.id not in answers or not is_answered(answers[item.id]):
                if item.required:
                    errors[item.id] = (
                        MSG_REQUIRED_MULTI
                        if item.type == "multi"
                        else MSG_REQUIRED_TEXT
                        if item.type == "text"
                        else MSG_REQUIRED_CHOICE
                    )
                else:
                    answers[item.id] = [] if item.type == "multi" else ""
    return answers, errors


def validate_all(
    raw: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> dict[str, str]:
    """Errors for a whole answer set (empty when it is complete and valid)."""
    return clean_answers(raw, questionnaire)[1]
