"""The citation catalog (``seed/criteria.json``) and the crisis lines (``seed/crisis_lines.json``).

Both are data so that a wrong phone number or a re-worded paraphrase is a data fix, not a code
change. They are read once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from portal.paths import SEED_DIR

CRITERIA_FILE: Path = SEED_DIR / "criteria.json"
CRISIS_LINES_FILE: Path = SEED_DIR / "crisis_lines.json"


@dataclass(frozen=True)
class Citation:
    """One citable source: an article criterion (``A002-12``) or external guidance (``EXT-...``)."""

    id: str
    title: str
    section: str | None
    paraphrase: str
    article_file: str | None = None
    publisher: str | None = None
    url: str | None = None

    @property
    def is_article(self) -> bool:
        return self.article_file is not None

    @property
    def short(self) -> str:
        """Plain-words citation, e.g. ``Rebuilding Trust With Your Ex, "(opening ...)"``."""
        if self.is_article:
            return f"{self.title}, section “{self.section}”"
        return f"{self.title} ({self.publisher})"


@dataclass(frozen=True)
class CrisisLine:
    id: str
    name: str
    contact: str
    href: str | None
    sms: str | None
    tty: str | None
    chat: str | None
    when: str
    for_: str
    discreet_label: str
    source: str


@cache
def _criteria_raw() -> dict[str, Any]:
    return json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))


@cache
def citations() -> dict[str, Citation]:
    """Every citation in the catalog, keyed by id."""
    raw = _criteria_raw()
    out: dict[str, Citation] = {}
    for cid, c in raw["criteria"].items():
        out[cid] = Citation(
            id=cid,
            title=c["title"],
            section=c["section"],
            paraphrase=c["paraphrase"],
            article_file=c["file"],
        )
    for eid, e in raw["external"].items():
        out[eid] = Citation(
            id=eid,
            title=e["title"],
            section=None,
            paraphrase=e["paraphrase"],
            publisher=e["publisher"],
            url=e.get("url"),
        )
    return out


def cite(source_id: str) -> Citation:
    """The citation for ``source_id``; raises KeyError for an unknown id."""
    return citations()[source_id]


@cache
def crisis_lines() -> dict[str, CrisisLine]:
    """Crisis and support lines keyed by id, in file order."""
    raw = json.loads(CRISIS_LINES_FILE.read_text(encoding="utf-8"))
    return {
        line["id"]: CrisisLine(
            id=line["id"],
            name=line["name"],
            contact=line["contact"],
            href=line.get("href"),
            sms=line.get("sms"),
            tty=line.get("tty"),
            chat=line.get("chat"),
            when=line["when"],
            for_=line["for"],
            discreet_label=line["discreet_label"],
            source=line["source"],
        )
        for line in raw["lines"]
    }


def crisis_lines_verified() -> str:
    """The ``last_verified`` date of the crisis-line file (ISO date string)."""
    return json.loads(CRISIS_LINES_FILE.read_text(encoding="utf-8"))["last_verified"]


TAXONOMY_FILE: Path = SEED_DIR / "taxonomy.json"


@cache
def taxonomy() -> dict[str, Any]:
    """The directory vocabulary (``seed/taxonomy.json``)."""
    return json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))


def taxonomy_slugs(facet: str) -> frozenset[str]:
    return frozenset(entry["slug"] for entry in taxonomy()[facet])


def joint_modalities() -> tuple[str, ...]:
    """Modalities marked ``"joint": true``: never preset for a safety or crisis result."""
    return tuple(m["slug"] for m in taxonomy()["modality"] if m.get("joint"))
