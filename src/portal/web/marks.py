"""The marks of the printable prep sheet: tick boxes and lines to write on.

Functions rather than Jinja macros: a sheet prints about seventy of them, and calling a
macro cost more than the rest of the line it sits in.
"""

from __future__ import annotations

from markupsafe import Markup

BOX = Markup('<span class="box" aria-hidden="true"></span>')
TICKED = Markup(
    '<span class="box box-on" aria-hidden="true"></span>'
    '<span class="visually-hidden">Ticked: </span>'
)
LINE = Markup('<span class="write"><span class="visually-hidden">(space to write in)</span></span>')


def box(ticked: object = False) -> Markup:
    return TICKED if ticked else BOX


def fill(text: object = None, lines: int = 1) -> Markup:
    """What the person typed, or ``lines`` empty lines to write on."""
    if text:
        return Markup('<span class="val">%s</span>') % (text,)
    return LINE * lines
