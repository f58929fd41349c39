"""The marks of the printable prep sheet: tick boxes and lines to write on.

Jinja filters (``{{ a.when|fill }}``, ``{{ ticked|box }}``, ``{{ items|checks }}``), not
macros or calls: a sheet prints about seventy of them, and a template calls a filter
directly, where a call goes through the context's checks (and a macro through far more),
which cost more than the rest of the line it sits in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from portal.i18n.text import N_

BOX = Markup('<span class="box" aria-hidden="true"></span>')
CHECKED = N_("Checked: ")
SPACE = N_("(space to write in)")


def ticked_mark(said: str = CHECKED) -> Markup:
    return Markup(
        '<span class="box box-on" aria-hidden="true"></span><span class="visually-hidden">%s</span>'
    ) % (said,)


def line_mark(said: str = SPACE) -> Markup:
    return Markup('<span class="write"><span class="visually-hidden">%s</span></span>') % (said,)


TICKED = ticked_mark()
LINE = line_mark()


def box(ticked: object = False) -> Markup:
    return TICKED if ticked else BOX


def fill(text: object = None, lines: int = 1) -> Markup:
    """What the person typed, or ``lines`` empty lines to write on."""
    if text:
        return Markup('<span class="val">%s</span>') % (text,)
    return LINE * lines


def checks(items: Iterable[Any]) -> Markup:
    """A list of tick boxes: each item's ``ticked`` and its ``label``, escaped."""
    return Markup(
        '<ul class="checks">\n'
        + "".join(f"<li>{box(item.ticked)}{escape(item.label)}</li>" for item in items)
        + "</ul>"
    )
