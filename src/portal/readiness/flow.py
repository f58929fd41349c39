"""Which steps and items apply, which step comes next, and whether the check is complete.

State is only the answers dict; there is no separate "visited" list. A submitted step stores a
value for every item it showed: optional items left blank are stored as ``""`` (choice, text)
or ``[]`` (multi). That is how the flow knows an all-optional step was seen.

Safety signals are never discarded: an answer to a crisis or safety item (C*, S*, R*, U1, K1)
is kept even when its show-if condition is false, e.g. C2 answered "yes" on a form rendered
without JavaScript where C1 was answered "no". See ``SIGNAL_ITEMS``.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.readiness.conditions import evaluate
from portal.readiness.questionnaire import Answers, Item, Questionnaire, Step, load_questionnaire

SIGNAL_ITEMS = frozenset(
    {"C1", "C2", "C3", "C4", "C5", "S1", "S2", "S3", "S4", "S5a", "S5b", "S6", "S7"}
    | {"R1", "R2", "R3", "R4", "R5", "U1", "K1"}
)


def is_answered(value: object) -> bool:
    """True for a real answer (blank optional answers ``""`` / ``[]`` do not count)."""
    return value is not None and value != "" and value != [] and value != ()


def _q(questionnaire: Questionnaire | None) -> Questionnaire:
    return questionnaire if questionnaire is not None else load_questionnaire()


def visible_answers(
    answers: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> Answers:
    """``answers`` without the answers to items that are hidden by the other answers.

    Evaluated in questionnaire order against the already-pruned answers, so a chain of
    conditions collapses correctly. Unknown ids are dropped. Signal items are always kept.
    A choice no longer offered (a parenting plan, after "no children") is taken out of the
    answer; when it was all the answer held, the question is asked again.
    """
    q = _q(questionnaire)
    kept: dict[str, object] = {}
    for step in q.steps:
        step_shown = evaluate(step.show_if, kept)
        for item in step.items:
            if item.id not in answers:
                continue
            if (step_shown and evaluate(item.show_if, kept)) or item.id in SIGNAL_ITEMS:
                value = answers[item.id]
                if item.conditional_options:
                    value = _offered(item, value, kept)
                    if value is None:
                        continue
                kept[item.id] = value
    return kept  # type: ignore[return-value]


def _offered(item: Item, value: object, answers: Mapping[str, object]) -> object:
    """``value`` without the choices ``answers`` do not offer; None when that was all of it."""
    offered = item.shown_values(answers)
    if isinstance(value, list):
        kept = [v for v in value if str(v) in offered]
        return kept if kept or not value else None
    return value if value == "" or str(value) in offered else None


def visible_items(step: Step, answers: Mapping[str, object]) -> list[Item]:
    """The items of ``step`` shown for ``answers`` (same-step conditions use ``answers`` too)."""
    return [item for item in step.items if evaluate(item.show_if, answers)]


def applicable_steps(
    answers: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> list[Step]:
    """Steps whose show-if holds for ``answers``, in order."""
    q = _q(questionnaire)
    pruned = visible_answers(answers, q)
    return [step for step in q.steps if evaluate(step.show_if, pruned)]


def step_is_complete(step: Step, answers: Mapping[str, object]) -> bool:
    """Every shown item has a stored value, and every shown required item a real answer."""
    for item in visible_items(step, answers):
        if item.id not in answers:
            return False
        if item.required and not is_answered(answers[item.id]):
            return False
    return True


def next_step(
    answers: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> str | None:
    """The id of the first applicable step not yet complete, or None when all are done."""
    q = _q(questionnaire)
    pruned = visible_answers(answers, q)
    for step in applicable_steps(pruned, q):
        if not step_is_complete(step, pruned):
            return step.id
    return None


def reachable_steps(
    answers: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> list[str]:
    """Step ids a person may submit now: completed applicable steps plus the next one.

    A submission for any other step (skipping ahead, or a step hidden by earlier answers) is a
    tampered or stale form.
    """
    q = _q(questionnaire)
    pruned = visible_answers(answers, q)
    out: list[str] = []
    for step in applicable_steps(pruned, q):
        out.append(step.id)
        if not step_is_complete(step, pruned):
            break
    return out


def is_complete(answers: Mapping[str, object], questionnaire: Questionnaire | None = None) -> bool:
    """True when no applicable step is left (after G0.5 = no or G0.6 = no, only the first)."""
    return next_step(answers, questionnaire) is None


def progress(
    answers: Mapping[str, object], questionnaire: Questionnaire | None = None
) -> tuple[int, int]:
    """(number of the current step, number of applicable steps), both 1-based for display."""
    q = _q(questionnaire)
    steps = [s.id for s in applicable_steps(answers, q)]
    current = next_step(answers, q)
    position = steps.index(current) + 1 if current in steps else len(steps)
    return position, len(steps)


USUAL_START: Mapping[str, object] = {"G0.5": "yes", "G0.6": "yes"}
"""The first page's answers on the usual path (private, 18 or older): every later step applies."""

SECONDS_PER_QUESTION = 12
"""Reading a short question and choosing an answer; a typed answer counts three times."""


def estimated_minutes(questionnaire: Questionnaire | None = None) -> int:
    """Minutes the check takes on the usual path: the questions every adult answering in
    private sees (follow-ups that appear only after some answers are left out), at
    ``SECONDS_PER_QUESTION`` each, rounded up."""
    q = _q(questionnaire)
    seconds = 0
    for step in applicable_steps(USUAL_START, q):
        for item in visible_items(step, USUAL_START):
            seconds += SECONDS_PER_QUESTION * (3 if item.type == "text" else 1)
    return max(1, -(-seconds // 60))
