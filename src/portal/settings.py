"""One frozen Settings object, read from the environment once at start-up."""

from __future__ import annotations

import logging
import math
import os
import secrets
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger("portal")

DEV_SECRET = "dev-only-secret-change-me-in-production-0000000000"
"""A value once written in this source: anyone could decrypt its cookies, so production
refuses it."""

MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 80
"""The least estimated entropy of a production key. A random 32-character hex key estimates
at about 118 bits (rarely under 96), `secrets.token_urlsafe(48)` at over 300; 48 repeated
letters at 0, "prod-" and 59 repeated letters at 37."""

KEY_FILE_NAME = "portal.secret-key"


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
    # Empty: no PORTAL_SECRET_KEY; the app reads (or first creates) a key file instead.
    secret_key: str = ""
    secret_key_file: str | None = None
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
            secret_key=env.get("PORTAL_SECRET_KEY") or "",
            secret_key_file=env.get("PORTAL_SECRET_KEY_FILE") or None,
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


def _estimated_bits(text: str) -> float:
    """A rough entropy estimate: the text's length times the Shannon entropy of its characters,
    or of the steps between neighbouring characters where those vary less (a run such as
    "abcdef..." or a repeated block has varied characters but predictable steps)."""

    def per_symbol(symbols: list[int] | str) -> float:
        counts = Counter(symbols)
        n = len(symbols)
        return -sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0

    steps = [ord(b) - ord(a) for a, b in pairwise(text)]
    return len(text) * min(per_symbol(text), per_symbol(steps))


def secret_problem(key: str) -> str | None:
    """Why ``key`` is not fit for production, or None."""
    if key == DEV_SECRET:
        return "is the value published in portal's source"
    if len(key) < MIN_SECRET_LENGTH:
        return f"is too short ({len(key)} characters; use at least {MIN_SECRET_LENGTH})"
    if _estimated_bits(key) < MIN_SECRET_BITS:
        return "is too predictable (repeated or too few different characters)"
    return None


def key_file(settings: Settings) -> Path:
    """Where the generated key lives: PORTAL_SECRET_KEY_FILE, else beside the SQLite database,
    else (another database, or SQLite in memory) in the working directory."""
    if settings.secret_key_file:
        return Path(settings.secret_key_file)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".secret-key")
    return Path.cwd() / KEY_FILE_NAME


def load_or_create_key(path: Path) -> str:
    """The key in ``path``, written first (mode 0600) when there is none. Every process of a
    multi-worker start reads the same key: the file appears at once with its whole content (a
    private temporary file hard-linked into place, which fails if another process was first)."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return _read_key(path)
    finally:
        temporary.unlink(missing_ok=True)
    log.warning(
        "portal: PORTAL_SECRET_KEY is not set; generated a secret key for sessions in %s "
        "(mode 0600, reused on every start; keep it private)",
        path,
    )
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise SystemExit(f"portal: the secret key file {path} is empty; delete it or fill it.")
    return key


def with_secret_key(settings: Settings) -> Settings:
    """Settings with the key sessions and CSRF tokens are sealed with; raises SystemExit with
    one line when production mode has none or a weak one."""
    if settings.production:
        problem = "is not set" if not settings.secret_key else secret_problem(settings.secret_key)
        if problem:
            raise SystemExit(
                f"portal: PORTAL_SECRET_KEY {problem}; production needs a long random value, "
                "such as the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        return settings
    if settings.secret_key:
        return settings
    return replace(settings, secret_key=load_or_create_key(key_file(settings)))
