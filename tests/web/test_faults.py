"""Faults never reach a person as a crash or as lost work.

The database missing, locked or unreadable gives a friendly 503 (no stack trace, Retry-After,
the crisis lines still there), and a form that was being sent comes back with every typed value
and a "Try again" button. The questionnaire does not need the database at all. A server restart
mid-questionnaire loses nothing already saved: the session is a cookie sealed with the secret
key, so a new process with the same key carries on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, event

from portal.db import make_engine
from portal.settings import DEV_SECRET, Settings
from tests.readiness_answers import V2, V6
from tests.web.helpers import csrf_token, soup
from tests.web.security_support import (
    app_with,
    client_for,
    copy_db,
    post_prep,
    sqlite_file_only,
)
from tests.web.test_readiness_pages import current_step, form_for, walk

# Each test builds its own app on its own copy of the database (a second process, a restart, a
# lock held elsewhere): `make test`, not `make test-fast`.
pytestmark = [sqlite_file_only, pytest.mark.slow]

MARKER = "zq7-fault-marker"


def quick_engine(url: str) -> Engine:
    """The app's engine, but waiting 0.2 s (not 5 s) for a lock, so the tests stay fast."""
    engine = make_engine(url)

    def short_wait(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA busy_timeout=200")

    event.listen(engine, "connect", short_wait, insert=True)
    return engine


@pytest.fixture
def own_db(seeded_db: Path, tmp_path: Path) -> Path:
    return copy_db(seeded_db, tmp_path)


def a_slug(client: TestClient) -> str:
    link = soup(client.get("/counselors").text).select_one("a[href^='/counselors/']")
    return str(link["href"]).rsplit("/", 1)[-1]


def assert_friendly_503(response, *, typed: str | None = None) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert response.headers["cache-control"] == "no-store"
    body = response.text
    for leak in ("Traceback", "OperationalError", "sqlite", "SELECT", 'File "'):
        assert leak not in body
    if response.headers["content-type"].startswith("text/html"):
        page = soup(body)
        assert page.select_one("h1") is not None
        assert page.select_one("a[href='/help']") is not None, "the help lines stay one click away"
        assert page.select_one("#quick-exit") is not None
    if typed is not None:
        page = soup(body)
        form = page.select_one("section form[method='post']")
        assert form is not None, "a Try again form"
        assert form["action"] == "/prep"
        values = [i.get("value", "") for i in form.select("input[type='hidden']")]
        assert typed in values, "every field is re-sent as typed"
        assert form.select_one("input[name='_csrf_token']")["value"]
        assert typed in [t.get_text() for t in page.select("textarea[readonly]")]


@pytest.fixture
def locked(own_db: Path) -> Iterator[sqlite3.Connection]:
    """Another process holds the database exclusively (as a long write or a reload would)."""
    holder = sqlite3.connect(own_db, isolation_level=None)
    yield holder
    holder.close()


def lock(holder: sqlite3.Connection) -> None:
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("SELECT count(*) FROM listing").fetchone()


def test_a_locked_database_gives_a_friendly_503_and_keeps_the_form(
    settings: Settings, own_db: Path, locked: sqlite3.Connection
) -> None:
    engine = quick_engine(f"sqlite:///{own_db}")
    with client_for(app_with(settings, engine, database_url=f"sqlite:///{own_db}")) as client:
        slug = a_slug(client)
        token = csrf_token(client, "/prep")
        client.post("/shortlist", data={"slug": slug, "_csrf_token": token})
        engine.dispose()  # new connections from here on meet the lock
        lock(locked)
        for path in ("/counselors", f"/counselors/{slug}", "/shortlist"):
            assert_friendly_503(client.get(path))
        assert_friendly_503(client.get("/api/counselors"))
        assert client.get("/api/counselors").json()["status_code"] == 503
        typed = f"{MARKER} we argue every handover"
        response = client.post(
            "/prep",
            data={
                "why": typed,
                "goal1": "calmer handovers",
                "counselor": slug,
                "_csrf_token": token,
            },
        )
        assert_friendly_503(response, typed=typed)
        # Pages that need no database keep working.
        assert client.get("/help").status_code == 200
        assert client.get("/readiness/step/start").status_code == 200
        locked.close()  # the other process is done
        # "Try again" re-sends the same fields and now succeeds.
        page = soup(response.text)
        form = page.select_one("section form")
        fields = [(i["name"], i.get("value", "")) for i in form.select("input[type='hidden']")]
        data: dict[str, list[str]] = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        again = client.post(form["action"], data=data)
        assert again.status_code == 200 and str(again.url).endswith("/prep/sheet")
        assert MARKER in again.text
    engine.dispose()


def test_a_missing_database_file_gives_503_and_the_questionnaire_still_works(
    settings: Settings, own_db: Path
) -> None:
    url = f"sqlite:///{own_db}"
    engine = quick_engine(url)
    with client_for(app_with(settings, engine, database_url=url)) as client:
        slug = a_slug(client)
        engine.dispose()
        own_db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{own_db}{suffix}").unlink(missing_ok=True)
        assert_friendly_503(client.get("/counselors?q=family"))
        assert_friendly_503(client.get(f"/api/counselors/{slug}"))
        token = csrf_token(client, "/readiness")
        response = client.post(
            "/shortlist", data={"slug": slug, "next": "/counselors", "_csrf_token": token}
        )
        assert_friendly_503(response)
        # The questionnaire lives in the session: it completes without a database.
        result = walk(client, V6)
        assert str(result.url).endswith("/readiness/result")
        assert soup(result.text).select_one("h1") is not None
    engine.dispose()


def test_a_missing_database_folder_gives_503(settings: Settings, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gone' / 'portal.db'}"
    engine = quick_engine(url)
    with client_for(app_with(settings, engine, database_url=url)) as client:
        assert_friendly_503(client.get("/counselors"))
        assert_friendly_503(client.get("/prep?counselor=someone"))
        assert client.get("/").status_code == 200
    engine.dispose()


@pytest.mark.parametrize("how", ["uri-mode-ro", "query-only"])
def test_a_read_only_database_still_serves_everything(
    settings: Settings, own_db: Path, how: str
) -> None:
    """The app never writes at run time, so a read-only database (a read-only mount, a
    replica) serves every page; tests run as root, so chmod could not prove this."""
    if how == "uri-mode-ro":
        url = f"sqlite:///file:{own_db}?mode=ro&uri=true"
        engine = quick_engine(url)
    else:
        url = f"sqlite:///{own_db}"
        engine = quick_engine(url)
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA query_only=1"))
    with client_for(app_with(settings, engine, database_url=url)) as client:
        slug = a_slug(client)
        for path in ("/counselors?q=family", f"/counselors/{slug}", "/api/counselors", "/prep"):
            assert client.get(path).status_code == 200, path
        token = csrf_token(client, "/prep")
        added = client.post("/shortlist", data={"slug": slug, "_csrf_token": token})
        assert added.status_code == 200 and slug in added.text
        saved = post_prep(client, {"why": MARKER, "counselor": slug})
        assert str(saved.url).endswith("/prep/sheet")
    engine.dispose()


# --- a restart ---------------------------------------------------------------------------------


def answer_steps(client: TestClient, answers: dict, count: int) -> str:
    """Answer ``count`` pages; return the page the person is on now."""
    response = client.get("/readiness/step/start")
    token = csrf_token(client, "/readiness")
    for _ in range(count):
        step = current_step(str(response.url))
        response = client.post(
            f"/readiness/step/{step}", data={**form_for(step, answers), "_csrf_token": token}
        )
    step = current_step(str(response.url))
    assert step is not None
    return step


@pytest.mark.parametrize("secret", [DEV_SECRET, "a-long-random-production-secret-" + "x" * 32])
def test_a_restart_mid_questionnaire_loses_nothing_saved(
    settings: Settings, engine: Engine, secret: str
) -> None:
    before = app_with(settings, engine, secret_key=secret)
    with client_for(before) as client:
        step = answer_steps(client, V2, 4)
        cookies = dict(client.cookies)
    # A new process: a new app object with the same configuration (the secret comes from the
    # environment in production; the development secret is a constant).
    after = app_with(settings, engine, secret_key=secret)
    with client_for(after) as client:
        client.cookies.update(cookies)
        assert client.get("/readiness").text.count("Continue where you left off") == 1
        resumed = client.get(f"/readiness/step/{step}")
        assert current_step(str(resumed.url)) == step, "back on the page being typed"
        result = walk(client, V2)
        assert str(result.url).endswith("/readiness/result")


def test_a_new_secret_starts_afresh_without_an_error(settings: Settings, engine: Engine) -> None:
    """Rotating the key cannot decrypt old sessions: they start over, they never crash."""
    with client_for(app_with(settings, engine)) as client:
        answer_steps(client, V2, 3)
        cookies = dict(client.cookies)
    rotated = app_with(settings, engine, secret_key="rotated-" + "y" * 40)
    with client_for(rotated) as client:
        client.cookies.update(cookies)
        page = client.get("/readiness")
        assert page.status_code == 200 and "Continue where you left off" not in page.text
        assert client.get("/prep").status_code == 200
