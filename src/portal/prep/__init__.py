"""The session-prep sheet: what a person takes to a first counseling appointment.

Pure domain code (no web framework, no database): ``fields`` reads and caps the form,
``sheet`` pre-fills from the readiness answers and composes the printable sheet, and
``content.json`` holds its words (questions, checklist, discreet wording).
"""

from portal.prep.content import content
from portal.prep.fields import (
    BUDGET_BYTES,
    TEXTS,
    Parsed,
    empty,
    from_session,
    parse_form,
    to_session,
)
from portal.prep.sheet import (
    CounselorInfo,
    Sheet,
    compose,
    discreet_by_default,
    estimate_pages,
    longest_texts,
    prefill,
)

__all__ = [
    "BUDGET_BYTES",
    "TEXTS",
    "CounselorInfo",
    "Parsed",
    "Sheet",
    "compose",
    "content",
    "discreet_by_default",
    "empty",
    "estimate_pages",
    "from_session",
    "longest_texts",
    "parse_form",
    "prefill",
    "to_session",
]
