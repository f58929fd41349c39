"""Stateless app servers: two processes over one database, a person alternating between them.

Sessions live in the encrypted cookie, so any process with the same secret continues the
questionnaire. Runs on SQLite by default and on PostgreSQL under `make test-postgres`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portal.readiness import assess, load_questionnaire
from tests.readiness_answers import V6

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
