"""The free-text screening: crisis, violence and coercive control read in what a person writes.

The phrases live in ``screening.json``, by language, each pattern under the kind of disclosure
it names (suicide, self-harm, physical or sexual violence, strangulation, weapons, threats,
stalking, monitoring, control of phone, money, car or papers, isolation, fear, abuse named as
such). A web form cannot ask a follow-up question in the moment, so what matches counts: the
result page names what was read and lets the person say we misread them (readiness.md 3.4;
reader comment A004-C5 "beating on me" may be a typo for "cheating", and the portal does not
guess at typos).

How text is read:

- Lower case, accents removed and curly apostrophes made straight, so "teléfono" and
  "telefono", "don’t" and "don't" read the same. Matching is on whole words.
- Everyday idioms ("this is killing me", "hit a rough patch", "jumped the gun", "blows up my
  phone") are blanked out first. Ambiguous verbs ("hit", "beat", "follow", "took my phone") count
  only with a person as subject ("he", "she", "my ex", "my baby's father", "bd") and as object.
- A plain denial is not a disclosure: when "not", "never", "n't" or "no" governs the phrase
  ("he has never hit me", "I'm not suicidal") and nothing later in the same clause reopens it
  ("until", "since", "anymore", "again", "when", "in front of", "yet" ...), the phrase does not
  count. Anything less clear counts ("I'm not saying he hits me"). Patterns whose meaning holds a
  negation ("can't go on", "won't let me see my friends") are never cancelled.
- Read literally, as written: "he'll kill me if he finds out" counts even though "my mom will
  kill me" can be a figure of speech, and any mention of a gun counts (access to a gun is the
  strongest single sign of danger). Someone else's suicide threat ("he says he'll kill himself
  if I leave") is a threat, not the writer's crisis.
- English and Spanish are both read by default, because people mix them ("I'm so tired, ya no
  quiero vivir"); each language's idioms are blanked only for its own patterns. The Spanish
  list avoids words that are also English ("suicidal"), so English denials are not undone by
  the Spanish list. Spanish is matched without accents ("telefono", "teléfono"), which merges
  a few verb forms ("me quitó" / "me quito"); both read as the same disclosure.

Every pattern is compiled once per process, with bounded gaps between words, so no input can
make the matcher backtrack without bound.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from portal import content
from portal.i18n.text import Localized

_APOSTROPHES: Final = frozenset("\u2019\u2018\u02bc\u0060\u00b4\u2032")
_CLAUSE_END: Final = re.compile(r"[.,;:!?¿¡()\n]| but | pero | and | y ")
_TOKEN: Final = re.compile(r"[\w']+")
_MACRO: Final = re.compile(r"\{([A-Z]+)\}")


@dataclass(frozen=True)
class Disclosure:
    """One thing read in free text: the words as written, what kind of disclosure they are, the
    plain-words label shown on the result, and whether it is crisis language."""

    phrase: str
    kind: str
    label: str
    crisis: bool
    lang: str


@dataclass(frozen=True)
class _Branch:
    pattern: re.Pattern[str]
    kind: str
    deniable: bool  # a plain denial cancels it


@dataclass(frozen=True)
class _Language:
    branches: tuple[_Branch, ...]
    ordinary: re.Pattern[str] | None
    negators: frozenset[str]
    skippable: frozenset[str]
    reopeners: re.Pattern[str] | None


class _Fold(dict[int, str]):
    """str.translate table: any non-ASCII character to exactly one lower-case character, so
    offsets in the folded text are offsets in the original."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _APOSTROPHES:
            out = "'"
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            ).lower()
            out = base if len(base) == 1 else (ch.lower() if len(ch.lower()) == 1 else ch)
        self[code] = out
        return out


_FOLD: Final = _Fold()


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes straight; always the same length as ``text``."""
    if text.isascii():
        return text.lower()
    folded = text.translate(_FOLD).lower()
    if len(folded) != len(text):  # a character whose lower case is longer: keep it as is
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_FOLD))
    return folded


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(5):
        expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        if expanded == pattern:
            return fold(expanded)
        pattern = expanded
    raise ValueError(f"macros nest too deeply in {pattern!r}")


def _words(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternation = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])")


def _compile(spec: dict[str, Any]) -> _Language:
    macros = spec.get("macros", {})
    branches: list[_Branch] = []
    for kind, lists in spec["kinds"].items():
        for key, deniable in (("plain", True), ("own_negation", False)):
            for raw in lists.get(key, []):
                source = _expand(raw, macros)
                branches.append(
                    _Branch(re.compile(rf"(?<![\w'])(?:{source})(?!\w)"), kind, deniable)
                )
    ordinary = [_expand(raw, macros) for raw in spec.get("ordinary", [])]
    return _Language(
        branches=tuple(branches),
        ordinary=re.compile(r"(?<![\w'])(?:" + "|".join(ordinary) + r")(?!\w)")
        if ordinary
        else None,
        negators=frozenset(fold(w) for w in spec.get("negators", [])),
        skippable=frozenset(fold(w) for w in spec.get("skippable", [])),
        reopeners=_words(spec.get("reopeners", [])),
    )


def _data() -> dict[str, Any]:
    return content.screening()


@cache
def _language(lang: str) -> _Language:
    return _compile(_data()["languages"][lang])


def languages() -> tuple[str, ...]:
    """The languages with a phrase list."""
    return tuple(_data()["languages"])


def kinds() -> dict[str, dict[str, Any]]:
    """Every kind of disclosure: ``{"crisis": bool, "label": {lang: text}}``."""
    return _data()["kinds"]


def label(kind: str, lang: str = "en") -> str:
    """The plain-words label of a kind, in ``lang`` (English when there is none)."""
    labels = kinds()[kind]["label"]
    return labels.get(lang) or labels["en"]


def _negated(lang: _Language, folded: str, start: int, end: int) -> bool:
    """A plain denial governs the match and nothing later in its clause reopens it."""
    tokens = _TOKEN.findall(folded[start:end])
    denied = any(_is_negator(lang, t) for t in tokens)
    if not denied:
        before = _TOKEN.findall(folded[max(0, start - 60) : start])
        for at in range(len(before) - 1, -1, -1):
            if _is_negator(lang, before[at]):
                # "ya no me pega" (no longer): the denial itself says it happened
                earlier = before[at - 1] if at else ""
                denied = not (lang.reopeners and lang.reopeners.fullmatch(earlier))
                break
            if before[at] not in lang.skippable:
                break
    if not denied:
        return False
    stop = _CLAUSE_END.search(folded, end)
    rest = folded[end : stop.start() if stop else len(folded)]
    return not (lang.reopeners and lang.reopeners.search(rest))


def _is_negator(lang: _Language, token: str) -> bool:
    return token in lang.negators or token.endswith("n't")


def _matches(language: _Language, folded: str) -> list[tuple[int, int, _Branch]]:
    """Non-overlapping matches that no plain denial cancels, leftmost first and, at one place,
    the first branch in the data. Every branch reads the whole text: the answer box holds at
    most 1,000 characters, which both languages' patterns read in about 10 ms (a note of a
    sentence or two in about 1 ms)."""
    hits: set[tuple[int, int, int]] = set()
    for index, branch in enumerate(language.branches):
        for match in branch.pattern.finditer(folded):
            hits.add((match.start(), index, match.end()))
    out: list[tuple[int, int, _Branch]] = []
    reached = 0
    for start, index, end in sorted(hits):
        branch = language.branches[index]
        if start >= reached and not (branch.deniable and _negated(language, folded, start, end)):
            out.append((start, end, branch))
            reached = end
    return out


def screen(text: str | None, lang: str | None = None) -> list[Disclosure]:
    """What ``text`` discloses, in reading order, one entry per distinct phrase and kind.
    ``lang``: "en" or "es" to read one language only; by default both are read."""
    if not text:
        return []
    folded = fold(text)
    found: list[tuple[int, Disclosure]] = []
    seen: set[tuple[str, str]] = set()
    for code in (lang,) if lang else languages():
        language = _language(code)
        subject = folded
        if language.ordinary is not None:
            subject = language.ordinary.sub(lambda m: " " * len(m.group(0)), folded)
        for start, end, branch in _matches(language, subject):
            phrase = " ".join(text[start:end].lower().split())
            if (phrase, branch.kind) in seen:
                continue
            seen.add((phrase, branch.kind))
            info = kinds()[branch.kind]
            found.append(
                (start, Disclosure(phrase, branch.kind, label(branch.kind), info["crisis"], code))
            )
    found.sort(key=lambda pair: pair[0])
    return [d for _start, d in found]


def quoted(disclosures: list[Disclosure]) -> str:
    """The phrases as written, each in quotes: “he hit me”, “tracks my location”."""
    return ", ".join(f"“{p}”" for p in dict.fromkeys(d.phrase for d in disclosures))


_AND: Final = {"en": " and ", "es": " y "}


def _listed(disclosures: list[Disclosure], lang: str) -> str:
    labels = list(dict.fromkeys(label(d.kind, lang) for d in disclosures))
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + _AND.get(lang, _AND["en"]) + labels[-1]


def describe(disclosures: list[Disclosure]) -> Localized:
    """The kinds read, in plain words: "being choked and being afraid of the other person",
    with the words of every language that has labels (``portal.i18n.translate`` picks the
    page's)."""
    return Localized(
        _listed(disclosures, "en"),
        {lang: _listed(disclosures, lang) for lang in languages() if lang != "en"},
    )


def find_disclosures(text: str | None) -> list[str]:
    """The phrases in ``text`` that describe crisis, violence, threats or control, lower-cased,
    first-seen order."""
    phrases: list[str] = []
    for disclosure in screen(text):
        if disclosure.phrase not in phrases:
            phrases.append(disclosure.phrase)
    return phrases
