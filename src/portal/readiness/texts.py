"""User-facing result texts (``messages.json``): outcome labels, reasons, help kinds, self-help."""

from __future__ import annotations

from typing import Any

from portal import content


def messages() -> dict[str, Any]:
    return content.messages()


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, object]) -> str:
    """``str.format_map`` that leaves unknown placeholders empty instead of raising."""
    return template.format_map(_Blank(values))
