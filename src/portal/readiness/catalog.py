"""The citation catalog (``seed/criteria.json``) and the crisis lines (``seed/crisis_lines.json``).

Both are data so that a wrong phone number or a re-worded paraphrase is a data fix, not a code
change. They are read once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from portal import content
from portal.i18n.text import N_, Localized, Text

OURS = "OURS"
"""The catalog id of texts that are our own suggestion rather than a published source's."""


@dataclass(frozen=True)
class Citation:
    """One citable source: an article criterion (``A002-12``), external guidance (``EXT-...``)
    or ``OURS``, a text that is our own suggestion.

    For an article, ``title`` is the plain descriptive name shown on results ("a guide for
    co-parents"); ``original_title`` is the title the text prints (None when it has none), kept
    for a sources page. ``fits`` lists the relationships (G0.1 answers) the article is written
    for."""

    id: str
    title: str
    section: str | None
    paraphrase: str
    article_file: str | None = None
    publisher: str | None = None
    url: str | None = None
    original_title: str | None = None
    heading: bool = True
    fits: frozenset[str] = frozenset()
    published_title: bool = True  # an external title as published (else our plain name)

    @property
    def is_article(self) -> bool:
        return self.article_file is not None

    @property
    def is_ours(self) -> bool:
        return self.id == OURS

    def fits_relationship(self, relationship: object) -> bool:
        """External guidance fits everyone; an article only the relationships it is written for."""
        return not self.is_article or relationship in self.fits

    @property
    def short(self) -> str:
        """Plain-words citation, e.g. ``a guide for co-parents, section "Resolving Conflicts"``."""
        if self.is_article:
            if self.heading:
                return Text(
                    N_("{title}, section “{section}”"), title=self.title, section=self.section
                )
            return Text(N_("{title}, {section}"), title=self.title, section=self.section)
        if not self.publisher:
            return self.title
        return Text(N_("{title} ({publisher})"), title=self.title, publisher=self.publisher)


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
    in_sentence: str | None = None
    """How a sentence asks the person to reach the line ("call or text 988")."""


@cache
def citations() -> dict[str, Citation]:
    """Every citation in the catalog, keyed by id."""
    raw = content.criteria()
    out: dict[str, Citation] = {}
    articles = raw["articles"]
    for cid, c in raw["criteria"].items():
        article = articles[c["article"]]
        out[cid] = Citation(
            id=cid,
            title=c["title"],
            section=c["section"],
            paraphrase=with_lines(c["paraphrase"]),
            article_file=c["file"],
            original_title=article.get("original_title"),
            heading=c.get("heading", True),
            fits=frozenset(article.get("fits", ())),
        )
    for eid, e in raw["external"].items():
        out[eid] = Citation(
            id=eid,
            title=e["title"],
            section=None,
            paraphrase=with_lines(e["paraphrase"]),
            publisher=e.get("publisher"),
            url=e.get("url"),
            published_title=e.get("published_title", True),
        )
    return out


def articles() -> dict[str, dict[str, Any]]:
    """The source articles by prefix: file, plain name, original title (or None) and fits."""
    return content.criteria()["articles"]


def cite(source_id: str) -> Citation:
    """The citation for ``source_id``; raises KeyError for an unknown id."""
    return citations()[source_id]


def with_lines(template: str, values: dict[str, object] | None = None) -> Text:
    """``template`` filled with ``values``; its ``{reach_<line id>}`` is how a sentence asks the
    person to reach that line ("call or text 988", in Spanish "call 988 and press 2"), so the
    number and its Spanish option live only in seed/crisis_lines.json."""
    if "{reach_" in template:
        values = {**reach(), **(values or {})}
    return Text(template, values)


@cache
def reach() -> dict[str, object]:
    """``reach_<line id>``: how a sentence asks the person to reach each line that says so."""
    return {
        f"reach_{line.id}": line.in_sentence for line in crisis_lines().values() if line.in_sentence
    }


def localized(line: dict[str, Any], key: str) -> Any:
    """A crisis line's ``key`` as one text that carries its Spanish option too (988: press 2),
    for texts written before the page's language is known: ``portal.i18n.translate`` picks it
    (``portal.resources.in_language`` does the same for a whole line on a page)."""
    value = line.get(key)
    spanish = (line.get("spanish") or {}).get(key)
    return Localized(value, {"es": spanish}) if value and spanish else value


@cache
def crisis_lines() -> dict[str, CrisisLine]:
    """Crisis and support lines keyed by id, in file order."""
    raw = content.crisis_lines()
    return {
        line["id"]: CrisisLine(
            id=line["id"],
            name=line["name"],
            contact=localized(line, "contact"),
            href=line.get("href"),
            sms=line.get("sms"),
            tty=line.get("tty"),
            chat=line.get("chat"),
            when=line["when"],
            for_=line["for"],
            discreet_label=localized(line, "discreet_label"),
            source=line["source"],
            in_sentence=localized(line, "in_sentence"),
        )
        for line in raw["lines"]
    }


def crisis_lines_verified() -> date:
    """The day the crisis-line file's numbers were last checked."""
    return date.fromisoformat(content.crisis_lines()["last_verified"])


def taxonomy() -> dict[str, Any]:
    """The directory vocabulary (``seed/taxonomy.json``)."""
    return content.taxonomy()


def taxonomy_slugs(facet: str) -> frozenset[str]:
    return frozenset(entry["slug"] for entry in taxonomy()[facet])


def joint_modalities() -> tuple[str, ...]:
    """Modalities marked ``"joint": true``: never preset for a safety or crisis result."""
    return tuple(m["slug"] for m in taxonomy()["modality"] if m.get("joint"))
