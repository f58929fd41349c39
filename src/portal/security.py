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

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware.session.client_side import (
    ClientSideSessionBackend,
    CookieBackendConfig,
)
from litestar.types import Message, Scope

from portal.settings import Settings

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

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        out = MutableScopeHeaders.from_message(message)
        for name, value in headers.items():
            if name not in out:
                out[name] = value

    return add_security_headers


def derive_key(secret: str, purpose: str, length: int = 32) -> bytes:
    """Independent keys for the session cipher and CSRF tokens from one configured secret."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()[:length]


class BrowserSessionBackend(ClientSideSessionBackend):
    """The encrypted cookie session, sent without Max-Age so that the browser drops it when it
    closes. The idle timeout is enforced by the expiry sealed inside the encrypted value, which
    every response renews."""

    def __init__(self, config: CookieBackendConfig) -> None:
        super().__init__(config)
        self._set_cookie_params = {
            k: v for k, v in self._set_cookie_params.items() if k != "max_age"
        }


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


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=derive_key(settings.secret_key, "csrf").hex(),
        cookie_name="__Host-csrf" if settings.production else "csrf",
        cookie_httponly=True,
        cookie_secure=settings.production,
        cookie_samesite="lax",
        header_name="x-csrftoken",
        # Stateless JSON endpoints that read no cookie and change nothing.
        exclude=["/api/readiness/assess"],
    )


@cache
def subresource_integrity(path: Path) -> str:
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()
