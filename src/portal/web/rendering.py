"""Shared response helpers: one URL, two renderings (whole page or htmx partial)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment
from litestar import MediaType, Request
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from markupsafe import Markup

NO_STORE = {"cache-control": "no-store"}


def longdate(value: date | None) -> str:
    """ "November 20, 2026" (the ``longdate`` filter of the templates)."""
    return "" if value is None else _longdate(value)


@lru_cache(maxsize=4096)
def _longdate(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


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
    all_headers = {"vary": "HX-Request", **(headers or {})}
    if private:
        all_headers.update(NO_STORE)
    return Template(
        template_name=name,
        context=context,
        status_code=status_code,
        headers=all_headers,
        media_type=MediaType.HTML,  # not guessed from the template's name on every request
    )


def constant_partials(env: Environment) -> Callable[[str], Markup]:
    """``{{ constant("_safety_banner.html") }}`` in a template: a partial that reads only
    the templates' globals (settings, the crisis lines, the static files), rendered once
    per process. An include renders on every page, in a copy of the page's whole context."""

    @cache
    def render(name: str) -> Markup:
        return Markup(env.get_template(name).render())

    return render
