"""A rate limit on POST requests, per client address, with an accurate ``Retry-After``.

Fixed one-minute windows: per address, a count and the moment its window ends. Each POST
costs one dictionary lookup, and memory holds one small entry per address seen in the last
minute (expired entries are dropped as the table grows). Litestar's own middleware keeps every
request's timestamp for the window and re-encodes that list on each request, which grows
with traffic from one address (a proxy, an office) and costs the more the busier it is.

The count lives in this process only (right for one process over SQLite; several processes
or hosts need a limit at the proxy, or a shared store). Only POSTs count: reading pages is
never limited, and "Erase everything" is never refused. Behind a reverse proxy the client
address must come from the proxy (uvicorn ``--proxy-headers`` with ``--forwarded-allow-ips``);
otherwise every visitor shares the proxy's address.
"""

from __future__ import annotations

import math
import time
from contextlib import suppress
from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.settings import Settings

NEVER_LIMITED = frozenset({"/erase"})
FORM_TYPES = frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART})
WINDOW_SECONDS = 60.0
PRUNE_AT = 10_000  # addresses held before expired windows are swept


class Windows:
    """The counts of one app (Litestar builds a middleware instance per route; they share
    this)."""

    def __init__(self, per_minute: int, window_seconds: float = WINDOW_SECONDS) -> None:
        self.per_minute = per_minute  # per window (of a minute unless window_seconds says)
        self.window_seconds = window_seconds
        self.open: dict[str, list[float]] = {}  # address -> [window end, count]

    def refused_for(self, address: str) -> float | None:
        """Seconds until ``address`` may POST again, or None to let this request through."""
        now = time.monotonic()
        window = self.open.get(address)
        if window is None or window[0] <= now:
            if len(self.open) >= PRUNE_AT:
                self.open = {k: w for k, w in self.open.items() if w[0] > now}
            window = self.open[address] = [now + self.window_seconds, 0]
        window[1] += 1
        return window[0] - now if window[1] > self.per_minute else None


class PostRateLimit:
    def __init__(self, app: ASGIApp, windows: Windows) -> None:
        self.app = app
        self.windows = windows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] in NEVER_LIMITED:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.windows.refused_for(client[0] if client else "")
        if wait is None:
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope, receive)
        # Read the form (within the body cap) so that the 429 page can give back everything
        # that was typed, with a "Try again" button.
        if request.content_type[0] in FORM_TYPES:
            with suppress(Exception):
                await request.form()
        raise TooManyRequestsException(
            detail="Too many requests", headers={"retry-after": str(max(1, math.ceil(wait)))}
        )


def rate_limit_middleware(settings: Settings) -> DefineMiddleware | None:
    """The middleware for ``settings``, or None when the limit is off (0)."""
    per_minute = settings.rate_limit_posts_per_minute
    if per_minute <= 0:
        return None
    return DefineMiddleware(PostRateLimit, windows=Windows(per_minute))
