"""Every word a template shows is marked for translation: outside ``{% trans %}`` blocks, the
text between a template's tags (and the attributes a person reads or hears: aria-label, title,
placeholder, alt) holds no letters. Template wording is written as ``{{ _('...') }}`` or in
``{% trans %}`` blocks; text from data or code goes through ``t(...)``."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from portal.paths import TEMPLATES_DIR

TEMPLATES = TEMPLATES_DIR
SHOWN_ATTRIBUTES = frozenset({"aria-label", "title", "placeholder", "alt", "value"})
HOLE = "\x00"
LETTER = re.compile(r"[^\W\d_]")
PRODUCT_NAME = re.compile(r"\bPortal\b")
ATTRIBUTES_ONLY = re.compile(r'(\s*[a-z][\w-]*="[^"]*")+\s*')
"""A macro's output that is part of a tag (`` aria-invalid="true"``), not text."""
"""The site's name reads the same in every language."""


def _env() -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"])
    return env


def untranslated_data(source: str) -> str:
    """The template's own text with every Jinja tag, expression, comment and trans block
    replaced by a hole: only literal text the template would show as it is."""
    pieces: list[str] = []
    in_trans = 0
    expect_name = False
    for _line, kind, value in _env().lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":
            expect_name = True
            pieces.append(f" {HOLE} ")
            continue
        if expect_name and kind == "name":
            if value == "trans":
                in_trans += 1
            elif value == "endtrans":
                in_trans -= 1
            expect_name = False
            continue
        expect_name = False
        if kind == "data":
            pieces.append(HOLE if in_trans else value)
        elif kind in ("variable_begin", "comment_begin"):
            pieces.append(f" {HOLE} ")
    return "".join(pieces)


class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        is_button = tag == "input" and dict(attrs).get("type") in ("submit", "button")
        for name, value in attrs:
            if name == "value" and not is_button:
                continue
            if name in SHOWN_ATTRIBUTES and value and LETTER.search(value.replace(HOLE, "")):
                self.found.append(f"{tag}[{name}]={value.replace(HOLE, '…')!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        text = PRODUCT_NAME.sub("", data.replace(HOLE, " ")).strip()
        if not self._skip and LETTER.search(text) and not ATTRIBUTES_ONLY.fullmatch(text):
            self.found.append(repr(text))


def shown_english(source: str) -> list[str]:
    parser = _Shown()
    parser.feed(untranslated_data(source))
    parser.close()
    return parser.found


ALL = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", ALL)
def test_no_template_shows_text_that_is_not_marked_for_translation(name: str) -> None:
    assert shown_english((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_plain_text_and_labels_are_found_and_marked_text_is_not() -> None:
    source = (
        '<nav aria-label="Pages"><p class="x">{{ _("Hello") }} Goodbye</p>'
        "{% trans n=1 %}Kept {{ n }}{% endtrans %}{# a note #}"
        '<input type="submit" value="Send"><input type="hidden" name="a" value="b">'
        '<a href="/x" title="{{ _(\'Go\') }}">{{ t(x) }} · 2</a></nav>'
    )
    found = shown_english(source)
    assert found == ["nav[aria-label]='Pages'", "'Goodbye'", "input[value]='Send'"]


def test_the_templates_are_found() -> None:
    assert "directory/profile.html" in ALL and "base.html" in ALL
    assert Path(TEMPLATES / "base.html").is_file()
