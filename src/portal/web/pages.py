"""Plain pages: home, help lines, about the data and its sources, privacy, and "erase
everything"."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from litestar import Request, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.readiness.catalog import CRITERIA_FILE, Citation, citations
from portal.readiness.flow import estimated_minutes
from portal.web.rendering import page


@get("/", name="home", include_in_schema=False, sync_to_thread=False)
def home(request: HTMXRequest) -> Template:
    return page(
        request,
        "pages/home.html",
        {"erased": request.query_params.get("erased"), "minutes": estimated_minutes()},
    )


@get("/help", name="help", include_in_schema=False, sync_to_thread=False)
def help_lines(request: HTMXRequest) -> Template:
    return page(request, "pages/help.html", {})


@get("/about", name="about", include_in_schema=False, sync_to_thread=False)
def about(request: HTMXRequest) -> Template:
    return page(request, "pages/about.html", {})


@cache
def article_sources() -> tuple[dict[str, str], ...]:
    """Each source article: the plain name results cite it by, and its original title."""
    articles = json.loads(CRITERIA_FILE.read_text(encoding="utf-8")).get("articles", {})
    return tuple(
        {
            "anchor": f"article-{key}",
            "name": str(entry.get("title", "")),
            "original_title": str(entry.get("original_title") or entry.get("title", "")),
            "file": str(entry.get("file", "")),
        }
        for key, entry in sorted(articles.items())
    )


def external_sources() -> list[Citation]:
    return [c for c in citations().values() if not c.is_article]


def source_anchor(citation: Citation) -> str:
    """The fragment of /about/sources that describes where ``citation`` comes from."""
    if citation.is_article:
        for article in article_sources():
            if article["file"] == citation.article_file:
                return article["anchor"]
        return "articles"
    return f"source-{citation.id}"


@get("/about/sources", name="sources", include_in_schema=False, sync_to_thread=False)
def sources(request: HTMXRequest) -> Template:
    context: dict[str, Any] = {"articles": article_sources(), "external": external_sources()}
    return page(request, "pages/sources.html", context)


@get("/privacy", name="privacy", include_in_schema=False, sync_to_thread=False)
def privacy(request: HTMXRequest) -> Template:
    return page(request, "pages/privacy.html", {})


@post("/erase", name="erase", include_in_schema=False, status_code=303, sync_to_thread=False)
def erase(request: Request) -> Redirect:
    """Forget everything this browser told us: answers, shortlist, prep sheet. The session lives
    only in the encrypted cookie, so clearing it leaves nothing behind on the server."""
    request.clear_session()
    return Redirect(
        path="/?erased=1",
        status_code=303,
        headers={"clear-site-data": '"cookies", "storage"', "cache-control": "no-store"},
    )
