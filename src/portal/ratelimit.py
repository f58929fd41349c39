"""A rate limit on POST requests, per client address, with an accurate ``Retry-After``.

Built on Litestar's ``RateLimitMiddleware`` and its in-memory store: the count lives in this
process only (right for one process over SQLite; several processes or hosts need a shared store
such as Redis, or a limit at the proxy). Only POSTs count: reading pages is never limited, and
"Erase everything" is never refused. Behind a reverse proxy the client address must come from
the proxy (uvicorn ``--proxy-headers`` with ``--forwarded-allow-ips``); otherwise every visitor
shares the proxy's address.
"""

from __future__ import annotations

from contextlib import suppress
from time import time
from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.types import Receive, Scope, Send

from portal.settings import Settings

NEVER_LIMITED = frozenset({"/erase"})
FORM_TYPES = frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART})


def _counts(request: Request[Any, Any, Any]) -> bool:
    return request.method == "POST" and request.url.path not in NEVER_LIMITED


class PostRateLimit(RateLimitMiddleware):
    """Litestar's middleware, answering 429 with ``Retry-After`` (seconds until the window
    resets) and adding no headers to the requests it lets through."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope, receive)
        if await self.should_check_request(request=request):
            store = self.config.get_store_from_app(app)
            key = self.cache_key_from_request(request)
            async with self._lock:
                cached = await self.retrieve_cached_history(key, store)
                refuse = len(cached.history) >= self.max_requests
                if not refuse:
                    await self.set_cached_history(key=key, cache_object=cached, store=store)
            if refuse:
                wait = max(1, cached.reset - int(time()))
                # Read the form (within the body cap) so that the 429 page can give back
                # everything that was typed, with a "Try again" button.
                if request.content_type[0] in FORM_TYPES:
                    with suppress(Exception):
                        await request.form()
                raise TooManyRequestsException(
                    detail="Too many requests", headers={"retry-after": str(wait)}
                )
        await self.app(scope, receive, send)


def rate_limit_middleware(settings: Settings) -> DefineMiddleware | None:
    """The middleware for ``settings``, or None when the limit is off (0)."""
    per_minute = settings.rate_limit_posts_per_minute
    if per_minute <= 0:
        return None
    return RateLimitConfig(
        rate_limit=("minute", per_minute),
        check_throttle_handler=_counts,
        middleware_class=PostRateLimit,
        set_rate_limit_headers=False,
        store="post_rate_limit",
    ).middleware
