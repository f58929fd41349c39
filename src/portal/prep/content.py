"""The words of the prep sheet (content.json), loaded once per process."""

from __future__ import annotations

from typing import Any

from portal import content as content_


def content() -> dict[str, Any]:
    return content_.prep()


def wording(entry: dict[str, Any], key: str, *, discreet: bool) -> str | None:
    """``entry[key]``, or its discreet wording in discreet mode (None: leave it out)."""
    if discreet and "discreet" in entry:
        return entry["discreet"]
    return entry[key]


def question_ids() -> tuple[str, ...]:
    return tuple(item["id"] for group in content()["questions"] for item in group["items"])


def ids(section: str) -> tuple[str, ...]:
    return tuple(entry["id"] for entry in content()[section])
