"""Plain pages: home, help lines, about the data, privacy, and "erase everything"."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.web.rendering import page


@get("/", name="home", include_in_schema=False, sync_to_thread=False)
def home(request: HTMXRequest) -> Template:
    return page(request, "pages/home.html", {"erased": request.query_params.get("erased")})


@get("/help", name="help", include_in_schema=False, sync_to_thread=False)
def help_lines(request: HTMXRequest) -> Template:
    return page(request, "pages/help.html", {})


@get("/about", name="about", include_in_schema=False, sync_to_thread=False)
def about(request: HTMXRequest) -> Template:
    return page(request, "pages/about.html", {})


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
