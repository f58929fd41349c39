"""Small deterministic building blocks shared by the generator's steps."""

from __future__ import annotations

import bisect
import functools
import random
import re
import unicodedata
from collections.abc import Sequence

from portal.generate.data import ORDER, Pairs

_RANK = {facet: {slug: i for i, slug in enumerate(slugs)} for facet, slugs in ORDER.items()}

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                 "seventeen", "eighteen", "nineteen", "twenty")  # fmt: skip


def ordered(facet: str, values: list[str] | set[str]) -> list[str]:
    rank = _RANK[facet]
    return sorted(set(values), key=rank.__getitem__)


def states_ordered(values: list[str] | set[str]) -> list[str]:
    return sorted(set(values))


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@functools.lru_cache(maxsize=256)
def _cumulative(pairs: Pairs) -> tuple[list[str], list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


def pick_weighted(rng: random.Random, pairs: Pairs) -> str:
    values, cum = _cumulative(pairs)
    return values[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(values) - 1)]


def sample(rng: random.Random, pool: Sequence[str], k_min: int, k_max: int) -> list[str]:
    k = rng.randint(k_min, min(k_max, len(pool)))
    return rng.sample(list(pool), k)


def num(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Largest-remainder split of ``total`` by ``weights``."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
