"""Compose a session-prep sheet from the readiness answers, the chosen counselor and what the
person typed (shared/design/prep-sheet.md, pages 1 and 2).

Pure domain code: no web framework, no database. The web layer turns a directory listing into a
:class:`CounselorInfo` and renders the :class:`Sheet` with one template for screen and paper.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from portal.i18n.text import N_, Text
from portal.prep.content import content, wording
from portal.prep.fields import TEXT_BY_NAME, empty
from portal.readiness import (
    D_SAFETY,
    E_CRISIS,
    T_INDIV,
    Assessment,
    Citation,
    clean_answers,
    crisis_lines,
    load_questionnaire,
)
from portal.readiness.rules import PERINATAL, SUBROUTE_STOP_HARM

MAX_REASONS: Final = 3
LEFT_OUT_REASONS: Final = frozenset({"SAFETY_NO_JOINT"})
"""Reasons too long for paper: they explain the screen result, not the appointment."""


@dataclass(frozen=True)
class CounselorInfo:
    """What the sheet needs from a directory listing (built by the web layer)."""

    slug: str
    name: str
    credential: str
    licence: str
    office: str = ""
    """City, state and ZIP of the office; empty when the counselor meets only remotely."""
    video: bool = False
    phone: str = ""
    booked: date | None = None
    """The appointment date the person recorded for this counselor, if any."""


@dataclass(frozen=True)
class Check:
    label: str
    ticked: bool = False


@dataclass(frozen=True)
class Entry:
    """A labelled line: the text, or a write-in line when ``text`` is empty."""

    label: str
    text: str = ""
    copies: bool = False
    """The line for court orders, with its "bring copies" box."""


@dataclass(frozen=True)
class Reason:
    text: str
    note: int | None
    """The footnote number of its source, None when the source does not fit this relationship."""


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    label: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class QuestionGroup:
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Appointment:
    name: str
    credential: str
    licence: str
    licence_checked: bool
    when: str
    mode: str
    where: str
    private_room: bool
    who: str
    phone: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    discreet: bool
    blank: bool
    appointment: Appointment
    why: str
    suggestion: Suggestion | None
    happening: tuple[Check, ...]
    happening_other: str
    since: str
    changed: str
    tried: tuple[str, ...]
    tried_other: str
    helped: str
    goals: tuple[str, str, str]
    know: str
    coparent_goals: tuple[Check, ...]
    background: tuple[Entry, ...]
    orders_copies: bool
    share_note: str
    safety_note: str
    questions: tuple[QuestionGroup, ...]
    own_questions: str
    bring: tuple[Check, ...]
    bring_other: str
    after: tuple[str, ...]
    footer: tuple[str, ...]
    not_advice: str
    footnotes: tuple[Footnote, ...]
    notes: tuple[str, ...] = field(default=())
    changed_hint: str = ""

    def texts(self) -> Iterator[str]:
        """Every text printed on this sheet (for checks: discreet wording, escaping, names)."""
        a = self.appointment
        yield from (self.title, a.name, a.credential, a.licence, a.when, a.where, a.phone, a.who)
        yield self.why
        if self.suggestion:
            yield self.suggestion.label
            yield from (first_sentence(r.text) for r in self.suggestion.reasons)
        yield from (c.label for c in self.happening)
        yield from (self.happening_other, self.since, self.changed)
        yield from self.tried
        yield from (self.tried_other, self.helped, *self.goals, self.know)
        yield from (c.label for c in self.coparent_goals)
        for e in self.background:
            yield from (e.label, e.text)
        yield from (self.share_note, self.safety_note)
        for g in self.questions:
            yield g.title
            yield from g.questions
        yield self.own_questions
        yield from (c.label for c in self.bring)
        yield self.bring_other
        yield from self.after
        yield from self.footer
        yield self.not_advice
        yield from (f.text for f in self.footnotes)


# --- who the sheet is for -------------------------------------------------------------------

GENERAL: Final = "general"
INDIVIDUAL: Final = "individual"
SAFE: Final = "safe"
ALONE: Final = "me"
"""The P6 answer ("Just me") that is the only attendance after a safety or crisis result."""


@dataclass(frozen=True)
class Audience:
    """What the result says about the appointment: which questions fit, whether the person goes
    alone, and the tags that pick single questions (``when`` / ``unless`` in content.json)."""

    question_set: str = GENERAL
    alone: bool = False
    tags: frozenset[str] = frozenset()


def guarded(assessment: Assessment | None) -> bool:
    """A safety or crisis result: the sheet is for the person alone and says nothing joint."""
    return assessment is not None and (
        assessment.outcome in (D_SAFETY, E_CRISIS) or assessment.safety or assessment.crisis
    )


def audience(assessment: Assessment | None) -> Audience:
    if assessment is None:
        return Audience()
    tags = set()
    if PERINATAL in assessment.addons:
        tags.add("perinatal")
    if assessment.subroute == SUBROUTE_STOP_HARM and not assessment.safety:
        tags.add("uses_harm")
    if guarded(assessment):
        return Audience(SAFE, alone=True, tags=frozenset(tags))
    if assessment.track == T_INDIV:
        return Audience(INDIVIDUAL, tags=frozenset(tags))
    return Audience(GENERAL, tags=frozenset(tags))


def discreet_by_default(assessment: Assessment | None) -> bool:
    """Discreet mode comes first after a safety or crisis result, or when the person said they
    are not somewhere private (the note: keep this private)."""
    return guarded(assessment) or (assessment is not None and assessment.not_private)


@dataclass(frozen=True)
class Applies:
    """Which parts of the sheet fit this person's relationship and answers. Without answers
    (a blank sheet) everything applies."""

    children: bool = True
    coparenting: bool = True
    orders: bool = True
    pregnancy: bool = True

    def allows(self, entry_id: str) -> bool:
        need = ONLY_FOR.get(entry_id)
        return need is None or bool(getattr(self, need))


ONLY_FOR: Final[dict[str, str]] = {
    "parenting": "children",
    "children": "children",
    "bg_children": "children",
    "bg_orders": "orders",
    "orders": "orders",
    "bg_preg": "pregnancy",
}
"""Entries of content.json (happening, background, bring) printed only when this applies."""


def applies(answers: Mapping[str, Any] | None) -> Applies:
    """What fits, from the answers: a mother and her adult daughter get no co-parenting,
    custody or pregnancy fields. An unanswered question leaves its fields in."""
    if not answers:
        return Applies()
    a, _errors = clean_answers(answers)
    relationship = a.get("G0.1")
    coparent = relationship in (None, "coparent_ex")
    children = coparent or a.get("G0.2") != "no"
    orders = a.get("G0.4")
    has_orders = (
        any(o != "none" for o in orders) if isinstance(orders, list) and orders else children
    )
    return Applies(
        children=children,
        coparenting=coparent,
        orders=has_orders,
        pregnancy=a.get("G0.3") != "no",
    )


def _fits(entry: Mapping[str, Any], aud: Audience) -> bool:
    sets = entry.get("sets")
    if sets is not None and aud.question_set not in sets:
        return False
    if "when" in entry and entry["when"] not in aud.tags:
        return False
    return not ("unless" in entry and entry["unless"] in aud.tags)


@dataclass(frozen=True)
class QuestionChoice:
    """A group of questions offered on the form: ``(id, words)`` pairs."""

    title: str
    items: tuple[tuple[str, str], ...]


def question_choices(aud: Audience, *, discreet: bool) -> tuple[QuestionChoice, ...]:
    """The questions that fit this audience, in the words of the chosen version."""
    out = []
    for group in content()["questions"]:
        if not _fits(group, aud):
            continue
        items = tuple(
            (q["id"], words)
            for q in group["items"]
            if _fits(q, aud) and (words := wording(q, "text", discreet=discreet))
        )
        if items:
            title = group.get("discreet_group", group["group"]) if discreet else group["group"]
            out.append(QuestionChoice(title, items))
    return tuple(out)


def attending_alone() -> str:
    return _label("P6", ALONE)


# --- pre-filling from the readiness answers -----------------------------------------------


def _same(text: str) -> str:
    return text


def _label(item_id: str, value: Any) -> str:
    return load_questionnaire().item(item_id).label_for(value)


def prefill(
    answers: Mapping[str, Any],
    *,
    discreet: bool = False,
    assessment: Assessment | None = None,
    say: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Form values suggested by the readiness answers. Nothing here names anyone. ``say``
    translates the words (the values become text the person edits, in their language)."""
    tr = say or _same
    values = empty()
    values["discreet"] = discreet
    if audience(assessment).alone:
        values["who"] = tr(attending_alone())
    if not answers:
        return values
    a, _errors = clean_answers(answers)
    c = content()

    threshold = c["happening_min_score"]
    values["hap"] = [
        h["id"]
        for h in c["happening"]
        if any(isinstance(a.get(i), int) and a[i] >= threshold for i in h["items"])
    ]
    if a.get("T3"):
        values["since"] = tr(N_("{when} ago")).format(when=tr(_label("T3", a["T3"])))
    values["changed"] = "; ".join(
        tr(text) for item, text in c["changed_prefill"].items() if a.get(item) == "yes"
    )
    tried = a.get("T1") if isinstance(a.get("T1"), list) else []
    values["tried"] = [t for t in tried if t != "none"]
    if values["tried"] and a.get("T2"):
        values["helped"] = tr(N_("Since trying these, things are {how}.")).format(
            how=tr(_label("T2", a["T2"])).lower()
        )

    ages = a.get("G0.2a") if isinstance(a.get("G0.2a"), list) else []
    if ages:
        values["bg_children"] = tr(N_("Ages: {ages}")).format(
            ages=", ".join(tr(_label("G0.2a", v)) for v in ages)
        )
    orders = a.get("G0.4") if isinstance(a.get("G0.4"), list) else []
    texts = c["background_prefill"]
    wanted = "discreet" if discreet else "normal"
    values["bg_orders"] = "; ".join(
        tr(texts["orders"][o][wanted]) for o in orders if o in texts["orders"]
    )
    values["bg_copies"] = bool(values["bg_orders"])
    if a.get("I3") == "yes":
        values["bg_subst"] = tr(texts["substance"])
    if a.get("G0.3") == "yes":
        values["bg_preg"] = tr(texts["pregnancy"])

    if not values["who"] and a.get("P6") in {"me", "me_and_them", "family"}:
        values["who"] = tr(_label("P6", a["P6"]))
    formats = a.get("P2") if isinstance(a.get("P2"), list) else []
    if formats == ["in-person"]:
        values["mode"] = "in_person"
    elif formats == ["video"]:
        values["mode"] = "video"
    return values


# --- composing ------------------------------------------------------------------------------


def source_fits(citation: Citation, answers: Mapping[str, Any]) -> bool:
    """Whether a source fits this relationship (the catalog says which articles fit whom)."""
    return citation.fits_relationship(answers.get("G0.1"))


def _suggestion(
    assessment: Assessment, answers: Mapping[str, Any]
) -> tuple[Suggestion, tuple[Footnote, ...]]:
    """The outcome and its first reasons, each with the plain name of its source (the catalog's
    title, never an article's own title or section) when that source fits the relationship."""
    notes: dict[str, int] = {}
    reasons = []
    for r in assessment.reasons:
        if r.code in LEFT_OUT_REASONS:
            continue
        number = None
        if source_fits(r.citation, answers):
            number = notes.setdefault(r.citation.title, len(notes) + 1)
        reasons.append(Reason(text=r.text, note=number))  # its first sentence is printed
        if len(reasons) == MAX_REASONS:
            break
    footnotes = tuple(Footnote(n, text) for text, n in notes.items())
    return Suggestion(label=assessment.label, reasons=tuple(reasons)), footnotes


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]


def _footer(discreet: bool, assessment: Assessment | None) -> tuple[str, ...]:
    """Each line a :class:`Text`, so a page translates its name and contact one by one. A
    line that is not for everyone (``footer_always``) is printed when the result lists it,
    or on a sheet without a result."""
    c = content()
    lines = crisis_lines()
    shown = [
        i
        for i in c["footer_lines"]
        if assessment is None or i in c["footer_always"] or i in assessment.resources
    ]
    if discreet:
        line = lines[c["discreet_line"]["id"]]
        return (
            Text(
                "{label} · {suffix}", label=line.discreet_label, suffix=c["discreet_line"]["suffix"]
            ),
        )
    return tuple(
        Text("{name}: {contact}", name=lines[i].name, contact=lines[i].contact) for i in shown
    )


def compose(
    answers: Mapping[str, Any] | None,
    assessment: Assessment | None,
    counselor: CounselorInfo | None,
    fields: Mapping[str, Any] | None,
    *,
    discreet: bool | None = None,
    blank: bool = False,
    notes: tuple[str, ...] = (),
    say: Callable[[str], str] | None = None,
    day_words: Callable[[date | None], str] | None = None,
) -> Sheet:
    """The sheet to print.

    ``fields`` are the cleaned form values (see fields.py); None pre-fills from ``answers``.
    ``discreet`` None means: the value in ``fields``, else the default for ``assessment``.
    A ``blank`` sheet uses no answers, no counselor and no typed text. ``say`` translates
    the words it writes itself and ``day_words`` writes a booked date (English without them).
    """
    if blank:
        answers, assessment, counselor, fields = {}, None, None, None
    if discreet is None:
        discreet = bool(fields["discreet"]) if fields else discreet_by_default(assessment)
    v = (
        dict(fields)
        if fields
        else prefill(answers or {}, discreet=discreet, assessment=assessment, say=say)
    )
    aud = audience(assessment)
    if blank:
        v = empty()
    c = content()

    def text(name: str) -> str:
        value = v.get(name)
        return value[: TEXT_BY_NAME[name].cap] if isinstance(value, str) else ""

    mode = v.get("mode") or ""
    appointment = Appointment(
        name=counselor.name if counselor else text("t_name"),
        credential=counselor.credential if counselor else text("t_cred"),
        licence=counselor.licence if counselor else text("t_lic"),
        licence_checked=bool(v.get("lic_ok")),
        when=text("when") or ((day_words or booked_on)(counselor.booked) if counselor else ""),
        mode=mode,
        where=text("where") or (counselor_where(counselor, mode, say) if counselor else ""),
        private_room=bool(v.get("room")),
        who=(say or _same)(attending_alone()) if aud.alone else text("who"),
        phone=text("t_phone") or (counselor.phone if counselor else ""),
    )
    fit = applies(answers)

    suggestion, footnotes = None, ()
    if (
        assessment is not None
        and not discreet
        and not assessment.short_screen
        and v.get("inc_suggest")
    ):
        suggestion, footnotes = _suggestion(assessment, clean_answers(answers or {})[0])

    happen = bool(v.get("inc_happen"))
    ticked = set(v.get("hap") or []) if happen else set()
    happening = tuple(
        Check(wording(h, "label", discreet=discreet) or h["label"], h["id"] in ticked)
        for h in c["happening"]
        if fit.allows(h["id"])
    )

    tried_on = bool(v.get("inc_tried"))
    tried = tuple(_label("T1", t) for t in (v.get("tried") or [])) if tried_on else ()

    # Goals for the children assume working with the other parent: not after a safety result.
    cp_ticked = set(v.get("cp") or [])
    coparent = (
        ()
        if aud.alone or not fit.coparenting
        else tuple(Check(g["label"], g["id"] in cp_ticked) for g in c["coparent_goals"])
    )

    bg_on = bool(v.get("inc_bg"))
    background = tuple(
        Entry(label, text(b["id"]) if bg_on else "", bool(b.get("copies")))
        for b in c["background"]
        if fit.allows(b["id"]) and (label := wording(b, "label", discreet=discreet))
    )

    offered = question_choices(aud, discreet=discreet)
    chosen_q = set(v.get("q") or []) & {i for g in offered for i, _words in g.items}
    questions = tuple(
        QuestionGroup(g.title, words)
        for g in offered
        if (words := tuple(w for i, w in g.items if not chosen_q or i in chosen_q))
    )

    chosen_b = set(v.get("bring") or [])
    bring = tuple(
        Check(b["label"])
        for b in c["bring"]
        if fit.allows(b["id"]) and (not chosen_b or b["id"] in chosen_b)
    )

    return Sheet(
        title=c["titles"]["discreet" if discreet else "normal"],
        discreet=discreet,
        blank=blank,
        appointment=appointment,
        why=text("why"),
        suggestion=suggestion,
        happening=happening,
        happening_other=text("hap_other") if happen else "",
        since=text("since") if happen else "",
        changed=text("changed") if happen else "",
        tried=tried,
        tried_other=text("tried_other") if tried_on else "",
        helped=text("helped") if tried_on else "",
        goals=(text("goal1"), text("goal2"), text("goal3")),
        know=text("know"),
        coparent_goals=coparent,
        background=background,
        orders_copies=bg_on and fit.orders and bool(v.get("bg_copies")),
        share_note=c["share_note"],
        safety_note=c["safety_note"][SAFE if aud.alone else GENERAL][
            "discreet" if discreet else "normal"
        ],
        questions=questions,
        own_questions=text("q_own"),
        bring=bring,
        bring_other=text("bring_other"),
        after=tuple(c["after"]),
        footer=_footer(discreet, assessment),
        not_advice=c["not_advice"],
        footnotes=footnotes,
        notes=notes,
        changed_hint=changed_hint(fit),
    )


def changed_hint(fit: Applies) -> str:
    hints = content()["changed_hint"]
    return hints["default"] if fit.pregnancy else hints["no_pregnancy"]


def booked_on(day: date | None) -> str:
    """A booked date as it is printed ("Tuesday, March 14, 2026")."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}" if day else ""


def counselor_where(
    counselor: CounselorInfo, mode: str, say: Callable[[str], str] | None = None
) -> str:
    """Where the appointment happens, from the listing and the chosen way to meet."""
    tr = say or _same
    words = content()["counselor_where"]
    video = tr(words["video"])
    if mode == "video" and counselor.video:
        return video
    if counselor.office and (mode == "in_person" or not counselor.video):
        return counselor.office
    if counselor.office:
        return tr(words["office_or_video"]).format(office=counselor.office)
    return video if counselor.video else ""


# --- how long it will be on paper -----------------------------------------------------------

CHARS_PER_LINE: Final = 125
COLUMN_CHARS: Final = 60
LINES_PER_PAGE: Final = 64
FIXED_LINES: Final = 56
"""Lines of a sheet with one-line answers (headings, boxes, questions, write-in lines), measured
on Letter with Chromium: such a sheet fills most of one page."""


def _extra_lines(value: str, width: int) -> int:
    lines = sum(max(1, math.ceil(len(part) / width)) for part in value.split("\n"))
    return max(0, lines - 1)


def estimate_pages(sheet: Sheet) -> int:
    """A cheap estimate of the printed length: the fixed layout plus wrapped typed text."""
    extra = 0
    for value in (
        sheet.why,
        sheet.changed,
        sheet.tried_other,
        sheet.helped,
        *sheet.goals,
        sheet.know,
        sheet.own_questions,
    ):
        extra += _extra_lines(value, CHARS_PER_LINE)
    extra += sum(_extra_lines(e.text, COLUMN_CHARS) for e in sheet.background) // 2
    if sheet.suggestion:
        said = (first_sentence(r.text) for r in sheet.suggestion.reasons)
        extra += sum(math.ceil(len(text) / CHARS_PER_LINE) for text in said)
        extra += len(sheet.footnotes)
    extra += len(sheet.tried) // 2
    return max(1, math.ceil((FIXED_LINES + extra) / LINES_PER_PAGE))


def longest_texts(sheet: Sheet, n: int = 2) -> tuple[str, ...]:
    """Labels of the longest typed answers: what to shorten if the sheet runs long."""
    named = [
        (N_("Why I'm going"), sheet.why),
        (N_("What changed recently"), sheet.changed),
        (N_("What helped, or didn't"), sheet.helped),
        (N_("Goals"), " ".join(sheet.goals)),
        (N_("How I'll know it's working"), sheet.know),
        (N_("Background"), " ".join(e.text for e in sheet.background)),
        (N_("My own questions"), sheet.own_questions),
    ]
    named.sort(key=lambda pair: -len(pair[1]))
    return tuple(label for label, value in named[:n] if value)
