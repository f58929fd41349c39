"""Speed at scale: every page against the server's own floor, at 100,000 listings.

    make bench                      # or: .venv/bin/python bench/run.py [options]

Builds a database of N synthetic listings with the deterministic generator
(``python -m portal bench-data``), starts ``python -m portal serve`` on it (the server
``make run`` uses: uvicorn, one worker), and drives each endpoint with wrk from another process
(32 connections, a warm-up, then a fixed duration in four parts, each right after as long a
part of ``GET /healthz``). Prints requests/s, the p50 and p99 latency of all the endpoint's
requests (the parts merged, ``merged_percentile``) and the worst part's own p99, the ratio of
requests/s to ``/healthz`` measured around it, the CPU each side used, and the server's peak
RSS (VmHWM); writes the same figures to bench/results/latest.json.

In the same run, an adversarial set (``adversarial``): one- and two-letter searches, a
12-word search, a word in nearly every listing, every facet value at once, a 500-mile radius
at its last page (sorted by distance, and not), new combinations of filters never asked for
before, and the two open-data downloads. Each is timed one request at a time on one
connection, against the median of the same for the directory page; the slowest over that
median is ``worst_case: {ratio, slowest}`` in latest.json (target: at most 10).

A table, never a pass/fail test: the targets are in the README's "Performance" section.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))  # tests.readiness_answers holds the V6 answer set

from tests.readiness_answers import V6  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WINDOWS = 4
"""Each endpoint is measured in this many parts, taking turns with /healthz."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    lua_args: tuple[str, ...] = ()
    method: str = "GET"
    body: bytes | None = None


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    worst_part_p99_ms: float = 0.0
    ratio: float = 1.0
    server_cpu: float = 0.0  # share of one core
    client_cpu: float = 0.0
    errors: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def url_of(db: Path | str) -> str:
    """A SQLite file, or any DATABASE_URL (PostgreSQL with --database-url)."""
    return f"sqlite:///{db}" if isinstance(db, Path) else db


def build_database(db: Path | str, count: int) -> float:
    if isinstance(db, Path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "portal", "bench-data", "--count", str(count)],
        env={**os.environ, "DATABASE_URL": url_of(db)},
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def migrate_database(db: Path | str) -> None:
    """Bring a reused database to the current schema (as `make run` does before serving)."""
    subprocess.run(
        [sys.executable, "-m", "portal", "migrate"],
        env={**os.environ, "DATABASE_URL": url_of(db)},
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def listing_count(db: Path | str) -> int:
    if isinstance(db, Path) and not db.exists():
        return 0
    engine = create_engine(url_of(db))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM listing")).scalar_one())
    except Exception:  # no schema yet
        return 0
    finally:
        engine.dispose()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match, "VmHWM missing from /proc/<pid>/status"
    return int(match.group(1)) / 1024


def start_server(db: Path | str, port: int, log: Path | None = None) -> subprocess.Popen[bytes]:
    # The POST rate limit (60 a minute per address) would answer the load with 429s: it stays
    # on, so its middleware runs on every request as in production, but high.
    env = {
        **os.environ,
        "DATABASE_URL": url_of(db),
        "PORTAL_ACCESS_LOG": "0",
        "PORTAL_RATE_LIMIT_POSTS": "1000000000",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "portal", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(log or DATA / "server.log").open("wb"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def prep_cookie(base: str, slug: str) -> str:
    """Fill in the prep form once, like a person: the cookies the preview needs."""
    with httpx.Client(base_url=base) as client:
        form = client.get("/prep").text
        token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
        assert token, "the prep form carries a CSRF token"
        saved = client.post(
            "/prep",
            data={
                "_csrf_token": token.group(1),
                "counselor": slug,
                "when": "Tuesday 5 pm",
                "why": "We argue about the children's weekends and stop listening.",
                "goal1": "Agree a handover routine",
                "goal2": "Talk without shouting",
                "inc_suggest": "1",
                "inc_happen": "1",
            },
        )
        assert saved.status_code == 303, f"POST /prep gave {saved.status_code}"
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def endpoints(db: Path | str, base: str) -> list[Endpoint]:
    engine = create_engine(url_of(db))
    with engine.connect() as conn:
        slugs = [r[0] for r in conn.execute(text("SELECT slug FROM listing WHERE id % 97 = 5"))]
    engine.dispose()
    profiles = DATA / "profiles.txt"
    profiles.write_text("".join(f"/counselors/{s}\n" for s in slugs))
    answers = DATA / "assess.json"
    body = json.dumps({"answers": V6}).encode()
    answers.write_bytes(body)
    directory = "/counselors?sees=couples&format=video&accepting=1"
    return [
        Endpoint("healthz", "/healthz"),
        Endpoint("directory-page", directory),
        Endpoint("directory-fragment", directory, {"HX-Request": "true"}),
        Endpoint("directory-zip", "/counselors?zip=60614&language=es&sliding_scale=1"),
        Endpoint("directory-search", "/counselors?q=blended+families&format=video"),
        Endpoint("profile", f"/counselors/{slugs[0]}", lua_args=(f"paths={profiles}",)),
        Endpoint(
            "readiness-assess",
            "/api/readiness/assess",
            lua_args=(f"body={answers}",),
            method="POST",
            body=body,
        ),
        Endpoint("prep-preview", "/prep/sheet", {"Cookie": prep_cookie(base, slugs[0])}),
    ]


FACETS = ["sees", "specialty", "modality", "format", "insurance", "language", "licence"]
FLAGS = ["accepting", "sliding_scale", "free_consult", "evenings", "screens_individually"]
SORTS = ["relevance", "fee", "opening", "verified"]
EXPORTS = ["/api/export/hsds.zip", "/api/export/fhir.json"]


def canonical(params: list[tuple[str, str]]) -> str:
    """The directory URL the server does not redirect (its own canonical query string)."""
    from portal.directory.filters import parse_query
    from portal.directory.taxonomy import taxonomy

    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    parsed = parse_query(grouped, taxonomy(), lambda z: None)
    return "/counselors?" + parsed.query.query_string()


def adversarial_paths(rng: random.Random) -> dict[str, list[str]]:
    """Each hostile request, by name: the same URL a few times, or (a cold combination)
    a new one each time."""
    from portal.directory.taxonomy import taxonomy

    tax = taxonomy()
    every = [(name, term.slug) for name in FACETS for term in tax.terms(name)]

    def combination() -> str:
        params = [(name, rng.choice(tax.terms(name)).slug) for name in rng.sample(FACETS, 4)]
        params += [(flag, "1") for flag in rng.sample(FLAGS, 2)]
        return canonical([*params, ("sort", rng.choice(SORTS))])

    radius = "/counselors?zip=60614&radius=500"
    return {
        "search, one letter": ["/counselors?q=a"] * 5,
        "search, two letters": ["/counselors?q=ab"] * 5,
        "search, 12 single letters": ["/counselors?" + urlencode({"q": " ".join("abcdefghijkl")})]
        * 5,
        "search, 12 words": [
            "/counselors?"
            + urlencode(
                {
                    "q": "family couples parenting trust conflict grief trauma anger "
                    "repair blended divorce therapy"
                }
            )
        ]
        * 5,
        "search, a word in every listing": ["/counselors?q=the"] * 5,
        "every facet value": [canonical(every)] * 5,
        "radius 500 by distance, last page": [f"{radius}&sort=distance&page=50"] * 5,
        "radius 500, last page": [f"{radius}&page=50"] * 5,
        "fee limit, a deep page": ["/counselors?specialty=co-parenting&max_fee=40&page=40"] * 5,
        "cold filter combination": [combination() for _ in range(5)],
        **{f"export {path.rsplit('/', 1)[1]}": [path] * 5 for path in EXPORTS},
    }


def _timed(client: httpx.Client, path: str) -> float:
    """Milliseconds to the response's headers (a download's bytes are the network's time,
    not the server's)."""
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        elapsed = time.perf_counter() - started
        if response.status_code not in (200, 304):
            raise SystemExit(f"{path[:80]} gave {response.status_code}")
    return elapsed * 1000


def _status(client: httpx.Client, path: str) -> int:
    with client.stream("GET", path) as response:
        return response.status_code


def wait_for_exports(base: str, limit: float = 1800) -> None:
    """The downloads are built in the background once per data version: ask, then wait."""
    deadline = time.monotonic() + limit
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in EXPORTS:
            while (status := _status(client, path)) == 503:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{path} was not built within {limit:.0f} s")
                time.sleep(2)
            if status != 200:
                raise SystemExit(f"{path} gave {status}")


def adversarial(base: str, directory: str, seed: int = 7) -> dict[str, Any]:
    """The adversarial set's times and its worst case against the directory page's median."""
    wait_for_exports(base)
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        for _ in range(20):
            _timed(client, directory)
        page = statistics.median(_timed(client, directory) for _ in range(100))
        times = {
            name: statistics.median(_timed(client, path) for path in paths)
            for name, paths in adversarial_paths(random.Random(seed)).items()
        }
    slowest = max(times, key=times.__getitem__)
    return {
        "ratio": round(times[slowest] / page, 2),
        "slowest": slowest,
        "slowest_ms": round(times[slowest], 2),
        "directory_page_ms": round(page, 2),
        "requests_ms": {name: round(ms, 2) for name, ms in times.items()},
    }


def check(base: str, endpoint: Endpoint) -> int:
    """One request first: every endpoint must answer 200 (not a redirect) to count."""
    headers = dict(endpoint.headers)
    if endpoint.body is not None:
        headers["content-type"] = "application/json"
    response = httpx.request(
        endpoint.method, base + endpoint.path, headers=headers, content=endpoint.body
    )
    if response.status_code != 200:
        raise SystemExit(f"{endpoint.name}: {endpoint.path} gave {response.status_code}")
    return len(response.content)


def wrk(base: str, endpoint: Endpoint, seconds: int, connections: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    for name, value in endpoint.headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(BENCH / "wrk.lua"), base + endpoint.path, "--", *endpoint.lua_args]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"^BENCH (\{.*\})$", out, re.MULTILINE)
    assert match, out
    return json.loads(match.group(1))


@dataclass
class Window:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    server_cpu_s: float
    client_cpu_s: float
    errors: int
    quantiles_ms: list[float] = field(default_factory=list)
    """The part's latency at 0.1%, 0.2%, ... 100% (wrk.lua)."""


def window(
    base: str, server_pid: int, endpoint: Endpoint, seconds: int, connections: int
) -> Window:
    server_before = cpu_seconds(server_pid)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = wrk(base, endpoint, seconds, connections)
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Window(
        requests=run["requests"],
        seconds=run["duration_us"] / 1e6,
        p50_ms=run["p50_us"] / 1000,
        p99_ms=run["p99_us"] / 1000,
        server_cpu_s=cpu_seconds(server_pid) - server_before,
        client_cpu_s=(client_after.ru_utime - client_before.ru_utime)
        + (client_after.ru_stime - client_before.ru_stime),
        errors=run["socket_errors"] + run["status_errors"],
        quantiles_ms=[q / 1000 for q in run["quantiles_us"]],
    )


def merged_percentile(windows: list[Window], percent: float) -> float:
    """The latency under which ``percent`` of all the windows' requests fell: each window's
    share below a value is read off its 1,000 quantiles and weighted by its requests."""
    total = sum(w.requests for w in windows)
    candidates = sorted({q for w in windows for q in w.quantiles_ms})

    def below(value: float) -> float:
        return sum(
            w.requests * bisect.bisect_right(w.quantiles_ms, value) / len(w.quantiles_ms)
            for w in windows
        )

    wanted = total * percent / 100
    low, high = 0, len(candidates) - 1
    while low < high:
        middle = (low + high) // 2
        if below(candidates[middle]) >= wanted - 1e-9:
            high = middle
        else:
            low = middle + 1
    return candidates[low]


def figures(windows: list[Window]) -> Figures:
    """Windows of one endpoint as one row: requests over time, the p50 and p99 of all their
    requests together, and the worst window's own p99."""
    seconds = sum(w.seconds for w in windows)
    return Figures(
        rps=sum(w.requests for w in windows) / seconds,
        p50_ms=merged_percentile(windows, 50),
        p99_ms=merged_percentile(windows, 99),
        worst_part_p99_ms=max(w.p99_ms for w in windows),
        server_cpu=sum(w.server_cpu_s for w in windows) / seconds,
        client_cpu=sum(w.client_cpu_s for w in windows) / seconds,
        errors=sum(w.errors for w in windows),
    )


def measure(
    base: str,
    server_pid: int,
    endpoint: Endpoint,
    floor: Endpoint,
    seconds: int,
    connections: int,
    floor_windows: list[Window],
) -> Figures:
    """``endpoint`` for ``seconds`` in WINDOWS parts, each right after as long a part of
    ``floor`` (/healthz): its ratio is to the floor measured around it, so that the machine
    drifting in speed over the run (a shared VM: /healthz alone has ranged from 1,700 to
    3,300 requests/s between runs) moves both alike. The floor's windows are added to
    ``floor_windows`` (the healthz row)."""
    wrk(base, endpoint, 3, connections)  # warm-up: caches, connections, lazy imports
    part = max(1, round(seconds / WINDOWS))
    mine: list[Window] = []
    around: list[Window] = []
    for _ in range(WINDOWS):
        around.append(window(base, server_pid, floor, part, connections))
        mine.append(window(base, server_pid, endpoint, part, connections))
    floor_windows += around
    result = figures(mine)
    result.ratio = result.rps / figures(around).rps
    return result


def table(results: dict[str, Figures], rss: float, build: float | None) -> str:
    lines = [
        f"{'endpoint':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'worst part':>12}{'ratio':>8}"
        f"{'server cpu':>12}{'wrk cpu':>9}{'errors':>8}"
    ]
    for name, f in results.items():
        lines.append(
            f"{name:<20}{f.rps:>9.0f}{f.p50_ms:>9.1f}{f.p99_ms:>9.1f}{f.worst_part_p99_ms:>12.1f}"
            f"{f.ratio:>8.3f}"
            f"{f.server_cpu:>11.0%}{f.client_cpu:>9.0%}{f.errors:>8}"
        )
    lines.append(f"peak RSS of the server: {rss:.0f} MB")
    if build is not None:
        lines.append(f"database build: {build:.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="listings to generate")
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing database")
    parser.add_argument("--only", nargs="*", help="endpoint names (healthz always runs)")
    parser.add_argument(
        "--database-url",
        help="run on this database (e.g. PostgreSQL) instead of a SQLite file in bench/.data",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it as root)")

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    db: Path | str = args.database_url or DATA / f"bench-{args.count}.db"
    build = None
    if not (args.reuse_db and listing_count(db) >= args.count):
        print(f"building {args.count:,} listings ...", flush=True)
        build = build_database(db, args.count)
        print(f"built in {build:.1f} s", flush=True)
    else:
        migrate_database(db)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port)
    try:
        results: dict[str, Figures] = {}
        floor_windows: list[Window] = []
        floor, *pages = endpoints(db, base)
        check(base, floor)
        wrk(base, floor, 3, args.connections)
        for endpoint in pages:
            if args.only and endpoint.name not in args.only:
                continue
            size = check(base, endpoint)
            print(f"{endpoint.name}: {endpoint.path[:70]} ({size:,} bytes)", flush=True)
            results[endpoint.name] = measure(
                base, server.pid, endpoint, floor, args.duration, args.connections, floor_windows
            )
        results = {"healthz": figures(floor_windows), **results}
        print("adversarial set ...", flush=True)
        worst = adversarial(base, pages[0].path)
        rss = peak_rss_mb(server.pid)
    finally:
        stop_server(server)

    print()
    backend = url_of(db).split(":", 1)[0].split("+", 1)[0]
    print(
        f"{args.count:,} listings on {backend}, {args.connections} connections, "
        f"{args.duration} s each, "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    print(table(results, rss, build))
    print()
    for name, ms in worst["requests_ms"].items():
        print(f"{name:<36}{ms:>9.2f} ms{ms / worst['directory_page_ms']:>8.2f}x")
    print(
        f"worst case: {worst['slowest']}, {worst['ratio']:.2f} times the directory page's "
        f"{worst['directory_page_ms']:.2f} ms (target: at most 10)"
    )
    report: dict[str, Any] = {
        name: {
            "rps": round(f.rps, 1),
            "p50_ms": round(f.p50_ms, 2),
            "p99_ms": round(f.p99_ms, 2),
            "ratio": round(f.ratio, 3),
        }
        for name, f in results.items()
    }
    report["peak_rss_mb"] = round(rss, 1)
    report["worst_case"] = worst
    if build is not None:
        report["build_seconds"] = round(build, 1)
    name = "latest.json" if backend == "sqlite" else f"latest-{backend}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
