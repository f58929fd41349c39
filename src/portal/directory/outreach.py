"""A first message to a counselor: an email (subject and body) and a phone script, built from
what the person chose to share, and nothing else.

The words live in outreach.json, one whole sentence per entry, so that a translation never
has to glue fragments together. After a safety or crisis result the message says nothing
about the situation (not the kind of help, not who it is about): it asks only to be called
back at a safe time, in a safe way, without a detailed message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

WORDS_FILE: Final = Path(__file__).with_name("outreach.json")

FORMATS: Final = ("in-person", "video", "phone")
PAYMENTS: Final = ("sliding_scale", "self_pay")
"""Ways to pay besides an insurance plan (whose slug is the payment)."""
SENDER_MAX: Final = 40
SAFE_FIELD_MAX: Final = 80

SAFE_OUTCOMES: Final = frozenset({"D_SAFETY", "E_CRISIS"})

_TRACK_HELP: Final = {
    "T_COUPLES": "couples",
    "T_DISCERN": "discernment",
    "T_COPARENT": "coparent",
    "T_INDIV": "individual",
}
_FAMILY_HELP: Final = {"my_parent": "with_parent", "my_adult_child": "with_adult_child"}


@cache
def words() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return data


def said(node: Any, say: Callable[[str], str]) -> Any:
    """The words with each sentence passed through ``say`` (a translation)."""
    if isinstance(node, Mapping):
        return {k: v if k.startswith("_") else said(v, say) for k, v in node.items()}
    return say(node) if isinstance(node, str) else node


@dataclass(frozen=True)
class Choices:
    """What the person chose to put in the message. Empty means "say nothing about it"."""

    help: str | None = None
    """A key of the words' ``help`` (the kind of help of the readiness result)."""
    formats: tuple[str, ...] = ()
    evenings: bool = False
    payment: str = ""
    """``sliding_scale``, ``self_pay`` or an insurance plan's slug."""
    language: str = ""
    sender: str = ""
    safe_time: str = ""
    safe_way: str = ""


@dataclass(frozen=True)
class Counselor:
    name: str
    formats: Sequence[str] = ()


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    phone_script: tuple[str, ...]
    phone_tip: str
    safe: bool
    shared: tuple[str, ...] = field(default=())
    """Which choices the message mentions (``help``, ``formats``, ...), for the page to say."""

    def mailto(self, address: str) -> str:
        """A ``mailto:`` URL with the subject and body filled in (RFC 6068: line breaks as
        CRLF, everything else percent-encoded)."""
        subject = quote(self.subject, safe="")
        body = quote(self.body.replace("\n", "\r\n"), safe="")
        return f"mailto:{quote(address, safe='@.+-_')}?subject={subject}&body={body}"


def help_kind(track: str | None, relationship: str | None) -> str | None:
    """The kind of help a readiness track asks for, as a key of the words' ``help``."""
    if track == "T_FAMILY":
        return _FAMILY_HELP.get(relationship or "", "family")
    return _TRACK_HELP.get(track or "")


def is_safe_mode(outcome: str | None, *, short_screen: bool = False) -> bool:
    """Whether the message must say nothing about the situation: a safety or crisis result,
    or a person who said they may not be alone with the device (the short screen)."""
    return outcome in SAFE_OUTCOMES or short_screen


def suggested(answers: Mapping[str, Any], track: str | None) -> Choices:
    """What the readiness answers would share, before the person changes anything."""
    formats = answers.get("P2")
    payment = answers.get("P4")
    language = answers.get("P3")
    return Choices(
        help=help_kind(track, _text(answers.get("G0.1"))),
        formats=tuple(f for f in FORMATS if isinstance(formats, list) and f in formats),
        evenings=answers.get("P5") == "yes",
        payment=payment if isinstance(payment, str) and payment != "not_sure" else "",
        # Asking an English-language listing for sessions in English says nothing.
        language=language if isinstance(language, str) and language != "en" else "",
    )


def build(
    counselor: Counselor,
    choices: Choices,
    *,
    safe: bool,
    label: Callable[[str, str], str] = lambda facet, slug: slug,
    say: Callable[[str], str] | None = None,
) -> Message:
    """The message to ``counselor``. ``label(facet, slug)`` names an insurance plan or a
    language (the taxonomy's labels); ``say`` translates each sentence of the words."""
    w = words() if say is None else said(words(), say)
    sender = clean(choices.sender, SENDER_MAX)
    greeting = w["greeting"].format(name=counselor.name)
    signature = [w["closing"], *([sender] if sender else [])]
    # "My name is M." and not "M..": the sentence brings its own full stop.
    named = w["phone"]["hello_named"].format(sender=sender.rstrip(".")) if sender else ""
    hello = named or w["phone"]["hello"]
    if safe:
        s = w["safe"]
        safe_time = clean(choices.safe_time, SAFE_FIELD_MAX).rstrip(".")
        safe_way = clean(choices.safe_way, SAFE_FIELD_MAX).rstrip(".")
        when = s["time"].format(safe_time=safe_time) if safe_time else s["no_time"]
        how = s["way"].format(safe_way=safe_way) if safe_way else None
        body = [
            greeting,
            "",
            _paragraph([s["opening"], when, how or s["reply_here"], s["no_details"]]),
            "",
            *signature,
        ]
        script = (hello, s["phone_ask"], when, *([how] if how else []), s["no_details"])
        shared = tuple(
            name for name, value in (("safe_time", safe_time), ("safe_way", safe_way)) if value
        )
        return Message(w["subject"], "\n".join(body), script, s["phone_tip"], True, shared)

    details, shared = _details(w, counselor, choices, label)
    body = [
        greeting,
        "",
        _paragraph([w["opening"], *details]),
        "",
        w["ask"],
        "",
        *signature,
    ]
    script = (
        hello,
        w["phone"]["ask"].format(name=counselor.name),
        *details,
        w["phone"]["when"],
    )
    return Message(w["subject"], "\n".join(body), script, w["phone"]["tip"], False, shared)


def _details(
    w: dict[str, Any], counselor: Counselor, choices: Choices, label: Callable[[str, str], str]
) -> tuple[list[str], tuple[str, ...]]:
    sentences: list[str] = []
    shared: list[str] = []
    if choices.help and choices.help in w["help"]:
        sentences.append(w["help"][choices.help])
        shared.append("help")
    offered = set(counselor.formats) or set(FORMATS)
    formats = ",".join(sorted(f for f in set(choices.formats) & offered if f in FORMATS))
    if formats:
        sentences.append(w["formats"][formats])
        shared.append("formats")
    if choices.evenings:
        sentences.append(w["evenings"])
        shared.append("evenings")
    if choices.payment in PAYMENTS:
        sentences.append(w["payment"][choices.payment])
        shared.append("payment")
    elif choices.payment:
        plan = label("insurance", choices.payment)
        sentences.append(w["payment"]["insurance"].format(insurance=plan))
        shared.append("payment")
    if choices.language:
        sentences.append(w["language"].format(language=label("language", choices.language)))
        shared.append("language")
    return sentences, tuple(shared)


def _paragraph(sentences: Sequence[str]) -> str:
    return " ".join(s for s in sentences if s)


def clean(value: str, limit: int) -> str:
    """One line of typed text: control characters and runs of spaces become one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())[:limit]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
