"""Shared response helpers: one URL, two renderings (whole page or htmx partial)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from litestar import MediaType, Request
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from markupsafe import Markup, escape

NO_STORE = {"cache-control": "no-store"}


def longdate(value: date | None) -> str:
    """ "November 20, 2026" (the ``longdate`` filter of the templates)."""
    return "" if value is None else _longdate(value)


@lru_cache(maxsize=4096)
def _longdate(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


_BREAKS = re.compile(r"(?<=@)|(?<=//)|(?=\.)")


def breakable(text: str) -> Markup:
    """An email or web address that wraps where it reads well in a narrow column ("name@",
    "example", ".net") rather than mid-word (the ``breakable`` filter)."""
    return Markup("<wbr>").join(escape(part) for part in _BREAKS.split(text) if part)


def wants_partial(request: Request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page(
    request: HTMXRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status_code: int = 200,
    private: bool = False,
    headers: dict[str, str] | None = None,
) -> Template:
    """Render ``template``, or only ``partial`` for an htmx request that swaps part of a page.

    ``private`` pages (anything built from a person's answers or choices) are never cached.
    """
    name = partial if partial and wants_partial(request) else template
    # The language comes from the lang cookie or Accept-Language (web/locale.py).
    all_headers = {"vary": "HX-Request, Accept-Language, Cookie", **(headers or {})}
    if private:
        all_headers.update(NO_STORE)
    return Template(
        template_name=name,
        context=context,
        status_code=status_code,
        headers=all_headers,
        media_type=MediaType.HTML,  # not guessed from the template's name on every request
    )
