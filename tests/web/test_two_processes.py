"""Stateless app servers: two processes over one database, a person alternating between them.

Sessions live in the encrypted cookie, so any process with the same secret continues the
questionnaire; listings loaded by a third process show in both on their next request. Runs
on SQLite by default and on PostgreSQL under `make test-postgres`.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from portal.directory.filters import parse_query
from portal.directory.matching import fit_reasons
from portal.directory.taxonomy import taxonomy
from portal.paths import SEED_DIR
from portal.readiness import assess, load_questionnaire
from tests.readiness_answers import V6

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

SECRET = "two-process-test-secret-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('two') / 'portal.db'}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "portal", "seed"], env=env, check=True, timeout=300)
    return url


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    logs = tmp_path_factory.mktemp("logs")
    procs, urls = [], []
    for n in range(2):
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PORTAL_SECRET_KEY": SECRET,
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        log = (logs / f"server{n}.log").open("w")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "portal", "serve"], env=env, stdout=log, stderr=log
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not start: {Path(logs).glob('*.log')}")
                time.sleep(0.2)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


def form_for(step_id: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for item in load_questionnaire().step(step_id).items:
        if item.id in V6:
            value = V6[item.id]
            data[item.id] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return data


def test_questionnaire_alternating_between_two_processes(servers: list[str]) -> None:
    # One cookie jar, as one browser behind a load balancer (cookies ignore the port).
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        first = browser.get(f"{servers[0]}/readiness")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', first.text).group(1)
        step, turn = "start", 0
        for _ in range(15):
            server = servers[turn % 2]
            response = browser.post(
                f"{server}/readiness/step/{step}", data={**form_for(step), "_csrf_token": token}
            )
            assert response.status_code == 200, response.text[:300]
            match = re.search(r"/readiness/step/([\w-]+)$", str(response.url))
            turn += 1
            if not match:
                break
            step = match.group(1)
        assert str(response.url).endswith("/readiness/result")
        result = browser.get(f"{servers[turn % 2]}/readiness/result")
        assert f"<h1>{assess(V6).label}</h1>" in result.text
        slug = browser.get(f"{servers[0]}/api/counselors?per_page=1").json()["items"][0]["slug"]
        browser.post(f"{servers[1]}/shortlist", data={"slug": slug, "_csrf_token": token})
        assert f"/counselors/{slug}" in browser.get(f"{servers[0]}/shortlist").text


RELOAD_FILTERS = [
    "specialty=domestic-violence",
    "language=es",
    "sees=couples&format=video&per_page=50",
    "specialty=domestic-violence&language=es&sort=fee",
]
CARD = re.compile(
    r'<a href="/counselors/([^"]+)">.*?</h2>(?:.*?<p class="fits"><strong>Why it fits:</strong> '
    r"(.*?)\.</p>)?\s*<ul class=\"facts\">",
    re.S,
)


def _cards(server: str, qs: str) -> list[tuple[str, str]]:
    """(slug, "why it fits" text) of each card of a results page."""
    response = httpx.get(f"{server}/counselors?{qs}", timeout=10)
    assert response.status_code == 200, response.text[:300]
    return [(slug, html.unescape(fits)) for slug, fits in CARD.findall(response.text)]


def _check_cards(server: str, qs: str, listings: dict[str, dict]) -> int:
    """Every card is a listing with the filtered values, saying why it fits truthfully."""
    params: dict[str, list[str]] = {}
    for pair in qs.split("&"):
        key, _, value = pair.partition("=")
        params.setdefault(key, []).append(value)
    query = parse_query(params, taxonomy()).query
    cards = _cards(server, qs)
    for slug, fits in cards:
        record = listings[slug]
        for name, field in [
            ("specialty", "specialties"),
            ("language", "languages"),
            ("sees", "sees"),
            ("format", "formats"),
        ]:
            for wanted in params.get(name, []):
                assert wanted in record[field], f"{slug} lacks {name}={wanted} ({server}?{qs})"
        assert fits == "; ".join(fit_reasons(SimpleNamespace(**record), query, taxonomy())), slug
    return len(cards)


def test_listings_reloaded_by_another_process_show_on_the_next_request(
    servers: list[str], database_url: str, tmp_path: Path
) -> None:
    seed = json.loads((SEED_DIR / "counselors.json").read_text(encoding="utf-8"))
    before = {record["slug"]: record for record in seed["listings"]}
    shown = {qs: _cards(server, qs) for qs in RELOAD_FILTERS for server in servers}
    for server in servers:  # both processes have read (and kept) the first version
        for qs in RELOAD_FILTERS:
            assert _check_cards(server, qs, before) > 0
    # The same listings in another order (every id changes), and the ones shown first no
    # longer have the specialty or the language they were shown for.
    first = {slug for cards in shown.values() for slug, _ in cards[:5]}
    changed = []
    for record in reversed(seed["listings"]):
        record = dict(record)
        if record["slug"] in first:
            record["specialties"] = [s for s in record["specialties"] if s != "domestic-violence"]
            record["languages"] = [x for x in record["languages"] if x != "es"] or ["en"]
        changed.append(record)
    reordered = tmp_path / "reordered.json"
    reordered.write_text(json.dumps({**seed, "listings": changed}), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url}
    load = [sys.executable, "-m", "portal", "seed"]
    subprocess.run([*load, "--file", str(reordered)], env=env, check=True, timeout=300)
    try:
        after = {record["slug"]: record for record in changed}
        for server in servers:
            for qs in RELOAD_FILTERS:
                assert _check_cards(server, qs, after) > 0
                assert _check_cards(server, qs, after) > 0  # and on the request after
    finally:
        subprocess.run(load, env=env, check=True, timeout=300)
