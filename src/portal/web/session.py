"""What a person's session holds, in one place.

The session is an encrypted, expiring cookie (see security.py): readiness answers, the
shortlist and the progress with each counselor on it, the choices for a first message and
the prep-sheet fields. Nothing here is ever written to the database or a log.

Its size is budgeted as the browser sends it back: the whole ``Cookie`` header (the sealed,
base64-encoded session in one or two chunks, plus the CSRF cookie) stays under
:data:`COOKIE_HEADER_MAX`, whatever was typed (quotes and backslashes are escaped in JSON,
emoji take four bytes, and base64 adds a third). A change that would not fit is not saved:
the caller tells the person and keeps what they typed.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Final

from litestar import Request
from litestar.middleware.session.client_side import AAD, CHUNK_SIZE, NONCE_SIZE
from litestar.serialization import encode_json

from portal.readiness import Assessment, assess

READINESS = "readiness"
SHORTLIST = "shortlist"
PREP = "prep"
CRISIS_SEEN = "crisis_seen"
TRACKER = "tracker"
OUTREACH = "outreach"
OTHER_ZIP = "other_zip"
OWN_ZIP = "own_zip"  # where the person is, asked by a result's directory that knew no place
PRESET_SET = "preset_set"  # filters set by hand on a result's directory
REPORTED = "reported"  # listings this browser session reported on (never stored with a report)

SHAPE: Final[dict[str, type]] = {
    READINESS: dict,
    SHORTLIST: list,
    PREP: dict,
    CRISIS_SEEN: list,
    TRACKER: dict,
    OUTREACH: dict,
    REPORTED: list,
    OTHER_ZIP: str,
    OWN_ZIP: str,
    PRESET_SET: dict,
}

STATUSES: Final = ("left", "talked", "booked")
"""Progress with a shortlisted counselor ("not contacted" is no entry): message left, talked,
booked."""

COOKIE_HEADER_MAX: Final = 6 * 1024
"""Bytes of the whole ``Cookie`` request header. Default proxy limits are 8 KB per header line
(nginx ``large_client_header_buffers``, Apache ``LimitRequestFieldSize``); this leaves room for
the request line and other headers."""
_SESSION_KEY = "__Host-portal"  # the longer (production) names, so the budget holds in both modes
_CSRF_COOKIE = len("__Host-csrf=") + 128 + len("; ")
_SEAL = NONCE_SIZE + 16 + len(AAD) + len(b'{"expires_at":9999999999}')  # nonce, GCM tag, expiry


def well_formed(data: Any) -> bool:
    """A decrypted session as this app writes it: a JSON object of the known parts, each of
    its type, the shortlist a list of strings."""
    if not isinstance(data, dict):
        return False
    for key, value in data.items():
        kind = SHAPE.get(key)
        if kind is None or not isinstance(value, kind):
            return False
    if not all(isinstance(s, str) for s in data.get(SHORTLIST, [])):
        return False
    return all(
        isinstance(entry, dict) and entry.get("status") in STATUSES
        for entry in data.get(TRACKER, {}).values()
    )


def cookie_header_bytes(data: dict[str, Any]) -> int:
    """The ``Cookie`` header a browser sends back after this session is stored."""
    if not data:
        return _CSRF_COOKIE
    sealed = _SEAL + len(encode_json(data))
    encoded = 4 * math.ceil(sealed / 3)
    chunks = math.ceil(encoded / CHUNK_SIZE)
    name = len(_SESSION_KEY) + (len("-0=") if chunks > 1 else len("=")) + len("; ")
    return _CSRF_COOKIE + encoded + chunks * name


def fits(data: dict[str, Any]) -> bool:
    return cookie_header_bytes(data) <= COOKIE_HEADER_MAX


RESERVED: Final[dict[str, int]] = {
    READINESS: 800,
    SHORTLIST: 20 * 40,
    TRACKER: 4 * 64,
    OUTREACH: 192,
}
"""Bytes kept free for the answers to every question but the free-text note (about 650 as
JSON), for a full shortlist (20 counselors' slugs, quoted), for progress with a few of them
(a booked one is about 75 bytes, "message left" about 45) and for the choices of a first
message (web/outreach.py trims what was typed to fit), whatever is saved first: a prep sheet
written before the questionnaire or the shortlist leaves them room. The prep sheet takes the
rest, so each byte kept here is one the sheet cannot use."""


def room_for(request: Request, part: str) -> int:
    """Bytes of JSON that ``part`` may take, given the rest of this session and the room
    :data:`RESERVED` for the other parts."""
    rest: dict[str, Any] = {k: v for k, v in _session(request).items() if k != part}
    for other, reserve in RESERVED.items():
        if other != part:
            held = len(encode_json(rest.get(other, "")))
            rest[other] = [rest.get(other), "x" * max(0, reserve - held)]
    used = cookie_header_bytes({**rest, part: ""})  # "part": "" is the key and its quotes
    # Base64 turns 3 bytes into 4; keep 4 bytes for its padding and a second chunk's name.
    return max(0, (COOKIE_HEADER_MAX - used) * 3 // 4 - 4 - len(_SESSION_KEY))


def _session(request: Request) -> dict[str, Any]:
    return request.session if isinstance(request.session, dict) else {}


def _save(request: Request, part: str, value: Any, *, dropping: str = "") -> bool:
    new = {**{k: v for k, v in _session(request).items() if k != dropping}, part: value}
    if not fits(new):
        return False
    request.set_session(new)
    return True


def answers(request: Request) -> dict[str, Any]:
    value = _session(request).get(READINESS)
    return dict(value) if isinstance(value, dict) else {}


def save_answers(request: Request, new_answers: dict[str, Any]) -> bool:
    """Keep the answers; False (nothing saved) when they would not fit the cookie beside the
    room kept for the shortlist, its progress and a first message (:data:`RESERVED`): a long
    note is asked to be shortened rather than crowding out the shortlist later. What was set
    by hand on the last result's directory goes: a new result starts from its answers."""
    if len(encode_json(new_answers)) > room_for(request, READINESS):
        return False
    return _save(request, READINESS, new_answers, dropping=PRESET_SET)


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


def save_shortlist(request: Request, slugs: list[str]) -> bool:
    """Keep the shortlist; False (nothing saved) when it would not fit the cookie."""
    return _save(request, SHORTLIST, slugs)


def other_zip(request: Request) -> str:
    """The other person's ZIP code, for a search from two homes (never their address)."""
    value = _session(request).get(OTHER_ZIP)
    return value if isinstance(value, str) else ""


def save_other_zip(request: Request, code: str) -> bool:
    return _save(request, OTHER_ZIP, code)


def own_zip(request: Request) -> str:
    """The person's ZIP code, given on a result's directory that knew no place."""
    value = _session(request).get(OWN_ZIP)
    return value if isinstance(value, str) else ""


def save_own_zip(request: Request, code: str) -> bool:
    return _save(request, OWN_ZIP, code)


def preset_set(request: Request) -> dict[str, list[str]] | None:
    """The filters set by hand on the result's directory, as query parameters; None when
    none were."""
    value = _session(request).get(PRESET_SET)
    if not isinstance(value, dict):
        return None
    return {
        k: [s for s in v if isinstance(s, str)] for k, v in value.items() if isinstance(v, list)
    }


def save_preset_set(request: Request, params: dict[str, list[str]]) -> bool:
    return _save(request, PRESET_SET, params)


def reported(request: Request) -> list[str]:
    value = _session(request).get(REPORTED)
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def save_reported(request: Request, slugs: list[str]) -> bool:
    """Remember that this session reported on these listings; False when it would not fit."""
    return _save(request, REPORTED, slugs)


def prep(request: Request) -> dict[str, Any]:
    value = _session(request).get(PREP)
    return dict(value) if isinstance(value, dict) else {}


def save_prep(request: Request, fields: dict[str, Any]) -> bool:
    """Keep the prep sheet; False (nothing saved) when it would not fit the cookie."""
    return _save(request, PREP, fields)


def tracker(request: Request) -> dict[str, dict[str, str]]:
    """Progress with each shortlisted counselor: ``{slug: {"status": "booked", "booked":
    "2026-12-14"}}``. ``status`` is one of :data:`STATUSES`; ``booked`` (an ISO date) is there
    only when it is "booked". A counselor not in it was not contacted yet. The entries are in
    the order they were last changed."""
    value = _session(request).get(TRACKER)
    if not isinstance(value, dict):
        return {}
    return {
        slug: {k: v for k, v in entry.items() if isinstance(v, str)}
        for slug, entry in value.items()
        if isinstance(slug, str) and isinstance(entry, dict) and entry.get("status") in STATUSES
    }


def booked_date(request: Request, slug: str) -> date | None:
    """The date of the appointment booked with this counselor, if one was recorded."""
    entry = tracker(request).get(slug, {})
    try:
        return date.fromisoformat(entry["booked"]) if entry.get("status") == "booked" else None
    except (KeyError, ValueError):
        return None


def latest_booked(request: Request) -> str:
    """The counselor whose appointment was recorded last, or "" when none is booked."""
    booked = [slug for slug in tracker(request) if booked_date(request, slug) is not None]
    return booked[-1] if booked else ""


def save_tracker(request: Request, progress: dict[str, dict[str, str]]) -> bool:
    """Keep the progress; False (nothing saved) when it would not fit the cookie."""
    return _save(request, TRACKER, progress)


def outreach(request: Request) -> dict[str, Any] | None:
    """The choices for a first message (see web/outreach.py), or None if none were made."""
    value = _session(request).get(OUTREACH)
    return dict(value) if isinstance(value, dict) else None


def save_outreach(request: Request, choices: dict[str, Any]) -> bool:
    """Keep the choices; False (nothing saved) when they would not fit the cookie."""
    return _save(request, OUTREACH, choices)
