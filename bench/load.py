"""Load: 256 concurrent connections for 30 s over a mix of pages, at 100,000 listings.

    make bench-load                 # or: .venv/bin/python bench/load.py [--reuse-db] [options]

Builds (or with --reuse-db reuses) the database bench/run.py uses, starts one
``python -m portal serve`` process on it (uvicorn, one worker) and, from a separate client
process, runs 256 virtual users, each with its own keep-alive connection and its own cookies:
each user picks a kind of request by weight and repeats, for a warm-up and then a measured
window, stopping by itself:

- directory: /counselors with varied filters, htmx fragments, ZIP radius, search, pages 1-5;
- profile: /counselors/<slug>, slugs taken from /api/counselors;
- questionnaire: a whole walk through /readiness/step/... (GET the step, POST its answers with
  the session's CSRF token, follow the 303) to /readiness/result, then a fresh session;
- prep: GET /prep, POST /prep (303), GET /prep/sheet.

Only 127.0.0.1 is contacted. The server's VmRSS is read every second from /proc. Prints a table
(requests, failures, 4xx, 5xx, p50/p99 per kind; RSS at the end of the warm-up, max, end, and
its slope over the measured window and over that window's second half; the CPU share of server
and client) and writes bench/results/load.json. The POST rate limit is per address and every
user is 127.0.0.1, so the server runs with PORTAL_RATE_LIMIT_POSTS set high, as in run.py.

A table, never a pass/fail test; it exits 1 when any request failed or got a 5xx. --mix
changes the weights (e.g. --mix questionnaire=3,prep=1), --db the database file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import ssl
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from run import (
    DATA,
    RESULTS,
    ROOT,
    build_database,
    cpu_seconds,
    free_port,
    migrate_database,
    start_server,
    stop_server,
)

WEIGHTS = {"directory": 35, "profile": 25, "questionnaire": 25, "prep": 15}
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
ZIPS = ("60614", "10001", "94110", "30309", "98101", "02139", "80202", "19104", "78701", "55401")
SEARCHES = ("blended families", "gottman", "grief", "co-parenting", "trust", "spanish", "eft")
SEES = ("couples", "co-parents", "families", "parent-adult-child", "individuals")
SPECIALTIES = ("co-parenting", "couples-communication", "trust-infidelity", "blended-families")
FORMATS = ("in-person", "video", "phone")
LANGUAGES = ("es", "zh", "vi", "ko", "fr")
INSURANCE = ("aetna", "cigna", "medicaid", "kaiser")
SORTS = ("relevance", "fee", "opening", "verified")


# --- client (a separate process) ---------------------------------------------------------


def directory_request(rng: random.Random) -> tuple[str, str, dict[str, str]]:
    """(label, path, headers): one of the directory's shapes with random values."""
    shape = rng.choice(("page", "page", "fragment", "fragment", "zip", "search"))
    params: list[tuple[str, str]] = []
    if shape == "zip":
        params += [("zip", rng.choice(ZIPS)), ("radius", str(rng.choice((10, 25, 50))))]
        if rng.random() < 0.5:
            params.append(("language", rng.choice(LANGUAGES)))
        if rng.random() < 0.5:
            params.append(("sliding_scale", "1"))
    elif shape == "search":
        params += [("q", rng.choice(SEARCHES))]
        if rng.random() < 0.5:
            params.append(("format", rng.choice(FORMATS)))
    else:
        params.append(("sees", rng.choice(SEES)))
        for name, values, chance in (
            ("format", FORMATS, 0.6),
            ("specialty", SPECIALTIES, 0.4),
            ("language", LANGUAGES, 0.2),
            ("insurance", INSURANCE, 0.2),
        ):
            if rng.random() < chance:
                params.append((name, rng.choice(values)))
        if rng.random() < 0.5:
            params.append(("accepting", "1"))
        if rng.random() < 0.3:
            params.append(("sort", rng.choice(SORTS)))
        if rng.random() < 0.3:
            params.append(("page", str(rng.randint(2, 5))))
    headers = {"HX-Request": "true"} if shape == "fragment" else {}
    return f"directory-{shape}", canonical(params), headers


def canonical(params: list[tuple[str, str]]) -> str:
    """The URL the directory itself links to (else a full page answers 302 to it)."""
    from portal.directory.filters import parse_query
    from portal.directory.taxonomy import taxonomy

    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in params:
        grouped[name].append(value)
    parsed = parse_query(dict(grouped), taxonomy())
    assert not parsed.errors, (params, parsed.errors)
    return "/counselors?" + parsed.query.query_string()


class Stats:
    """Per kind: latencies of measured requests, and outcome counts for both phases."""

    def __init__(self, measure_from: float) -> None:
        self.measure_from = measure_from
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.warmup: Counter[str] = Counter()
        self.problems: Counter[str] = Counter()

    def record(self, kind: str, started: float, seconds: float, outcome: str) -> None:
        if started < self.measure_from:
            self.warmup[outcome] += 1
            return
        self.counts[kind][outcome] += 1
        self.latency[kind].append(seconds)


class User:
    """One virtual user: its own connection, cookies and CSRF token, its own walk."""

    def __init__(self, base: str, rng: random.Random, ctx: dict[str, Any], stats: Stats) -> None:
        self.base, self.rng, self.ctx, self.stats = base, rng, ctx, stats
        self.client = self._client()
        self.walk: list[str] = []  # the questionnaire requests still to make
        self.answers: dict[str, Any] = {}
        self.prep_step = 0
        self.token = ""

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=self.ctx["timeout"],
            verify=self.ctx["tls"],  # plain http; one shared context (making one costs ~10 ms)
            follow_redirects=False,
        )

    async def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        ok: tuple[int, ...] = (200,),
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response | None:
        started = time.time()
        clock = time.perf_counter()
        try:
            response = await self.client.request(method, path, data=data, headers=headers)
        except httpx.TimeoutException as exc:
            self.stats.record(kind, started, time.perf_counter() - clock, "timeout")
            self.stats.problems[f"{kind} {method} {path[:60]}: {type(exc).__name__}"] += 1
            return None
        except httpx.TransportError as exc:
            self.stats.record(kind, started, time.perf_counter() - clock, "error")
            self.stats.problems[f"{kind} {method} {path[:60]}: {type(exc).__name__} {exc}"] += 1
            return None
        seconds = time.perf_counter() - clock
        code = response.status_code
        outcome = (
            "ok" if code in ok else ("5xx" if code >= 500 else "4xx" if code >= 400 else "other")
        )
        self.stats.record(kind, started, seconds, outcome)
        if outcome != "ok":
            self.stats.problems[f"{kind} {method} {path[:60]}: {code}"] += 1
            return None
        return response

    def _take_token(self, response: httpx.Response) -> None:
        match = TOKEN.search(response.text)
        if match:
            self.token = match.group(1)

    async def directory(self) -> None:
        label, path, headers = self.rng.choice(self.ctx["directory"])
        await self.send(label, "GET", path, headers=headers)

    async def profile(self) -> None:
        await self.send("profile", "GET", f"/counselors/{self.rng.choice(self.ctx['slugs'])}")

    async def questionnaire(self) -> None:
        """One request of this user's walk; a new walk in a fresh session when one ends."""
        if not self.walk:
            await self.client.aclose()
            self.client = self._client()  # a new visitor: no cookies
            self.prep_step, self.token = 0, ""  # their prep sheet starts again too
            self.answers = self.rng.choice(self.ctx["answer_sets"])
            self.walk = ["GET /readiness/step/start"]
        method, path = self.walk.pop(0).split(" ", 1)
        if method == "GET":
            label = "questionnaire-result" if path.endswith("/result") else "questionnaire-get"
            response = await self.send(label, "GET", path, ok=(200, 302))
            if response is None:
                self.walk = []
            elif response.status_code == 302:
                self.walk = [f"GET {response.headers['location']}"]
            elif path.startswith("/readiness/step/"):
                self._take_token(response)
                self.walk = [f"POST {path}"]
            return  # the result page ends the walk
        step = path.rsplit("/", 1)[1]
        form = {**self.ctx["forms"][step](self.answers), "_csrf_token": self.token}
        response = await self.send("questionnaire-post", "POST", path, ok=(303,), data=form)
        self.walk = [f"GET {response.headers['location']}"] if response is not None else []

    async def prep(self) -> None:
        step, self.prep_step = self.prep_step, (self.prep_step + 1) % 3
        if step == 0:
            response = await self.send("prep-form", "GET", "/prep")
            if response is not None:
                self._take_token(response)
            else:
                self.prep_step = 0
        elif step == 1:
            form = {**self.ctx["prep_form"], "counselor": self.rng.choice(self.ctx["slugs"])}
            form["_csrf_token"] = self.token
            if await self.send("prep-save", "POST", "/prep", ok=(303,), data=form) is None:
                self.prep_step = 0
        else:
            await self.send("prep-sheet", "GET", "/prep/sheet")

    async def run(self, until: float) -> None:
        kinds, weights = list(self.ctx["mix"]), list(self.ctx["mix"].values())
        try:
            while time.time() < until:
                kind = self.rng.choices(kinds, weights)[0]
                await getattr(self, kind)()
        finally:
            await self.client.aclose()


def step_forms() -> dict[str, Any]:
    """For each step id: answers -> the form fields a browser would post for that step."""
    from portal.readiness import load_questionnaire

    def builder(step_id: str) -> Any:
        items = [item.id for item in load_questionnaire().step(step_id).items]

        def form(answers: dict[str, Any]) -> dict[str, list[str]]:
            return {
                i: [str(v) for v in answers[i]]
                if isinstance(answers[i], list)
                else [str(answers[i])]
                for i in items
                if i in answers
            }

        return form

    return {step.id: builder(step.id) for step in load_questionnaire().steps}


async def client_main(args: argparse.Namespace) -> None:
    from tests.readiness_answers import V1, V2, V6

    base = f"http://127.0.0.1:{args.port}"
    ctx = {
        "timeout": args.timeout,
        "mix": args.mix,
        "tls": ssl.create_default_context(),
        "slugs": Path(args.slugs).read_text().split(),
        "answer_sets": [V1, V2, V6],
        "forms": step_forms(),
        "directory": [directory_request(random.Random(n)) for n in range(600)],
        "prep_form": {
            "when": "Tuesday 5 pm",
            "why": "We argue about the children's weekends and stop listening.",
            "goal1": "Agree a handover routine",
            "goal2": "Talk without shouting",
            "inc_suggest": "1",
            "inc_happen": "1",
        },
    }
    stats = Stats(measure_from=0)
    users = [User(base, random.Random(n), ctx, stats) for n in range(args.connections)]
    # Ready: the driver learns the start from this line and times its samples from it.
    start = time.time()
    print(f"START {start}", flush=True)
    stats.measure_from = start + args.warmup
    until = start + args.warmup + args.duration
    await asyncio.gather(*(u.run(until) for u in users))
    finished = time.time()
    Path(args.out).write_text(
        json.dumps(
            {
                "latency": stats.latency,
                "counts": stats.counts,
                "warmup": stats.warmup,
                "problems": stats.problems.most_common(30),
                "drained_seconds": round(finished - until, 2),
            }
        )
    )


# --- driver ------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert match, "VmRSS missing from /proc/<pid>/status"
    return int(match.group(1)) / 1024


def open_sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def collect_slugs(base: str) -> list[str]:
    """Profile slugs as a client would find them: from /api/counselors, varied filters."""
    slugs: set[str] = set()
    queries = [{"page": str(p), "per_page": "50"} for p in range(1, 11)]
    queries += [{"sees": s, "per_page": "50"} for s in SEES]
    queries += [{"zip": z, "radius": "50", "per_page": "50"} for z in ZIPS]
    with httpx.Client(base_url=base, timeout=60) as client:
        for params in queries:
            response = client.get("/api/counselors", params=params)
            response.raise_for_status()
            slugs.update(item["slug"] for item in response.json()["items"])
    return sorted(slugs)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_m = sum(m for _, m in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    cov = sum((t - mean_t) * (m - mean_m) for t, m in samples)
    return cov / var * 60 if var else 0.0


def table(report: dict[str, Any]) -> str:
    kinds = report["kinds"]
    lines = [
        f"{'kind':<22}{'requests':>9}{'ok':>8}{'failed':>8}{'4xx':>6}{'5xx':>6}{'other':>7}"
        f"{'p50 ms':>9}{'p99 ms':>9}"
    ]
    t = report["total"]
    for name, k in [*kinds.items(), ("total", t)]:
        lines.append(
            f"{name:<22}{k['requests']:>9}{k['ok']:>8}{k['failed']:>8}{k['4xx']:>6}"
            f"{k['5xx']:>6}{k['other']:>7}{k['p50_ms']:>9.0f}{k['p99_ms']:>9.0f}"
        )
    r, c = report["rss_mb"], report["cpu"]
    lines += [
        f"requests/s started {t['rps']:.1f}, answered ok {t['ok_rps']:.1f}, over "
        f"{report['duration_s']} s measured "
        f"(after {report['warmup_s']} s warm-up: {report['warmup_requests']} requests, "
        f"{report['warmup_bad']} not ok); peak open sockets at the server "
        f"{report['peak_sockets']}",
        f"server RSS MB: end of warm-up {r['warm']:.0f}, max {r['max']:.0f}, end {r['end']:.0f}, "
        f"slope {r['slope_mb_per_min']:+.1f} MB/min over the measured window, "
        f"{r['slope_second_half']:+.1f} MB/min over its second half",
        f"CPU (share of one core): server {c['server']:.0%}, client {c['client']:.0%}; "
        f"load average {report['loadavg']:.2f} on {os.cpu_count()} cores",
    ]
    return "\n".join(lines)


def summarise(
    raw: dict[str, Any], samples: list[tuple[float, float, int]], args: argparse.Namespace
) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    every: list[float] = []
    for name in sorted(raw["counts"]):
        counts, latency = raw["counts"][name], raw["latency"][name]
        every += latency
        kinds[name] = {
            "requests": sum(counts.values()),
            "ok": counts.get("ok", 0),
            "failed": counts.get("error", 0) + counts.get("timeout", 0),
            "timeouts": counts.get("timeout", 0),
            "4xx": counts.get("4xx", 0),
            "5xx": counts.get("5xx", 0),
            "other": counts.get("other", 0),
            "p50_ms": round(percentile(latency, 50) * 1000, 1),
            "p99_ms": round(percentile(latency, 99) * 1000, 1),
        }
    total = {
        key: sum(k[key] for k in kinds.values())
        for key in ("requests", "ok", "failed", "timeouts", "4xx", "5xx", "other")
    }
    total["rps"] = round(total["requests"] / args.duration, 1)
    total["ok_rps"] = round(total["ok"] / args.duration, 1)
    total["p50_ms"] = round(percentile(every, 50) * 1000, 1)
    total["p99_ms"] = round(percentile(every, 99) * 1000, 1)
    warm_end = args.start + args.warmup
    measured = [(t, m) for t, m, _ in samples if t >= warm_end]
    before = [m for t, m, _ in samples if t < warm_end]
    return {
        "listings": args.count,
        "connections": args.connections,
        "warmup_s": args.warmup,
        "duration_s": args.duration,
        "weights": args.mix,
        "rate_limit_posts": "PORTAL_RATE_LIMIT_POSTS=1000000000 (all users are 127.0.0.1)",
        "kinds": kinds,
        "total": total,
        "warmup_requests": sum(raw["warmup"].values()),
        "warmup_bad": sum(v for k, v in raw["warmup"].items() if k != "ok"),
        "problems": raw["problems"],
        "drained_s": raw["drained_seconds"],
        "peak_sockets": max((s for _, _, s in samples), default=0),
        "rss_mb": {
            "warm": round(before[-1] if before else measured[0][1], 1),
            "max": round(max(m for _, m in measured), 1),
            "end": round(measured[-1][1], 1),
            "slope_mb_per_min": round(slope_mb_per_min(measured), 2),
            # Caches (SQLite's pages, facet bitmaps, totals) fill at a falling rate: the
            # second half of the window shows where memory settles.
            "slope_second_half": round(slope_mb_per_min(measured[len(measured) // 2 :]), 2),
            "samples": [round(m, 1) for _, m, _ in samples],
        },
    }


def parse_mix(text: str) -> dict[str, int]:
    mix = {name: int(weight) for name, _, weight in (p.partition("=") for p in text.split(","))}
    if not mix or set(mix) - set(WEIGHTS) or sum(mix.values()) <= 0:
        raise argparse.ArgumentTypeError(f"kinds are {', '.join(WEIGHTS)}")
    return mix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="listings to generate")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--duration", type=int, default=30, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=60, help="warm-up seconds")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument(
        "--mix",
        type=parse_mix,
        default=WEIGHTS,
        help="weights, e.g. directory=35,profile=25,questionnaire=25,prep=15",
    )
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing database")
    parser.add_argument("--db", type=Path, help="database file (default: bench/run.py's)")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--slugs", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        asyncio.run(client_main(args))
        return 0

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    db = args.db or DATA / f"bench-{args.count}.db"
    if not (args.reuse_db and db.exists()):
        print(f"building {args.count:,} listings ...", flush=True)
        print(f"built in {build_database(db, args.count):.1f} s", flush=True)
    else:
        migrate_database(db)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = DATA / "load-server.log"
    server = start_server(db, port, log)
    out = DATA / "load-client.json"
    out.unlink(missing_ok=True)
    try:
        slugs = collect_slugs(base)
        (DATA / "load-slugs.txt").write_text("\n".join(slugs) + "\n")
        print(
            f"{len(slugs)} profile slugs from /api/counselors; {args.connections} users, "
            f"{args.warmup} s warm-up + {args.duration} s measured, mix {args.mix}; "
            "PORTAL_RATE_LIMIT_POSTS set high (every user is 127.0.0.1)",
            flush=True,
        )
        client = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--client",
                f"--port={port}",
                f"--warmup={args.warmup}",
                f"--duration={args.duration}",
                f"--connections={args.connections}",
                f"--timeout={args.timeout}",
                "--mix=" + ",".join(f"{k}={v}" for k, v in args.mix.items()),
                f"--slugs={DATA / 'load-slugs.txt'}",
                f"--out={out}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert client.stdout is not None
        ready = client.stdout.readline()  # after the client's imports and set-up
        if not ready.startswith("START "):
            client.wait()
            raise SystemExit(f"the client failed to start ({client.returncode})")
        args.start = float(ready.split()[1])
        samples: list[tuple[float, float, int]] = []
        warm_end = args.start + args.warmup
        end = warm_end + args.duration
        cpu_at: dict[str, tuple[float, float, float]] = {}  # mark -> (clock, server, client)
        while client.poll() is None:
            now = time.time()
            samples.append((now, rss_mb(server.pid), open_sockets(server.pid)))
            for mark, when in (("warm", warm_end), ("end", end)):
                if now >= when and mark not in cpu_at:
                    with contextlib.suppress(OSError):  # the client may just have exited
                        cpu_at[mark] = (now, cpu_seconds(server.pid), cpu_seconds(client.pid))
            if now > end + args.timeout + 30:
                client.kill()
                raise SystemExit("the client did not finish: killed")
            pending = [
                when for mark, when in (("warm", warm_end), ("end", end)) if mark not in cpu_at
            ]
            time.sleep(min([1.0, *(max(0.02, when - now) for when in pending)]))
        if client.returncode != 0 or not out.exists():
            raise SystemExit(f"the client exited with {client.returncode}")
        loadavg = os.getloadavg()[0]
        server_alive = server.poll() is None
    finally:
        stop_server(server)

    report = summarise(json.loads(out.read_text()), samples, args)
    report["loadavg"] = loadavg
    report["server_alive_at_end"] = server_alive
    if "end" not in cpu_at:
        raise SystemExit("the client exited before the end of the measured window")
    elapsed = cpu_at["end"][0] - cpu_at["warm"][0]
    report["cpu"] = {
        "server": round((cpu_at["end"][1] - cpu_at["warm"][1]) / elapsed, 3),
        "client": round((cpu_at["end"][2] - cpu_at["warm"][2]) / elapsed, 3),
    }
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
    report["server_log_errors"] = errors[:20]
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2) + "\n")

    print()
    print(
        f"{args.count:,} listings ({db.name}), one server process, {args.connections} connections, "
        f"{args.duration} s measured after {args.warmup} s warm-up"
    )
    print(table(report))
    for problem, count in report["problems"]:
        print(f"  {count:>6} x {problem}")
    for line in errors[:10]:
        print(f"  server log: {line}")
    bad = report["total"]["failed"] + report["total"]["5xx"] + report["warmup_bad"]
    print(f"server log: {log.relative_to(ROOT)}; figures: bench/results/load.json")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
