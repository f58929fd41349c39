"""Security headers, the content security policy, sessions and CSRF.

Every response (pages, JSON, static files and error pages) passes through
``add_security_headers``, an app-level ``before_send`` hook: plain middleware would not see
router-level 404s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotFoundException
from litestar.middleware.session.client_side import (
    ClientSideSessionBackend,
    CookieBackendConfig,
)
from litestar.serialization import encode_json
from litestar.types import Empty, Message, Scope, ScopeSession
from litestar.utils.scope.state import ScopeState

from portal.settings import Settings
from portal.web.session import well_formed

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
    ]
)

BASE_HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "cross-origin-resource-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

HSTS = "max-age=31536000; includeSubDomains"


def security_headers_hook(settings: Settings):  # type: ignore[no-untyped-def]
    headers = dict(BASE_HEADERS)
    if settings.hsts:
        headers["strict-transport-security"] = HSTS
    encoded = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        # One pass over the response's headers, where a value the response already has wins
        # (MutableScopeHeaders would decode every header twice per name: 56 µs against 9).
        out = MutableScopeHeaders.from_message(message).headers
        present = {name.lower() for name, _ in out}
        out.extend(pair for pair in encoded if pair[0] not in present)
        if b"set-cookie" in present or _is_page(out):
            for_one_browser(out)

    return add_security_headers


def _is_page(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in headers)


def for_one_browser(headers: list[tuple[bytes, bytes]]) -> None:
    """A response that sets a cookie, or a page (its forms carry the browser's CSRF token), is
    never stored by a shared cache: ``public`` becomes ``private`` (the browser may still keep
    it), and one without ``Cache-Control`` is marked ``private`` (a file with
    ``Last-Modified`` could otherwise be cached by heuristics)."""
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"cache-control":
            parts = [p.strip() for p in value.split(b",")]
            kept = [p for p in parts if p and p != b"public" and not p.startswith(b"s-maxage")]
            if b"private" not in kept and b"no-store" not in kept:
                kept.insert(0, b"private")
            headers[i] = (name, b", ".join(kept))
            return
    headers.append((b"cache-control", b"private"))


def derive_key(secret: str, purpose: str, length: int = 32) -> bytes:
    """Independent keys for the session cipher and CSRF tokens from one configured secret."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()[:length]


def moment_token(secret: str, purpose: str, now: float) -> str:
    """A short proof that this app issued something at ``now`` (for a one-step redirect)."""
    stamp = str(int(now))
    mac = hmac.new(derive_key(secret, purpose), stamp.encode(), hashlib.sha256).hexdigest()
    return f"{stamp}.{mac[:32]}"


def moment_is_fresh(secret: str, purpose: str, token: str, now: float, seconds: int) -> bool:
    stamp, _, _mac = token.partition(".")
    if not stamp.isdigit() or not 0 <= now - int(stamp) <= seconds:
        return False
    return hmac.compare_digest(moment_token(secret, purpose, int(stamp)), token)


class BrowserSessionBackend(ClientSideSessionBackend):
    """The encrypted cookie session, sent without Max-Age so that the browser drops it when it
    closes. The idle timeout is enforced by the expiry sealed inside the encrypted value.

    The cookie is sent only when it must be: when the session changed, to renew the expiry on
    a private (``no-store``) page, or to clear a cookie that does not decode. A public page, a
    static file, the API or an export never carries it, so no cache can hand one person's
    session to another. Any cookie that does not decode (random bytes, a foreign key, JSON that
    is not a session) is an empty session, cleared in the response: never an error.
    """

    def __init__(self, config: CookieBackendConfig) -> None:
        super().__init__(config)
        self._set_cookie_params = {
            k: v for k, v in self._set_cookie_params.items() if k != "max_age"
        }
        # Litestar clears an unused session cookie with "expires=<now>", which a browser may
        # keep for the rest of that second. When a session grows from one cookie to several
        # (a saved prep sheet does), the next request could then send both, fail to decrypt
        # and empty the session. Max-Age=0 deletes the old cookie at once.
        self._clear_cookie_params = {**self._clear_cookie_params, "max_age": 0}

    def get_cookie_keys(self, connection: ASGIConnection) -> list[str]:
        """The session cookies to read: never a cleared ("null") one, and the numbered chunks
        rather than a stale single cookie left beside them."""
        keys = [k for k in super().get_cookie_keys(connection) if connection.cookies[k] != "null"]
        chunks = [k for k in keys if k != self.config.key]
        return chunks or keys

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        keys = self.get_cookie_keys(connection)
        loaded: Any = {}
        if keys:
            try:
                loaded = self.load_data([connection.cookies[k].encode("utf-8") for k in keys])
            except Exception:  # whatever the browser sent, it is no session
                loaded = None
            if not well_formed(loaded):
                loaded = {}
                connection.scope[_MALFORMED] = True  # type: ignore[literal-required]
        connection.scope[_LOADED] = encode_json(loaded) if loaded else b""  # type: ignore[literal-required]
        return loaded

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        scope = connection.scope
        session = scope_session if scope_session and scope_session is not Empty else {}
        serialized = encode_json(session) if session else b""
        present = self.get_cookie_key_set(connection)
        changed = serialized != scope.get(_LOADED, b"")
        renew = bool(session) and _is_private(message)
        stale = bool(present) and not session  # expired or erased
        if changed or renew or stale or scope.get(_MALFORMED):
            await super().store_in_message(session, message, connection)


_LOADED = "portal.session_loaded"
_MALFORMED = "portal.session_malformed"


def _is_private(message: Message) -> bool:
    for name, value in message.get("headers", ()):
        if name.lower() == b"cache-control":
            return b"no-store" in value
    return False


class SessionConfig(CookieBackendConfig):
    _backend_class = BrowserSessionBackend  # type: ignore[assignment]


def session_config(settings: Settings) -> CookieBackendConfig:
    return SessionConfig(
        secret=derive_key(settings.secret_key, "session"),
        key="__Host-portal" if settings.production else "portal",
        max_age=settings.session_idle_minutes * 60,
        httponly=True,
        secure=settings.production,
        samesite="lax",
        path="/",
    )


def csrf_cookie_name(settings: Settings) -> str:
    return "__Host-csrf" if settings.production else "csrf"


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=derive_key(settings.secret_key, "csrf").hex(),
        cookie_name=csrf_cookie_name(settings),
        cookie_httponly=True,
        cookie_secure=settings.production,
        cookie_samesite="lax",
        header_name="x-csrftoken",
        # Stateless JSON endpoints that read no cookie and change nothing, and the quick
        # exit, which only erases (it must work from any page, token or not). The API (its
        # one POST is the stateless assess), static files and /healthz hold no form, so they
        # get no CSRF cookie either: a response a shared cache may keep sets no cookie.
        exclude=["^/api/", "^/static/", "^/healthz$", "^/exit$"],
    )


def keep_csrf_token(request: Request[Any, Any, Any]) -> None:
    """Give an error page's forms ("Erase everything", "Try again") the browser's CSRF token.

    A routing 404, a rate-limited or an oversized request is answered before the CSRF
    middleware has run, so the template would otherwise render an empty token and erasing from
    that page would fail. The token is the cookie's own value, as the middleware would use.
    """
    state = ScopeState.from_scope(request.scope)
    if state.csrf_token is Empty or not state.csrf_token:
        settings = request.app.state.get("settings")
        name = csrf_cookie_name(settings) if isinstance(settings, Settings) else "csrf"
        cookie = request.cookies.get(name)
        if cookie:
            state.csrf_token = cookie


def no_control_characters(connection: ASGIConnection, _handler: object) -> None:
    """A static-file guard: a path with a NUL or another control character, or a name longer
    than any file system allows, names no file (and would make the file-system call raise), so
    it is a 404, not a 500."""
    path = connection.url.path
    if (
        len(path) > 1024
        or any(len(part) > 255 for part in path.split("/"))
        or any(ord(c) < 32 or ord(c) == 127 for c in path)
    ):
        raise NotFoundException("We could not find that file.")


@cache
def subresource_integrity(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()
