"""Plain pages: home, help lines, about the data and its sources, privacy, "erase
everything" and the quick exit."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.i18n import N_
from portal.readiness.catalog import Citation, articles, citations, crisis_lines_verified
from portal.readiness.flow import estimated_minutes
from portal.security import moment_is_fresh, moment_token
from portal.settings import Settings
from portal.web.deps import AppSettings
from portal.web.rendering import page

CLEAR_SITE_DATA = {"clear-site-data": '"cookies", "storage", "cache"', "cache-control": "no-store"}
ERASED = "erased"
ERASED_SECONDS = 60


def _settings(request: Request) -> Settings:
    settings = request.app.state.get("settings")
    return settings if isinstance(settings, Settings) else Settings()


def _notice_name(settings: Settings) -> str:
    return f"__Host-{ERASED}" if settings.production else ERASED


def _notice(settings: Settings, value: str) -> Cookie:
    """A cookie holding no data: "say on the next page that everything was erased"."""
    return Cookie(
        key=_notice_name(settings),
        value=value,
        max_age=ERASED_SECONDS if value else 0,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.production,
    )


@get("/", name="home", include_in_schema=False, sync_to_thread=False)
def home(request: HTMXRequest) -> Template:
    settings = _settings(request)
    context = {"erased": False, "minutes": estimated_minutes()}
    if request.cookies.get(_notice_name(settings)) is None:
        return page(request, "pages/home.html", context)
    shown = page(request, "pages/home.html", {**context, "erased": True}, private=True)
    shown.cookies.append(_notice(settings, ""))  # said once: a reload shows the plain page
    return shown


@get("/help", name="help", include_in_schema=False, sync_to_thread=False)
def help_lines(request: HTMXRequest) -> Template:
    return page(request, "pages/help.html", {"checked": crisis_lines_verified()})


@get("/about", name="about", include_in_schema=False, sync_to_thread=False)
def about(request: HTMXRequest) -> Template:
    return page(request, "pages/about.html", {})


def article_sources() -> tuple[dict[str, str], ...]:
    """Each source article: the plain name results cite it by, and its original title."""
    return tuple(
        {
            "anchor": f"article-{key}",
            "name": entry["name"],
            "original_title": entry.get("original_title") or N_("No title (an untitled post)"),
            "file": entry["file"],
        }
        for key, entry in sorted(articles().items())
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
def erase(request: Request, settings: AppSettings) -> Redirect:
    """Forget everything this browser told us: answers, shortlist, prep sheet. The session lives
    only in the encrypted cookie, so clearing it leaves nothing behind on the server.

    The browser lands on a plain "/" that says it is done. ``Clear-Site-Data`` drops any cookie
    set beside it, so the note is set one redirect later, by /erase/done (a redirect leaves no
    entry in the history), which takes only a fresh proof that this response sent it there."""
    request.clear_session()
    token = moment_token(settings.secret_key, ERASED, time.time())
    return Redirect(path=f"/erase/done?t={token}", status_code=303, headers=CLEAR_SITE_DATA)


@get("/erase/done", name="erased", include_in_schema=False, sync_to_thread=False)
def erased(request: Request, settings: AppSettings) -> Redirect:
    token = request.query_params.get("t") or ""
    fresh = moment_is_fresh(settings.secret_key, ERASED, token, time.time(), ERASED_SECONDS)
    cookies = [_notice(settings, "1")] if fresh else []
    return Redirect(
        path="/", status_code=303, headers={"cache-control": "no-store"}, cookies=cookies
    )


@get("/exit", name="quick-exit", include_in_schema=False, sync_to_thread=False)
def quick_exit(request: Request, settings: AppSettings) -> Response:
    """The quick exit: erase the session, then leave for the neutral site. The link goes here
    without JavaScript; with it, quick-exit.js asks for this in the background while the tab
    is replaced by the neutral site. Erasing needs no token: it is all this does."""
    request.clear_session()
    if request.headers.get("x-quick-exit") == "1":  # the background request: no redirect
        return Response(content=b"", status_code=204, headers=CLEAR_SITE_DATA)
    return Redirect(path=settings.quick_exit_url, status_code=303, headers=CLEAR_SITE_DATA)
