"""Every content file the portal reads, each read once per process, here and nowhere else.

A phone number, a question's wording or a vocabulary term is corrected in its file; the
modules that use one ask this module for the parsed file (shared: never change what it
returns). The fictional listings (seed/counselors.json) are loaded by ``portal.seed`` instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from portal.paths import PACKAGE_DIR, SEED_DIR

TAXONOMY_FILE = SEED_DIR / "taxonomy.json"
CRISIS_LINES_FILE = SEED_DIR / "crisis_lines.json"
CRITERIA_FILE = SEED_DIR / "criteria.json"
QUESTIONNAIRE_FILE = PACKAGE_DIR / "readiness" / "questionnaire.json"
MESSAGES_FILE = PACKAGE_DIR / "readiness" / "messages.json"
SCREENING_FILE = PACKAGE_DIR / "readiness" / "screening.json"
PREP_FILE = PACKAGE_DIR / "prep" / "content.json"
OUTREACH_FILE = PACKAGE_DIR / "directory" / "outreach.json"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def taxonomy() -> dict[str, Any]:
    """The directory's vocabulary: facet -> terms ({slug, label, ...}) in file order."""
    return _read(TAXONOMY_FILE)


@cache
def crisis_lines() -> dict[str, Any]:
    """The crisis and support lines ("lines", in file order) and when they were checked."""
    return _read(CRISIS_LINES_FILE)


@cache
def criteria() -> dict[str, Any]:
    """The citation catalog: article criteria, external guidance, the articles."""
    return _read(CRITERIA_FILE)


@cache
def questionnaire() -> dict[str, Any]:
    """The readiness questionnaire's steps and items."""
    return _read(QUESTIONNAIRE_FILE)


@cache
def messages() -> dict[str, Any]:
    """The readiness result's words: outcomes, reasons, kinds of help, self-help."""
    return _read(MESSAGES_FILE)


@cache
def screening() -> dict[str, Any]:
    """The phrases the free-text screening looks for, by language."""
    return _read(SCREENING_FILE)


@cache
def prep() -> dict[str, Any]:
    """The prep sheet's words: questions, checklist, discreet wording."""
    return _read(PREP_FILE)


@cache
def outreach() -> dict[str, Any]:
    """The words of a first message to a counselor and of the calendar events."""
    return _read(OUTREACH_FILE)
