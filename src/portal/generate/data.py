"""The generator's word lists and tables, read once from the JSON files beside this module.

Weighted choices are kept as tuples of (value, weight) pairs: they are hashable, so the
cumulative weights of each table are computed once (see ``rules.pick_weighted``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.states import STATE_NAMES

DATA = Path(__file__).with_name("data")

Pairs = tuple[tuple[str, Any], ...]


def _read(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def _pairs(rows: list[list[Any]]) -> Pairs:
    return tuple((value, weight) for value, weight in rows)


def _pools(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in table.items()}


@dataclass(frozen=True)
class Metro:
    slug: str
    label: str
    weight: int  # share of the metro listings
    tier: int  # 1 = lower fees ... 3 = big coastal metro, widest and highest fees
    zips: tuple[tuple[str, str, str, str], ...]  # (zip, city, state, area code)
    county: str
    hoods: tuple[str, ...]
    neighbours: tuple[str, ...]  # other states a clinician here may also be licensed in
    heritage: Pairs  # name/language pools and their weights
    spanish_min: int = 1  # Spanish-speaking listings at least, however few the metro has

    @property
    def spanish_share(self) -> float:
        """The metro's share of Spanish speakers, as its Hispanic heritage weight stands for it."""
        total = sum(w for _, w in self.heritage)
        return dict(self.heritage).get("hispanic", 0) / total if total else 0.0


_places = _read("places")
_people = _read("people")
_clinical = _read("clinical")
_bios = _read("bios")

# --- places ---------------------------------------------------------------------------------
STATES: tuple[str, ...] = tuple(STATE_NAMES)  # 50 states + DC
# One plausible area code per state, for telehealth-only listings (the number is 555-01xx).
STATE_AREA: dict[str, str] = _places["state_area"]
# States whose professional counselors are licensed as LMHC rather than LPC.
LMHC_STATES = frozenset(_places["lmhc_states"])
# States where Kaiser Permanente runs a plan.
KAISER_STATES = frozenset(_places["kaiser_states"])
METROS: tuple[Metro, ...] = tuple(
    Metro(
        m["slug"],
        m["label"],
        m["weight"],
        m["tier"],
        tuple((z, city, state, area) for z, city, state, area in m["zips"]),
        m["county"],
        tuple(m["hoods"]),
        tuple(m["neighbours"]),
        _pairs(m["heritage"]),
        m.get("spanish_min", 1),
    )
    for m in _places["metros"]
)
METRO_BY_SLUG: dict[str, Metro] = {m.slug: m for m in METROS}
# Listings added where a metro was too thin for the hand-off from a readiness result: each
# finds at least three counselors near these ZIP codes for a safety result (also in Spanish),
# a crisis result, a parent estranged from an adult child, a Spanish-speaking co-parent and a
# couple (tests/web/test_directory_preset.py), with ZIPs 60614, 78701, 85004, 90033, 30303,
# 98101 and 80202.
# (metro, office ZIP, role, how many, forced traits), or (state, None, ...) for telehealth
# only; every one open to new clients, recently verified, screening each person
# individually, with video.
COVERAGE: tuple[tuple[str, str | None, str, int, tuple[str, ...]], ...] = tuple(
    (place, zip_code, role, count, tuple(traits))
    for place, zip_code, role, count, traits in _places["coverage"]
)
COVERAGE_COUNT = sum(entry[3] for entry in COVERAGE)

# --- people ---------------------------------------------------------------------------------
NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    heritage: _pools(pools) for heritage, pools in _people["names"].items()
}
# Language a heritage pool may bring, and how often the clinician offers sessions in it.
HERITAGE_LANG: dict[str, Pairs] = {
    heritage: _pairs(rows) for heritage, rows in _people["heritage_languages"].items()
}
# Metros where a Spanish-only practice is believable.
SPANISH_ONLY_METROS = frozenset(_people["spanish_only_metros"])
LANGUAGE_NAMES: dict[str, str] = _people["language_names"]

# --- clinical profiles ----------------------------------------------------------------------
# Lists in records follow taxonomy order, so output is stable and readable.
ORDER: dict[str, tuple[str, ...]] = _pools(_clinical["order"])
ROLE_WEIGHTS: Pairs = _pairs(_clinical["role_weights"])
# Every metro gets one of each of these first, so each has the profiles users look for.
ROLE_ROTATION: tuple[str, ...] = tuple(_clinical["role_rotation"])
LICENCE_BY_ROLE: dict[str, Pairs] = {
    role: _pairs(rows) for role, rows in _clinical["licence_by_role"].items()
}

# --- bios -----------------------------------------------------------------------------------
OPENERS = _pools(_bios["openers"])
BACKGROUND = _pools(_bios["background"])
for _role, _same_as in _bios["background_same_as"].items():
    BACKGROUND[_role] = BACKGROUND[_same_as]
METHOD = _pools(_bios["method"])
SENTENCES: dict[str, tuple[str, ...]] = {
    key: tuple(values) for key, values in _bios.items() if isinstance(values, list)
}
