"""Crisis and support lines (seed/crisis_lines.json), kept as data so that a number can be
corrected without a code change."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from portal.paths import SEED_DIR


@cache
def crisis_lines() -> dict[str, Any]:
    data = json.loads((SEED_DIR / "crisis_lines.json").read_text(encoding="utf-8"))
    data["by_id"] = {line["id"]: line for line in data["lines"]}
    return data
