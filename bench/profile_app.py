"""Time (and profile) requests through the ASGI app in this process, without a network.

    .venv/bin/python bench/profile_app.py [--db bench/.data/bench-100000.db] [-n 500] \
        [--hx] [--cookie 'a=b'] [--post-json FILE] [--cprofile FILE] PATH...
    .venv/bin/py-spy record -o flame.svg -- .venv/bin/python bench/profile_app.py PATH

Prints the milliseconds per request for each path (the median of several rounds, the paths
taking turns, and the median of the process's CPU time per request): the server's own cost,
the figure the wrk ratios in bench/run.py come from, without uvicorn's and the client's share.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


async def call(app: Any, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes):
    parts = urlsplit(url)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def main_async(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.db).resolve()}"
    os.environ.setdefault("PORTAL_ACCESS_LOG", "0")
    os.environ.setdefault("PORTAL_RATE_LIMIT_POSTS", "0")
    from portal.__main__ import freeze_startup_objects
    from portal.app import create_app

    app = create_app()
    headers = []
    if args.hx:
        headers.append((b"hx-request", b"true"))
    if args.cookie:
        headers.append((b"cookie", args.cookie.encode()))
    body = b""
    method = "GET"
    if args.post_json:
        body = Path(args.post_json).read_bytes()
        method = "POST"
        headers.append((b"content-type", b"application/json"))
    async with app.lifespan():
        statuses = {}
        for path in args.paths:
            statuses[path] = await call(app, method, path, headers, body)
            for _ in range(10):
                await call(app, method, path, headers, body)
        freeze_startup_objects()  # as `python -m portal serve` does after start-up
        # The paths take turns, round after round: a machine whose speed drifts slows them
        # all alike, and the median round of each is compared.
        rounds: dict[str, list[float]] = {path: [] for path in args.paths}
        # CPU time too: on a shared machine, wall-clock time includes waiting for a core.
        cpu: dict[str, list[float]] = {path: [] for path in args.paths}
        per_round = max(1, args.n // args.rounds)
        profiler = cProfile.Profile() if args.cprofile else None
        if profiler:
            profiler.enable()
        for _ in range(args.rounds):
            for path in args.paths:
                started, started_cpu = time.perf_counter(), time.process_time()
                for _ in range(per_round):
                    await call(app, method, path, headers, body)
                rounds[path].append((time.perf_counter() - started) * 1000 / per_round)
                cpu[path].append((time.process_time() - started_cpu) * 1000 / per_round)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.cprofile)
        for path in args.paths:
            times = sorted(rounds[path])
            median = statistics.median(times)
            on_cpu = statistics.median(cpu[path])
            best = f"best {times[0]:.3f}, cpu {on_cpu:.3f}"
            print(f"{statuses[path]} {median:8.3f} ms  ({best})  {path}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--db", default=str(ROOT / "bench/.data/bench-100000.db"))
    parser.add_argument("-n", type=int, default=300, help="requests per path")
    parser.add_argument("--rounds", type=int, default=10, help="turns the paths take")
    parser.add_argument("--hx", action="store_true", help="send HX-Request: true")
    parser.add_argument("--cookie")
    parser.add_argument("--post-json", help="POST this file as application/json")
    parser.add_argument(
        "--cprofile", metavar="FILE", help="write cProfile stats of the timed rounds to FILE"
    )
    args = parser.parse_args()
    asyncio.run(main_async(args))  # the loop `portal serve` runs on


if __name__ == "__main__":
    main()
