"""The benchmark's p50 and p99 are of all an endpoint's requests, its parts merged."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_run", module)
    spec.loader.exec_module(module)
    return module


run = _run_module()


def _window(latencies: list[float]):
    ordered = sorted(latencies)
    n = len(ordered)
    quantiles = [ordered[max(0, -(-n * i // 1000) - 1)] for i in range(1, 1001)]
    return run.Window(
        requests=n,
        seconds=5.0,
        p50_ms=quantiles[499],
        p99_ms=quantiles[989],
        server_cpu_s=0.0,
        client_cpu_s=0.0,
        errors=0,
        quantiles_ms=quantiles,
    )


def test_one_window_gives_its_own_percentiles():
    window = _window([float(i) for i in range(1, 2001)])
    assert run.merged_percentile([window], 50) == 1000.0
    assert run.merged_percentile([window], 99) == 1980.0


def test_a_slow_window_counts_by_its_share_of_the_requests():
    fast = _window([40.0] * 3000)
    slow = _window([40.0] * 2940 + [70.0] * 60)  # 2% of this part is slow: its own p99 is 70
    merged = [fast, slow, fast, fast]
    assert slow.p99_ms == 70.0
    assert run.merged_percentile(merged, 99) == 40.0  # 60 of 12,000 requests is 0.5%
    assert run.merged_percentile(merged, 99.9) == 70.0
    assert run.figures(merged).worst_part_p99_ms == 70.0


def test_merged_percentiles_match_the_pooled_requests():
    rng = random.Random(7)
    parts = [[rng.lognormvariate(3.7, 0.1 + 0.05 * k) for _ in range(4000)] for k in range(4)]
    pooled = sorted(x for part in parts for x in part)
    merged = [_window(part) for part in parts]
    for percent in (50, 90, 99):
        exact = pooled[int(len(pooled) * percent / 100) - 1]
        assert abs(run.merged_percentile(merged, percent) - exact) / exact < 0.01
