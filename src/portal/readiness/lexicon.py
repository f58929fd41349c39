"""The violence lexicon: literal descriptions of being hurt or threatened in free text.

A web form cannot ask a follow-up question in the moment, so a literal disclosure counts as a
safety-gate hit (readiness.md 3.4; reader comment A004-C5 "beating on me" may be a typo for
"cheating", and the portal does not guess). Matching is on whole words and fixed phrases;
misspellings are deliberately not matched, and negations ("he never hit me") are not parsed:
the result page lets the person say we misread them, but the default is to put safety first.
"""

from __future__ import annotations

import re
from typing import Final

PHRASES: Final = (
    # physical violence (longer phrases first, so the match names the whole phrase)
    r"beat(?:s|ing)? (?:on|up) (?:me|us|my \w+)",
    r"beat",
    r"beats",
    r"beating",
    r"beaten",
    r"hit(?:s|ting)? (?:me|us|my \w+)",
    r"punch(?:ed|es|ing)?",
    r"slap(?:ped|s|ping)?",
    r"kick(?:ed|s|ing)? (?:me|us|my \w+)",
    r"shov(?:e|ed|es|ing) me",
    r"push(?:ed|es|ing)? me (?:down|over|into|against)",
    r"chok(?:e|ed|es|ing)",
    r"strangl(?:e|ed|es|ing)",
    r"smother(?:ed|s|ing)?",
    r"stabb?(?:ed|ing)?",
    # threats to kill, weapons
    r"kill (?:me|us|my \w+|the (?:kids|children|baby))",
    r"(?:threaten(?:ed|s|ing)?|going|gonna|wants?) to kill",
    r"gun",
    r"knife",
    r"weapon",
    # sexual violence
    r"rap(?:e|ed|ing)",
    r"sexually assault(?:ed)?",
    # naming abuse
    r"abus(?:e|ed|es|ing|ive)",
    r"domestic violence",
    r"violent",
    # fear of the other person
    r"(?:afraid|scared|terrified) of (?:him|her|them)",
)

_PATTERN: Final = re.compile(r"\b(?:" + "|".join(PHRASES) + r")\b", re.IGNORECASE)


def find_disclosures(text: str | None) -> list[str]:
    """The phrases in ``text`` that describe violence or threats, lower-cased, first-seen order."""
    if not text:
        return []
    found: list[str] = []
    for match in _PATTERN.finditer(text):
        phrase = " ".join(match.group(0).lower().split())
        if phrase not in found:
            found.append(phrase)
    return found
