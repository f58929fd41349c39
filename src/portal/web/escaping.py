"""How the templates escape what they print: as markupsafe does, several times faster.

Every ``{{ value }}`` of an autoescaped template calls ``markupsafe.escape``, which
escapes a string in C and then wraps it through ``Markup.__new__``, whose test for an
``__html__`` method costs about ten times the escaping itself. A result page prints some 250
values, and that wrapping was the largest part of rendering its cards (README,
"Performance"). ``escape`` here gives the same Markup, the same characters escaped, for
the values templates print most (text and numbers), and hands anything else to
markupsafe.

Templates are compiled by ``CodeGenerator``, which rebinds the name ``escape`` in each
compiled template module to this module's function (Jinja's ``code_generator_class``).
"""

from __future__ import annotations

from typing import Any

import markupsafe
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Template
from markupsafe import Markup

try:  # markupsafe's own escaping of a str, without the Markup around it
    from markupsafe import _escape_inner as _escape_text
except ImportError:  # pragma: no cover (a markupsafe without it: escape as markupsafe does)

    def _escape_text(s: str, /) -> str:
        return str(markupsafe.escape(s))


_new = str.__new__

escape_text = _escape_text
"""The text ``markupsafe.escape`` gives for a str, as a str: for HTML put together in Python
(web/cards.py), marked safe once as a whole."""


def escape(s: Any, /) -> Markup:
    """``markupsafe.escape(s)``."""
    kind = type(s)
    if kind is str:
        return _new(Markup, _escape_text(s))
    if kind is int or kind is float:  # digits, a sign, a point, "e", "inf", "nan"
        return _new(Markup, str(s))
    if kind is Markup:
        return s
    return markupsafe.escape(s)


class EscapingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``escape`` bound to this module's."""

    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        # Module level, after Jinja's own imports: it runs before any render.
        self.writeline(f"from {__name__} import escape")
