"""Texts that can be translated after the fact (no dependencies: domain code uses this).

Domain code fills English templates ("Please keep this to {max} characters") long before a page
knows its language. :class:`Text` reads exactly like the filled English string, and keeps the
template and the values, so the page can translate the template first and fill it after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: Mapping[str, object]) -> str:
    """``str.format_map`` that leaves unknown placeholders empty instead of raising."""
    return template.format_map(_Blank(values))


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here."""
    return message


class Text(str):
    """``template`` filled with ``values``; ``msgid`` and ``values`` stay attached."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: Mapping[str, object] | None = None, /, **more: Any):
        merged = {**(values or {}), **more}
        text = super().__new__(cls, fill(template, merged) if merged else template)
        text.msgid = template
        text.values = merged
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.msgid, self.values))


class Localized(str):
    """A text that brings its own wording for some languages, kept beside the data it belongs to
    rather than in a catalog: a label written in Spanish, or the Spanish way to reach a line
    (988: press 2), which is a different fact, not a translation. Reads as its English;
    ``translate`` takes the language's own wording, then the catalog."""

    by_locale: dict[str, str]

    def __new__(cls, english: str, by_locale: Mapping[str, str]):
        text = super().__new__(cls, english)
        text.by_locale = {k: v for k, v in by_locale.items() if v}
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Localized, (str(self), self.by_locale))

    def in_locale(self, locale: str) -> str:
        return self.by_locale.get(locale, str(self))


class Lower(Text):
    """A label inside a sentence ("Couples" -> "couples"): translated, then lower-cased."""

    def __new__(cls, template: str, values: Mapping[str, object] | None = None, /, **more: Any):
        merged = {**(values or {}), **more}
        filled = fill(template, merged) if merged else template
        text = str.__new__(cls, filled[:1].lower() + filled[1:])
        text.msgid = template
        text.values = merged
        return text
