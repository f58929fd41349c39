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
