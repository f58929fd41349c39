"""Fingerprinted static files: every URL a template writes for a file under static/ carries a
hash of the file's bytes (``/static/css/site.css?v=<hash>``), computed once at start-up. A
request whose fingerprint matches the file is cached for a year as immutable; any other (an
old, a missing or a wrong fingerprint) must be revalidated, so a changed file is never stale.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from portal.paths import STATIC_DIR

PREFIX = "/static/"
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"


@cache
def fingerprints(root: Path = STATIC_DIR) -> dict[str, str]:
    """Path under static/ -> the first 16 hex digits of the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def asset(path: str) -> str:
    """The URL of a file under static/, with its fingerprint."""
    return f"{PREFIX}{path}?v={fingerprints()[path]}"


def cache_static(app: ASGIApp) -> ASGIApp:
    """Router middleware for /static: Cache-Control by fingerprint."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"].removeprefix(PREFIX)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        current = fingerprints().get(path)
        fresh = current is not None and query.get("v") == [current]

        async def with_cache_control(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"cache-control"]
                headers.append((b"cache-control", IMMUTABLE if fresh else REVALIDATE))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, with_cache_control)

    return middleware
