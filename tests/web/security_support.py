"""Shared pieces of the security, privacy and fault tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, inspect, text

from portal.app import create_app
from portal.prep.fields import TEXTS
from portal.settings import Settings
from tests.web.helpers import csrf_token


def app_with(settings: Settings, engine: Engine | None = None, **changes: Any) -> Litestar:
    """A separate app instance (its own rate-limit store) with some settings changed."""
    return create_app(replace(settings, **changes), engine)


@contextmanager
def client_for(app: Litestar) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def copy_db(seeded_db: Path, folder: Path) -> Path:
    """A private copy of the seeded database, for tests that break it."""
    target = folder / "portal.db"
    shutil.copyfile(seeded_db, target)
    return target


def prep_form(marker: str) -> dict[str, str]:
    """Every free-text field of the prep form, each with the marker in it."""
    return {spec.name: f"{marker} {spec.name}"[: spec.cap] for spec in TEXTS}


def post_prep(client: TestClient, data: dict[str, Any], **kwargs: Any):
    token = csrf_token(client, "/prep")
    return client.post("/prep", data={**data, "_csrf_token": token}, **kwargs)


ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
sqlite_file_only = pytest.mark.skipif(
    ON_POSTGRES,
    reason="works on the SQLite file itself; tests/web/test_postgres_recovery.py covers PostgreSQL",
)


def database_dump(engine: Engine) -> str:
    """Every row of every table, as one string."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{table}"'))
            parts.extend(str(row) for row in rows)
    return "\n".join(parts)


PARAM_EXAMPLES = {"step_id": "start", "file_path": "css/site.css", "path": "openapi.json"}
STATIC_FILES = (
    "/static/css/site.css",
    "/static/css/print.css",
    "/static/js/quick-exit.js",
    "/static/vendor/htmx-2.0.11.min.js",
    "/static/favicon.svg",
)


def routes(app: Litestar, method: str) -> list[str]:
    """Every route path that answers ``method``, with its path parameters left in."""
    return sorted(route.path for route in app.routes if method in getattr(route, "methods", set()))


def fill(path: str, slug: str) -> str:
    """A route path with an example value for each path parameter."""
    out = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1].split(":")[0]
            out.append(slug if name == "slug" else PARAM_EXAMPLES.get(name, "example"))
        else:
            out.append(part)
    return "/".join(out) or "/"


def every_get_url(app: Litestar, slug: str) -> list[str]:
    """Every page, API and static URL, plus a 404 for a page and for the API."""
    urls = {fill(path, slug) for path in routes(app, "GET")}
    urls |= set(STATIC_FILES) | {"/no-such-page", "/api/counselors/no-such-slug", "/static/nope"}
    from portal.readiness import load_questionnaire

    urls |= {f"/readiness/step/{step.id}" for step in load_questionnaire().steps}
    return sorted(urls)


def first_slug(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT slug FROM listing ORDER BY slug LIMIT 1")).scalar())
