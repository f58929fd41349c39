"""Crisis and support lines (seed/crisis_lines.json), kept as data so that a number can be
corrected without a code change."""

from __future__ import annotations

from functools import cache
from typing import Any

from portal import content


@cache
def crisis_lines() -> dict[str, Any]:
    data = content.crisis_lines()
    return {**data, "by_id": {line["id"]: line for line in data["lines"]}}


SPANISH_OPTIONS = ("contact", "banner", "in_sentence", "href", "sms", "chat", "discreet_label")
"""Fields a line's ``spanish`` entry replaces on a page in Spanish: the way to reach the line
in Spanish (988's "press 2", texting AYUDA), which is a different fact, not a translation."""


def in_language(line: dict[str, Any], locale: str) -> dict[str, Any]:
    """``line`` as a page in ``locale`` shows it: in Spanish, its Spanish options in place."""
    spanish = line.get("spanish")
    if locale != "es" or not spanish:
        return line
    return {**line, **{k: spanish[k] for k in SPANISH_OPTIONS if spanish.get(k)}}
