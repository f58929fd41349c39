"""POST windows: a count per address and minute, in constant memory per address."""

from __future__ import annotations

import pytest

from portal import ratelimit
from portal.ratelimit import Windows


def test_the_limit_counts_per_address_and_says_how_long_to_wait() -> None:
    windows = Windows(per_minute=3)
    assert [windows.refused_for("a") for _ in range(3)] == [None, None, None]
    wait = windows.refused_for("a")
    assert wait is not None and 59 < wait <= 60
    assert windows.refused_for("b") is None


def test_a_new_minute_starts_a_new_count(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    windows = Windows(per_minute=1)
    assert windows.refused_for("a") is None
    assert windows.refused_for("a") == 60
    now[0] += 60
    assert windows.refused_for("a") is None


def test_a_flood_of_addresses_keeps_only_the_current_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(ratelimit, "PRUNE_AT", 100)
    windows = Windows(per_minute=5)
    for i in range(100):
        windows.refused_for(f"10.0.0.{i}")
    now[0] += 61
    for i in range(150):
        windows.refused_for(f"10.1.{i}.1")
    assert not [address for address in windows.open if address.startswith("10.0.0.")]
    assert len(windows.open) == 150
