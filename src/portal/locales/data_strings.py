"""Every text a person can see that is kept as data, with where it comes from.

The data files hold English; the runtime looks each string up in the ``content`` catalog
(``locales/<lang>/LC_MESSAGES/content.po``, msgid = the English string). This module lists those
strings, for extracting ``content.pot`` (``python -m portal.locales.data_strings content.pot``,
or ``make i18n-extract-content``) and for the test that every one has a translation.

Keys that are identifiers (ids, slugs, item codes, source ids, conditions, ``_about`` notes for
developers) are not shown text and are left out. So are titles as a source publishes them (an
external source's published title, an article's original title, a section heading quoted from an
article): they name an English-language source a reader may look up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from portal import content
from portal.paths import PACKAGE_DIR


@dataclass(frozen=True)
class DataString:
    """One shown string: its English text, the file it is in and where in that file."""

    text: str
    file: str
    where: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.where}"


def questionnaire_strings(data: Any | None = None) -> Iterator[DataString]:
    """Title, step titles and intros, item texts, help, answer labels and input messages."""
    q = content.questionnaire() if data is None else data
    f = "readiness/questionnaire.json"
    yield DataString(q["title"], f, "title")
    for step in q["steps"]:
        sid = step["id"]
        yield DataString(step["title"], f, f"steps[{sid}].title")
        if step.get("intro"):
            yield DataString(step["intro"], f, f"steps[{sid}].intro")
        for item in step["items"]:
            iid = item["id"]
            for key in ("text", "help", "pattern_message"):
                if item.get(key):
                    yield DataString(item[key], f, f"steps[{sid}].items[{iid}].{key}")
            for option in item.get("options", ()):
                yield DataString(
                    option["label"], f, f"steps[{sid}].items[{iid}].options[{option['value']}]"
                )


def messages_strings(data: Any | None = None) -> Iterator[DataString]:
    """Outcome labels and messages, reasons, kinds of help and self-help steps."""
    m = content.messages() if data is None else data
    f = "readiness/messages.json"
    for section in ("outcomes", "outcome_variants"):
        for code, entry in m.get(section, {}).items():
            for key in ("label", "message"):
                yield DataString(entry[key], f, f"{section}.{code}.{key}")
    for section in ("reasons", "help_kinds", "selfhelp"):
        for code, entry in m.get(section, {}).items():
            for key in ("title", "text"):
                if entry.get(key):
                    yield DataString(entry[key], f, f"{section}.{code}.{key}")
            for group, variant in entry.get("by_group", {}).items():
                for key in ("title", "text"):
                    if variant.get(key):
                        yield DataString(
                            variant[key], f, f"{section}.{code}.by_group.{group}.{key}"
                        )


# Keys of prep/content.json whose string values are identifiers or references, not shown text.
_PREP_NOT_SHOWN = frozenset(
    {"_about", "id", "sets", "unless", "when", "items_ref", "footer_lines", "footer_always"}
)


def prep_strings(data: Any | None = None) -> Iterator[DataString]:
    """Every string of the prep sheet's content except identifiers and references.

    ``happening[].items`` lists questionnaire item ids; ``footer_lines`` and ``discreet_line.id``
    name crisis lines (their words live in seed/crisis_lines.json)."""
    p = content.prep() if data is None else data
    f = "prep/content.json"

    def walk(node: Any, path: str) -> Iterator[DataString]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _PREP_NOT_SHOWN:
                    continue
                if key == "items" and all(isinstance(v, str) for v in value):
                    continue  # the questionnaire items a line stands for
                yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                label = value.get("id") if isinstance(value, dict) else None
                yield from walk(value, f"{path}[{label or index}]")
        elif isinstance(node, str):
            yield DataString(node, f, path)

    yield from walk(p, "")


def taxonomy_strings(data: Any | None = None) -> Iterator[DataString]:
    """Each facet term's label, and the long name of a licence type."""
    t = content.taxonomy() if data is None else data
    f = "seed/taxonomy.json"
    for facet, terms in t.items():
        if facet.startswith("_"):
            continue
        for term in terms:
            for key in ("label", "long"):
                if term.get(key):
                    yield DataString(term[key], f, f"{facet}[{term['slug']}].{key}")


def criteria_strings(data: Any | None = None) -> Iterator[DataString]:
    """What results and /about/sources show of a source in our own words: an article's plain
    name, a passage's plain name (a section that is not a printed heading), each paraphrase,
    an external source's title when it is a plain name in our words (``published_title:
    false``), and who publishes each one."""
    c = content.criteria() if data is None else data
    f = "seed/criteria.json"
    for key, article in c["articles"].items():
        yield DataString(article["name"], f, f"articles[{key}].name")
    for cid, crit in c["criteria"].items():
        yield DataString(crit["title"], f, f"criteria[{cid}].title")
        if not crit.get("heading", True):
            yield DataString(crit["section"], f, f"criteria[{cid}].section")
        yield DataString(crit["paraphrase"], f, f"criteria[{cid}].paraphrase")
    for eid, ext in c["external"].items():
        if eid == "OURS" or ext.get("published_title") is False:
            yield DataString(ext["title"], f, f"external[{eid}].title")
        if ext.get("publisher"):
            yield DataString(ext["publisher"], f, f"external[{eid}].publisher")
        yield DataString(ext["paraphrase"], f, f"external[{eid}].paraphrase")


def outreach_strings(data: Any | None = None) -> Iterator[DataString]:
    """Every sentence of a first message to a counselor and of the calendar events."""
    w = content.outreach() if data is None else data
    f = "directory/outreach.json"

    def walk(node: Any, path: str) -> Iterator[DataString]:
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):
                    yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, str):
            yield DataString(node, f, path)

    yield from walk(w, "")


SOURCES = {
    "questionnaire": questionnaire_strings,
    "messages": messages_strings,
    "prep": prep_strings,
    "taxonomy": taxonomy_strings,
    "criteria": criteria_strings,
    "outreach": outreach_strings,
}


@cache
def all_strings() -> tuple[DataString, ...]:
    """Every shown data string, in file order (a string may appear in several places)."""
    return tuple(s for source in SOURCES.values() for s in source())


def write_pot(path: Path) -> int:
    """Write the template catalog of the data strings; returns how many messages it holds."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="portal", domain="content", charset="utf-8")
    for s in all_strings():
        catalog.add(s.text, locations=[(s.file, 0)], auto_comments=[s.where])
    with path.open("wb") as out:
        write_po(out, catalog, width=100, omit_header=False, include_lineno=False)
    return len(catalog)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else PACKAGE_DIR / "locales" / "content.pot"
    count = write_pot(target)
    print(f"{count} messages written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
