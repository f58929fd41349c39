"""User-facing result texts (``messages.json``): outcome labels, reasons, help kinds, self-help."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

MESSAGES_FILE = Path(__file__).with_name("messages.json")


@cache
def messages() -> dict[str, Any]:
    return json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, object]) -> str:
    """``str.format_map`` that leaves unknown placeholders empty instead of raising."""
    return template.format_map(_Blank(values))
