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
    Applies,
    Audience,
    CounselorInfo,
    Sheet,
    applies,
    attending_alone,
    audience,
    compose,
    discreet_by_default,
    estimate_pages,
    guarded,
    longest_texts,
    prefill,
    question_choices,
)

__all__ = [
    "BUDGET_BYTES",
    "TEXTS",
    "Applies",
    "Audience",
    "CounselorInfo",
    "Parsed",
    "Sheet",
    "applies",
    "attending_alone",
    "audience",
    "compose",
    "content",
    "discreet_by_default",
    "empty",
    "estimate_pages",
    "from_session",
    "guarded",
    "longest_texts",
    "parse_form",
    "prefill",
    "question_choices",
    "to_session",
]
