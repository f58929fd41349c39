"""Bios composed from many sentence templates chosen by the listing's own attributes."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from portal.generate.data import BACKGROUND, METHOD, OPENERS, SENTENCES


class BioComposer:
    """Chooses sentence templates, preferring the least-used one in each pool, so that a few
    hundred bios use the whole library evenly (deterministic: ties are broken by the rng)."""

    def __init__(self, rng: random.Random, balance: bool) -> None:
        self.rng = rng
        self.balance = balance
        self.used: Counter[str] = Counter()
        self.language_pool: tuple[str, ...] = ()
        """Language sentences beside ``SENTENCES["language"]`` (added for the listings made
        after the rest, so the earlier bios stay as they were)."""

    def choose(self, pool: Sequence[str]) -> str:
        if not self.balance:
            return self.rng.choice(pool)
        low = min(self.used[t] for t in pool)
        candidates = [t for t in pool if self.used[t] == low]
        choice = self.rng.choice(candidates)
        self.used[choice] += 1
        return choice

    def _background(self, rec: dict[str, Any], role: str) -> str:
        if rec["office"] is None:
            return self.choose(SENTENCES["background_remote"])
        background = BACKGROUND.get(role, BACKGROUND["generic"])
        if self.rng.random() < 0.3:
            background = BACKGROUND["generic"]
        return self.choose(background)

    def _method(self, rec: dict[str, Any]) -> str | None:
        keys = [t for t in ("gottman-certified", "iceeft-certified") if t in rec["trainings"]]
        keys += [m for m in rec["modalities"] if m in METHOD]
        if not keys:
            return None
        key = keys[0] if self.rng.random() < 0.6 else self.rng.choice(keys)
        return self.choose(METHOD[key])

    def _practical(self, rec: dict[str, Any]) -> list[str]:
        """Screening, language, fees, format, hours, insurance, children, consultation."""
        rng, pools = self.rng, SENTENCES
        practical: list[str] = []
        if rec["screens_individually"] and ({"couples", "co-parents"} & set(rec["sees"])):
            practical.append(self.choose(pools["screening"]))
        if any(lang != "en" for lang in rec["languages"]):
            practical.append(self.choose((*pools["language"], *self.language_pool)))
        if rec["sliding_scale"]:
            practical.append(self.choose(pools["sliding"]))
        if rec["office"] is None:
            practical.append(self.choose(pools["telehealth_only"]))
        elif "video" in rec["formats"] and rng.random() < 0.4:
            practical.append(self.choose(pools["hybrid"]))
        if (rec["evenings"] or rec["weekends"]) and rng.random() < 0.3:
            hours = (
                "hours_both"
                if rec["evenings"] and rec["weekends"]
                else "hours_evening"
                if rec["evenings"]
                else "hours_weekend"
            )
            practical.append(self.choose(pools[hours]))
        if not rec["insurance"] and rec["superbills"] and rng.random() < 0.3:
            practical.append(self.choose(pools["no_insurance"]))
        if rec["children_age_min"] is not None and rng.random() < 0.3:
            practical.append(self.choose(pools["children"]))
        if rec["free_consult"] and rng.random() < 0.25:
            practical.append(self.choose(pools["consult"]))
        return practical

    def compose(self, rec: dict[str, Any], role: str, ctx: dict[str, Any]) -> str:
        rng = self.rng
        parts: list[str] = [self.choose(OPENERS[rec["specialties"][0]])]
        optional: list[tuple[int, str]] = [(1, self._background(rec, role))]  # (slot, template)
        method = self._method(rec)
        if method is not None:
            optional.append((2, method))
        practical = self._practical(rec)
        if practical:
            rng.shuffle(practical)
            # language and telehealth facts are worth keeping; others compete for space
            optional.append((3, practical[0]))
            if len(practical) > 1:
                optional.append((4, practical[1]))
        closings = SENTENCES["closings" if rec["office"] else "closings_remote"]
        optional.append((5, self.choose(closings)))

        k = rng.choice((1, 2, 2, 3, 3))
        chosen = sorted(rng.sample(optional, min(k, len(optional))))
        parts.extend(t for _, t in chosen)
        return " ".join(parts).format(**ctx)
