"""The prep form's fields: what may be typed, how long it may be, and how it is kept.

``parse_form`` turns a submitted form (every value as a list of strings, as a browser sends it)
into :class:`Parsed`: ``typed`` is exactly what the person typed (shown again in the form, so
nothing is lost), ``values`` is the cleaned, capped version that is kept in the session and
printed, and ``too_long`` / ``errors`` say what could not be kept.

The session is an encrypted cookie, so ``values`` stays small: every text field has a cap in
characters, and the sheet as it is stored (JSON, in UTF-8) has a budget in bytes: emoji and
many scripts take 2-4 bytes per character, and quotes and backslashes are escaped. The web
layer passes the room the rest of the session leaves.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from portal.i18n.text import N_
from portal.prep.content import content, ids, question_ids
from portal.readiness.questionnaire import Option, load_questionnaire


@dataclass(frozen=True)
class Text:
    name: str
    label: str
    cap: int
    multiline: bool = False


TEXTS: Final[tuple[Text, ...]] = (
    Text("t_name", N_("Therapist's name"), 80),
    Text("t_cred", N_("Credential"), 40),
    Text("t_lic", N_("License number"), 40),
    Text("t_phone", N_("Phone number"), 30),
    Text("when", N_("Date and time"), 60),
    Text("where", N_("Address or video link"), 120),
    Text("who", N_("Who is attending"), 120),
    Text("why", N_("Why I'm going"), 400, True),
    Text("hap_other", N_("Other"), 120),
    Text("since", N_("Started when"), 80),
    Text("changed", N_("What changed recently"), 200, True),
    Text("tried_other", N_("Other things I tried"), 200, True),
    Text("helped", N_("What helped, or didn't"), 300, True),
    Text("goal1", N_("Goal 1"), 200),
    Text("goal2", N_("Goal 2"), 200),
    Text("goal3", N_("Goal 3"), 200),
    Text("know", N_("How I'll know it's working"), 200, True),
    *(Text(entry["id"], entry["label"], 160) for entry in content()["background"]),
    Text("q_own", N_("My own questions"), 400, True),
    Text("bring_other", N_("Something else to bring"), 120),
)
TEXT_BY_NAME: Final = {t.name: t for t in TEXTS}

FLAGS: Final = (
    "lic_ok",
    "room",
    "inc_suggest",
    "inc_happen",
    "inc_tried",
    "inc_bg",
    "bg_copies",
    "discreet",
)
INCLUDE_FLAGS: Final = ("inc_suggest", "inc_happen", "inc_tried", "inc_bg")

MODES: Final = ("in_person", "video")
TRIED_ITEM: Final = "T1"
"""The readiness check's "which of these have you tried?": the prep form offers its choices."""


def tried_choices(answers: Mapping[str, object], ticked: Sequence[str] = ()) -> list[Option]:
    """The "tried" choices the prep form offers, but "none of these": those the readiness
    check offers for ``answers`` (no parenting plan without children), every one without
    answers, and any already ticked."""
    item = load_questionnaire().item(TRIED_ITEM)
    offered = item.shown_options(answers) if answers else item.options
    return [
        o
        for o in item.options
        if o.value not in item.exclusive and (o in offered or str(o.value) in ticked)
    ]


TRIED_CHOICES: Final = tuple(str(o.value) for o in tried_choices({}))


MULTI: Final[dict[str, tuple[str, ...]]] = {
    "hap": ids("happening"),
    "tried": TRIED_CHOICES,
    "cp": ids("coparent_goals"),
    "q": question_ids(),
    "bring": ids("bring"),
}

BUDGET_BYTES: Final = 4000
"""One prep sheet as kept in the session cookie (the JSON of :func:`to_session`), in UTF-8
bytes, when nothing else shares the cookie."""
TYPED_LIMIT: Final = 20_000
"""Longest text shown back in the form after a submit (beyond that the request is abuse)."""
SLUG_MAX: Final = 120

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def clean_text(value: str, *, multiline: bool) -> str:
    """Normalise newlines, drop control characters, trim. Emoji and right-to-left text stay."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _CONTROL.sub("", value)
    if not multiline:
        value = " ".join(value.split())
    else:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", value)
    return value.strip()


def empty() -> dict[str, Any]:
    """A form with nothing in it (sections included, discreet off)."""
    values: dict[str, Any] = {t.name: "" for t in TEXTS}
    values.update({f: f in INCLUDE_FLAGS for f in FLAGS})
    values.update({name: [] for name in MULTI})
    values.update(counselor="", mode="")
    return values


@dataclass
class Parsed:
    typed: dict[str, Any]
    values: dict[str, Any]
    too_long: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    no_room: set[str] = field(default_factory=set)
    """Of ``too_long``, the texts shortened because the session had no more room, not
    because they passed their own limit."""

    @property
    def ok(self) -> bool:
        return not self.too_long and not self.errors


def _first(form: Mapping[str, list[str]], name: str) -> str:
    got = form.get(name) or [""]
    return str(got[-1])


def stored_size(values: Mapping[str, Any]) -> int:
    """Bytes of the sheet as kept in the session (JSON in UTF-8, escapes included)."""
    return len(json.dumps(to_session(values), ensure_ascii=False, separators=(",", ":")).encode())


ELLIPSIS = "…"


def shortened(text: str, limit: int, *, in_bytes: bool = False) -> str:
    """``text`` cut to at most ``limit`` characters (or UTF-8 bytes), at a word's end when
    one is near, and marked as cut: a printed sheet never ends mid-word as if that were all
    that was written."""
    size = _bytes if in_bytes else len
    if size(text) <= limit:
        return text
    room = limit - size(ELLIPSIS)
    if room <= 0:
        return ""
    cut = text.encode()[:room].decode("utf-8", errors="ignore") if in_bytes else text[:room]
    space = cut.rfind(" ")
    if space >= max(1, len(cut) - 25):
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—\n") + ELLIPSIS


def _bytes(text: str) -> int:
    return len(text.encode())


def _budget(
    values: dict[str, Any], too_long: dict[str, int], no_room: set[str], budget: int
) -> None:
    """Trim the longest texts until the stored sheet fits ``budget`` bytes."""
    while (excess := stored_size(values) - budget) > 0:
        longest = max(TEXTS, key=lambda t: len(json.dumps(values[t.name], ensure_ascii=False)))
        text = values[longest.name]
        if not text:
            break  # nothing left to shorten
        # Each byte of text is at least one byte of JSON, so this never trims too little
        # to make progress.
        values[longest.name] = shortened(text, max(0, _bytes(text) - excess), in_bytes=True)
        too_long[longest.name] = len(values[longest.name])
        no_room.add(longest.name)


def parse_form(form: Mapping[str, list[str]], budget: int = BUDGET_BYTES) -> Parsed:
    """Read a submitted form. Unknown names are ignored; unknown choices are dropped. Text
    is shortened to fit ``budget`` bytes as stored (see :func:`stored_size`)."""
    typed: dict[str, Any] = empty()
    values: dict[str, Any] = empty()
    too_long: dict[str, int] = {}
    for spec in TEXTS:
        raw = _first(form, spec.name)[:TYPED_LIMIT]
        typed[spec.name] = raw
        text = clean_text(raw, multiline=spec.multiline)
        if len(text) > spec.cap:
            too_long[spec.name] = spec.cap
            text = shortened(text, spec.cap)
        values[spec.name] = text
    for flag in FLAGS:
        on = _first(form, flag) in {"1", "on", "yes", "true"}
        typed[flag] = values[flag] = on
    for name, allowed in MULTI.items():
        chosen = [str(v) for v in form.get(name) or []]
        typed[name] = values[name] = [v for v in allowed if v in chosen]
    mode = _first(form, "mode")
    typed["mode"] = values["mode"] = mode if mode in MODES else ""
    slug = _first(form, "counselor").strip()
    typed["counselor"] = slug[:SLUG_MAX]
    values["counselor"] = slug[:SLUG_MAX] if slug not in {"", "none"} else ""
    no_room: set[str] = set()
    _budget(values, too_long, no_room, budget)
    return Parsed(typed=typed, values=values, too_long=too_long, no_room=no_room)


def to_session(values: Mapping[str, Any]) -> dict[str, Any]:
    """The compact form kept in the cookie: only what is set."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value in ("", [], False, None):
            continue
        out[name] = 1 if value is True else value
    return out


def from_session(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Read what :func:`to_session` kept, checking it again (caps, choices) on the way in."""
    form: dict[str, list[str]] = {}
    for name, value in stored.items():
        if not isinstance(name, str):
            continue
        if isinstance(value, list):
            form[name] = [str(v) for v in value if isinstance(v, str)]
        elif value is True or value == 1:
            form[name] = ["1"]
        elif isinstance(value, str):
            form[name] = [value]
    return parse_form(form).values
