"""Which answers call for crisis help straight away, before any other step.

A person who says they wish they were dead, or that they are in danger right now, should not
have to answer thirty more questions before the help appears. The rules decide what a crisis
is (``Assessment.outcome == E_CRISIS``); the one addition here is C4, the other person
threatening to end their own life, which is not a crisis outcome for the person answering but
still calls for 988 at once.

Each crisis answer gets a key, so that the crisis page is shown once per answer and again when
a new one comes later (for example crisis words typed on a later step).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from portal.readiness.rules import E_CRISIS, Assessment, Reason, assess

OTHER_PERSON_THREAT = "C4"


@dataclass(frozen=True)
class CrisisAnswer:
    """One reason on the result that calls for crisis help, and a key naming the answers
    behind it."""

    key: str
    reason: Reason


def calls_for_crisis_help(result: Assessment, answers: Mapping[str, object]) -> bool:
    return result.outcome == E_CRISIS or answers.get(OTHER_PERSON_THREAT) == "yes"


def crisis_answers(
    answers: Mapping[str, object], result: Assessment | None = None
) -> list[CrisisAnswer]:
    """The reasons of the result that call for crisis help on their own, in reading order.

    A reason counts when its answers, without the answers behind any other reason, still call
    for crisis help. This reads only the Assessment, so new crisis items in the rules count
    without a change here; a safety answer given after a crisis answer does not count."""
    result = result if result is not None else assess(answers)
    if not calls_for_crisis_help(result, answers):
        return []
    found: list[CrisisAnswer] = []
    for reason in result.reasons:
        others = {i for r in result.reasons if r is not reason for i in r.items}
        others -= set(reason.items)
        alone = {k: v for k, v in answers.items() if k not in others}
        if calls_for_crisis_help(assess(alone), alone):
            found.append(CrisisAnswer(key=_key(reason, answers), reason=reason))
    return found


def _key(reason: Reason, answers: Mapping[str, object]) -> str:
    given = json.dumps([answers.get(i) for i in reason.items], ensure_ascii=False, default=str)
    return f"{reason.code}:{hashlib.sha256(given.encode('utf-8')).hexdigest()[:10]}"
