"""Application assembly: settings, database, templates, routes, security and error pages."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from litestar import Litestar, MediaType, Request, Response
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.logging.config import LoggingConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.htmx import HTMXPlugin, HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from portal import __version__
from portal.accesslog import AccessLog, log_error_safely
from portal.db import make_engine
from portal.directory import bitmaps
from portal.directory.filters import US_STATES
from portal.directory.query import warm_availability_tiers
from portal.faults import body_too_large, database_unavailable, too_many_requests
from portal.i18n import N_
from portal.paths import STATIC_DIR, TEMPLATES_DIR
from portal.prep.sheet import first_sentence
from portal.ratelimit import Windows, rate_limit_middleware
from portal.resources import crisis_lines
from portal.security import (
    csrf_config,
    keep_csrf_token,
    no_control_characters,
    security_headers_hook,
    session_config,
    subresource_integrity,
)
from portal.settings import Settings, with_secret_key
from portal.web.api import CounselorApi, healthz
from portal.web.assets import asset, cache_static
from portal.web.availability import (
    ONE_REPORT_SECONDS,
    REPORTS_PER_HOUR,
    AvailabilityController,
)
from portal.web.deps import provide_db, provide_settings
from portal.web.directory import DirectoryController
from portal.web.head import HeadAsGet
from portal.web.locale import setup_jinja, switch_language
from portal.web.opendata import OpenDataApi
from portal.web.outreach import change_reach_out
from portal.web.pages import (
    about,
    erase,
    erased,
    help_lines,
    home,
    privacy,
    quick_exit,
    sources,
)
from portal.web.prep import PrepController
from portal.web.readiness import ReadinessApi, ReadinessController
from portal.web.rendering import breakable
from portal.web.shortlist import ShortlistController

log = logging.getLogger("portal")


@lru_cache(maxsize=64)
def _sri(path: str) -> str:
    return subresource_integrity(STATIC_DIR / path)


def configure_jinja(settings: Settings):  # type: ignore[no-untyped-def]
    def callback(engine: JinjaTemplateEngine) -> None:
        env: Environment = engine.engine
        env.globals.update(
            static=asset,
            asset=asset,
            sri=_sri,
            crisis=crisis_lines,
            quick_exit_url=settings.quick_exit_url,
            freshness_days=settings.freshness_days,
            us_states=sorted(US_STATES),
            version=__version__,
        )
        env.filters["first_sentence"] = first_sentence
        env.filters["breakable"] = breakable
        env.trim_blocks = True
        env.lstrip_blocks = True
        # Templates are read once: checking each file's mtime on every render costs a stat
        # per template per request. Restart the server after editing a template.
        env.auto_reload = False
        setup_jinja(env)

    return callback


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _friendly(message: str) -> str:
    """Litestar's type errors, in words a person reads."""
    if message.startswith("Expected `int"):
        return N_("must be a whole number.")
    if message.startswith("Expected `bool"):
        return N_("must be true or false (1 or 0).")
    return message


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = with_secret_key(settings or Settings.from_env())
    engine = engine or make_engine(settings.database_url)

    def not_found(request: Request, exc: NotFoundException) -> Response[Any]:
        return error_page(
            request,
            404,
            N_("Page not found"),
            str(exc.detail)
            if exc.detail and exc.detail != "Not Found"
            else N_("We could not find that page. The link may be old or mistyped."),
        )

    def http_error(request: Request, exc: HTTPException) -> Response[Any]:
        if _wants_json(request):
            body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.detail}
            if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
                body["errors"] = {
                    str(e.get("key", "")): _friendly(str(e.get("message", "")))
                    for e in exc.extra
                    if isinstance(e, dict)
                }
            elif isinstance(exc.extra, dict):
                body.update(exc.extra)
            return Response(body, status_code=exc.status_code, headers=exc.headers)
        return error_page(request, exc.status_code, N_("Something was not right"), str(exc.detail))

    def db_unavailable(request: Request, exc: OperationalError) -> Response[Any]:
        # The type only: the message of a SQLAlchemy error carries the query's parameters.
        log.error("database unavailable: %s", type(exc.orig or exc).__name__)
        return database_unavailable(request)

    def rate_limited(request: Request, exc: TooManyRequestsException) -> Response[Any]:
        retry = (exc.headers or {}).get("retry-after", "60")
        return too_many_requests(request, int(retry) if retry.isdigit() else 60)

    def too_large(request: Request, exc: RequestEntityTooLarge) -> Response[Any]:
        return body_too_large(request, settings.max_body_bytes)

    def too_deep(request: Request, exc: RecursionError) -> Response[Any]:
        # JSON nested thousands of levels deep exhausts the decoder's recursion: bad input.
        if request.method == "POST" and _wants_json(request):
            detail = "The JSON body is nested too deeply."
            return Response({"status_code": 400, "detail": detail}, status_code=400)
        return server_error(request, exc)

    def server_error(request: Request, exc: Exception) -> Response[Any]:
        log_error_safely(log, exc, request.method, request.url.path)
        return error_page(
            request, 500, N_("Something went wrong"), N_("Sorry, something broke on our side.")
        )

    def error_page(request: Request, status: int, title: str, message: str) -> Response[Any]:
        keep_csrf_token(request)
        if _wants_json(request):
            return Response({"status_code": status, "detail": message}, status_code=status)
        return Template(
            template_name="errors/error.html",
            context={"status": status, "title": title, "message": message},
            status_code=status,
            headers={"cache-control": "no-store"},
            media_type=MediaType.HTML,
        )

    rate_limit = rate_limit_middleware(settings)
    app = Litestar(
        route_handlers=[
            home,
            help_lines,
            about,
            sources,
            privacy,
            erase,
            erased,
            quick_exit,
            switch_language,
            healthz,
            DirectoryController,
            ShortlistController,
            change_reach_out,
            AvailabilityController,
            CounselorApi,
            ReadinessController,
            ReadinessApi,
            PrepController,
            OpenDataApi,
            create_static_files_router(
                path="/static",
                directories=[STATIC_DIR],
                include_in_schema=False,
                guards=[no_control_characters],
                middleware=[cache_static],
            ),
        ],
        dependencies={
            "db": Provide(provide_db),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "report_windows": Windows(REPORTS_PER_HOUR, window_seconds=3600),
                "report_once": Windows(1, window_seconds=ONE_REPORT_SECONDS),
            }
        ),
        # The directory's bitmaps are built before the first request, and again in the
        # background whenever the data version changes (directory/bitmaps.py).
        on_startup=[lambda: bitmaps.serve(engine), lambda: warm_availability_tiers(engine)],
        template_config=TemplateConfig(
            directory=TEMPLATES_DIR,
            engine=JinjaTemplateEngine,
            engine_callback=configure_jinja(settings),
        ),
        plugins=[HTMXPlugin()],
        request_class=HTMXRequest,
        middleware=[
            *([rate_limit] if rate_limit else []),
            session_config(settings).middleware,
        ],
        request_max_body_size=settings.max_body_bytes,
        csrf_config=csrf_config(settings),
        before_send=[security_headers_hook(settings)],
        exception_handlers={
            NotFoundException: not_found,
            TooManyRequestsException: rate_limited,
            RequestEntityTooLarge: too_large,
            HTTPException: http_error,
            OperationalError: db_unavailable,
            RecursionError: too_deep,
            Exception: server_error,
        },
        openapi_config=OpenAPIConfig(
            title="portal API",
            version=__version__,
            description="The counselor directory and the readiness rules. All listings are "
            "fictional sample data.",
            path="/api/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        # Level 6 (zlib's own default) compresses a results page within 1% of level 9,
        # Litestar's default, in 80% of the time.
        compression_config=CompressionConfig(
            backend="gzip",
            minimum_size=1024,
            gzip_compress_level=6,
            exclude_opt_key="no_compression",
        ),
        logging_config=LoggingConfig(
            root={"level": "INFO", "handlers": ["queue_listener"]},
            log_exceptions="never",
        ),
        debug=False,
    )
    app.asgi_handler = HeadAsGet(app.asgi_handler)
    if settings.log_requests:
        # Around the whole ASGI handler, so routing 404s and static files are logged too.
        app.asgi_handler = AccessLog(app.asgi_handler)
    return app
