"""What a person types never reaches a log line, a URL, the database or a shared cache.

The questionnaire is completed (``walk``) and the prep sheet saved with a marker string in every
free-text field; then every log record, everything written to stdout/stderr, every URL the
client was sent to (redirects, ``Location``, ``hx-push-url``, ``hx-redirect``, links and form
actions in the pages) and every row of the database is searched for the marker. Once in
process (all loggers at DEBUG) and once against a real ``python -m portal serve``.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.accesslog import loggable
from portal.settings import Settings
from tests.readiness_answers import V2
from tests.web.helpers import soup
from tests.web.security_support import (
    app_with,
    client_for,
    copy_db,
    database_dump,
    post_prep,
    prep_form,
    sqlite_file_only,
)
from tests.web.test_readiness_pages import walk

MARKER = "zq7-privacy-marker"
URL_HEADERS = ("location", "hx-push-url", "hx-redirect", "hx-location", "content-location")


class Urls:
    """Every URL a response pointed the browser to, and whether private pages were cacheable."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.cacheable_with_marker: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        self.seen.append(str(response.request.url))
        self.seen.extend(response.headers.get(h, "") for h in URL_HEADERS)
        response.read()
        body = response.text
        if MARKER in body and "no-store" not in response.headers.get("cache-control", ""):
            self.cacheable_with_marker.append(str(response.request.url))
        if "html" in response.headers.get("content-type", ""):
            page = soup(body)
            for tag in page.find_all(True):
                for attr in ("href", "src", "action", "hx-get", "hx-post", "hx-push-url"):
                    if tag.has_attr(attr):
                        self.seen.append(str(tag[attr]))


def use_everything(client: httpx.Client | TestClient, urls: Urls) -> None:
    """Complete the questionnaire, shortlist a counselor, save and view the prep sheet, all with
    the marker in every free-text field."""
    client.event_hooks = {"request": [], "response": [urls.hook]}
    result = walk(client, {**V2, "F1": f"{MARKER} he shouts at me"})
    assert str(result.url).endswith("/readiness/result")
    listing = soup(client.get("/counselors").text).select_one("a[href^='/counselors/']")
    slug = str(listing["href"]).rsplit("/", 1)[-1]
    client.post(
        "/shortlist",
        data={"slug": slug, "_csrf_token": client.cookies.get("csrf")},
    )
    saved = post_prep(client, {**prep_form(MARKER), "counselor": slug, "inc_bg": "1"})
    assert str(saved.url).endswith("/prep/sheet"), saved.text[:300]
    assert MARKER in saved.text, "the sheet shows what was typed"
    form = client.get("/prep")
    assert MARKER in form.text
    # A second answer to a step, sent by htmx, and an invalid one shown back to the person.
    again = client.post(
        "/readiness/step/impact",
        data={"F1": f"{MARKER} " + "x" * 1200},
        headers={"HX-Request": "true", "x-csrftoken": client.cookies.get("csrf", "")},
    )
    assert again.status_code == 200 and MARKER in again.text
    for path in ("/readiness", "/readiness/result", "/shortlist", "/prep/sheet", "/prep/blank"):
        client.get(path)


def assert_private(urls: Urls, logs: str, engine: Engine) -> None:
    assert urls.seen, "the URLs were recorded"
    assert [u for u in urls.seen if MARKER in u] == []
    assert urls.cacheable_with_marker == []
    assert MARKER not in logs
    assert MARKER not in database_dump(engine)


def written_out() -> None:
    """Wait until the logging queue's listener has written out every record logged so far."""
    for handler in logging.getLogger().handlers:
        queue = getattr(handler, "queue", None)
        if queue is not None and hasattr(queue, "join"):
            queue.join()


class Collect(logging.Handler):
    """Every record, from every logger: attached to the root and to each logger that does not
    propagate, at DEBUG, after the app configured logging (Litestar's dictConfig replaces the
    root handlers, pytest's caplog among them)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self._attached: list[tuple[logging.Logger, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        formatted = logging.Formatter().format(record)  # message, exception and stack
        self.lines.append(f"{record.name} {formatted}")

    def __enter__(self) -> Collect:
        loggers = [logging.getLogger()] + [
            logger
            for logger in logging.root.manager.loggerDict.values()
            if isinstance(logger, logging.Logger) and not logger.propagate
        ]
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "litestar", "portal"):
            logging.getLogger(name)
        for logger in loggers:
            self._attached.append((logger, logger.level))
            logger.addHandler(self)
            logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger, level in self._attached:
            logger.removeHandler(self)
            logger.setLevel(level)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def test_markers_reach_no_log_url_database_or_cache(
    settings: Settings, engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    app = app_with(settings, engine, log_requests=True)
    urls = Urls()
    with Collect() as logs, client_for(app) as client:
        use_everything(client, urls)
        written_out()
    out, err = capfd.readouterr()
    assert "portal.access POST /readiness/step/impact 200" in logs.text, "the access log runs"
    assert "POST /prep 303" in logs.text
    assert_private(urls, "\n".join([logs.text, out, err]), engine)


def test_the_access_log_has_no_query_strings_and_escapes_paths(
    settings: Settings, engine: Engine
) -> None:
    app = app_with(settings, engine, log_requests=True)
    with Collect() as logs, client_for(app) as client:
        client.get(f"/counselors?q={MARKER}&specialty=domestic-violence")
        client.get(f"/api/counselors?q={MARKER}")
        client.get("/counselors/x%0aINFO%20forged%20line")
    lines = [line for line in logs.lines if line.startswith("portal.access ")]
    assert "portal.access GET /counselors 200" in "\n".join(lines), lines
    assert all(MARKER not in line and "domestic" not in line for line in lines)
    assert all("\n" not in line and " forged line" not in line for line in lines)
    assert loggable("/a b\nc\u202e") == "/a\\x20b\\x0ac\\u202e"


def test_the_access_log_can_be_turned_off(settings: Settings, engine: Engine) -> None:
    app = app_with(settings, engine, log_requests=False)
    with Collect() as logs, client_for(app) as client:
        client.get("/counselors")
    assert not [line for line in logs.lines if line.startswith("portal.access ")]


def test_an_unexpected_error_is_logged_without_its_message(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception's message can quote the input; the log keeps its type and stack only."""
    import portal.web.prep as prep_web

    def broken(form, **_budget):  # type: ignore[no-untyped-def]
        raise ValueError(f"cannot parse {form.get('why')}")

    monkeypatch.setattr(prep_web, "parse_form", broken)
    app = app_with(settings, engine)
    with Collect() as logs, client_for(app) as client:
        response = post_prep(client, {"why": MARKER})
    assert response.status_code == 500
    assert "Traceback" not in response.text and MARKER not in response.text
    assert "unhandled ValueError on POST /prep" in logs.text
    assert MARKER not in logs.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@sqlite_file_only
def test_a_real_server_logs_nothing_typed(seeded_db: Path, tmp_path: Path) -> None:
    """``python -m portal serve`` as deployed: everything it prints, read back."""
    db = copy_db(seeded_db, tmp_path)
    port = _free_port()
    output = tmp_path / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "PORT": str(port),
        "PORTAL_ACCESS_LOG": "1",
        "PORTAL_RATE_LIMIT_POSTS": "1000",
    }
    with output.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "portal", "serve"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, output.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        urls = Urls()
        with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
            use_everything(client, urls)
    finally:
        server.terminate()
        server.wait(timeout=15)
    logs = output.read_text()
    assert "GET /readiness/result 200" in logs and "POST /prep 303" in logs, logs[-2000:]
    from portal.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    try:
        assert_private(urls, logs, engine)
    finally:
        engine.dispose()
