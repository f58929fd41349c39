"""The access log, and logging that cannot leak what people typed.

One line per request: method, path, status and duration. Never a query string (directory
filters such as ``specialty=domestic-violence`` can be as revealing as answers), never a body,
a cookie, a header, the client's address or its user agent. Paths are escaped so that a crafted
URL cannot forge log lines.

Errors are logged by type and stack frames only: an exception's message can quote the input
that caused it (SQLAlchemy errors carry the SQL parameters, for example), so it is left out.
"""

from __future__ import annotations

import logging
import re
import traceback
from time import perf_counter

from litestar.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "portal.access"
PATH_MAX = 200

_UNSAFE = re.compile(r"[^\x21-\x7e]")


def loggable(text: str, limit: int = PATH_MAX) -> str:
    """Printable ASCII only: anything else (spaces, newlines, control and non-ASCII characters)
    becomes a visible escape, and long values are cut."""
    escaped = _UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text[:limit],
    )
    return escaped + ("..." if len(text) > limit else "")


class AccessLog:
    """ASGI wrapper that logs one line per HTTP request after the response has been sent.

    It wraps the application's whole ASGI handler (see ``app.create_app``), so it sees routing
    404s, static files and error pages too.
    """

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.log = logger or logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self.log.info(
                "%s %s %s %.1fms",
                loggable(str(scope.get("method", "-")), 12),
                loggable(str(scope.get("path", "-"))),
                status or 500,
                (perf_counter() - start) * 1000,
            )


def log_error_safely(logger: logging.Logger, exc: BaseException, method: str, path: str) -> None:
    """Log an unhandled error by its type and stack (file, line, function), never its message
    or local values, which may quote what a person typed."""
    frames = traceback.extract_tb(exc.__traceback__)
    stack = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in reversed(frames[-12:])
    )
    logger.error(
        "unhandled %s on %s %s at %s",
        type(exc).__name__,
        loggable(method, 12),
        loggable(path),
        stack or "?",
    )
