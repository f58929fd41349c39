"""What a person's session holds, in one place.

The session is an encrypted, expiring cookie (see security.py): readiness answers, the
shortlist and the prep-sheet fields. Nothing here is ever written to the database or a log.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from portal.readiness import Assessment, assess

READINESS = "readiness"
SHORTLIST = "shortlist"
PREP = "prep"
CRISIS_SEEN = "crisis_seen"


def _session(request: Request) -> dict[str, Any]:
    return request.session if isinstance(request.session, dict) else {}


def answers(request: Request) -> dict[str, Any]:
    value = _session(request).get(READINESS)
    return dict(value) if isinstance(value, dict) else {}


def save_answers(request: Request, new_answers: dict[str, Any]) -> None:
    request.set_session({**_session(request), READINESS: new_answers})


def crisis_seen(request: Request) -> set[str]:
    """Keys of the crisis answers whose crisis page was shown (see readiness/crisis.py)."""
    value = _session(request).get(CRISIS_SEEN)
    return {s for s in value if isinstance(s, str)} if isinstance(value, list) else set()


def save_crisis_seen(request: Request, keys: set[str]) -> None:
    request.set_session({**_session(request), CRISIS_SEEN: sorted(keys)})


def assessment(request: Request) -> Assessment | None:
    """The result for the answers so far, or None before the questionnaire was started."""
    current = answers(request)
    return assess(current) if current else None


def shortlist(request: Request) -> list[str]:
    value = _session(request).get(SHORTLIST)
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def save_shortlist(request: Request, slugs: list[str]) -> None:
    request.set_session({**_session(request), SHORTLIST: slugs})


def prep(request: Request) -> dict[str, Any]:
    value = _session(request).get(PREP)
    return dict(value) if isinstance(value, dict) else {}


def save_prep(request: Request, fields: dict[str, Any]) -> None:
    request.set_session({**_session(request), PREP: fields})
