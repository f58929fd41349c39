"""One frozen Settings object, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEV_SECRET = "dev-only-secret-change-me-in-production-0000000000"


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'portal.db'}"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    secret_key: str = DEV_SECRET
    production: bool = False
    session_idle_minutes: int = 30
    freshness_days: int = 180
    host: str = "127.0.0.1"
    port: int = 8000
    hsts: bool = False
    # Where the quick-exit control sends people: a neutral, everyday site.
    quick_exit_url: str = "https://www.weather.gov/"
    log_requests: bool = True
    # POSTs a client (by IP address) may send per minute; 0 turns the limit off.
    rate_limit_posts_per_minute: int = 60
    # Largest request body accepted, in bytes (forms and JSON); larger bodies get a 413 page.
    max_body_bytes: int = 256 * 1024

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            secret_key=env.get("PORTAL_SECRET_KEY") or DEV_SECRET,
            production=_bool("PORTAL_PRODUCTION", False),
            session_idle_minutes=int(env.get("PORTAL_SESSION_IDLE_MINUTES", "30")),
            freshness_days=int(env.get("PORTAL_FRESHNESS_DAYS", "180")),
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8000")),
            hsts=_bool("PORTAL_HSTS", False),
            quick_exit_url=env.get("PORTAL_QUICK_EXIT_URL", "https://www.weather.gov/"),
            log_requests=_bool("PORTAL_ACCESS_LOG", True),
            rate_limit_posts_per_minute=int(env.get("PORTAL_RATE_LIMIT_POSTS", "60")),
            max_body_bytes=int(env.get("PORTAL_MAX_BODY_BYTES", str(256 * 1024))),
        )
