"""CSV cells a spreadsheet will not run as a formula (OWASP, "CSV Injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any
single quotes) gets one single quote in front, which spreadsheets show as text. Plain numbers
are left alone: ``-122.42``, ``+1 555-0100``, ``(555) 010-0100`` hold only digits, spaces,
dots, hyphens and parentheses after the sign, so they cannot call a function, name a cell or
start a program, and stay numbers for everyone who reads the file.

``unguard`` undoes ``guard`` exactly, so an exported package imports with every value as it
was.
"""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ().-]*")


def guard(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text."""
    if text.lstrip("'")[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unguard(cell: str) -> str:
    """The value ``guard`` was given for ``cell``."""
    if cell.startswith("'") and guard(cell[1:]) != cell[1:]:
        return cell[1:]
    return cell
