"""The readiness rules: answers in, an explainable :class:`Assessment` out (readiness.md 3.4).

Gates come before scores. A positive crisis item gives ``E_CRISIS``; otherwise one positive
safety item (or U1, the person's own harmful behaviour) gives ``D_SAFETY`` whatever the distress
score or what anyone wants. Only when no gate fired do the conflict score and urgency points
pick ``A_SELFHELP`` / ``B_LIKELY`` / ``C_NOW`` and the track pick the format.

Two short-screen states are flags rather than outcomes: ``not_private`` (G0.5 = no) and
``youth`` (G0.6 = no). The outcome is still computed from whatever was answered (so a crisis
answer sent through the API is never lost), but the web layer shows the short screen first:
see :attr:`Assessment.short_screen`. Neither gets self-help steps or directory matching.

Safety and crisis results never suggest joint formats. The texts that may appear on them are
listed in ``SAFE_REASON_CODES`` / ``SAFE_HELP_CODES`` and are free of the words in
``JOINT_WORDS``, with one exception: the reason ``SAFETY_NO_JOINT`` explains why sessions
together are not suggested. The directory filters of those results use only individual
formats, and ``excluded`` lists the joint ``sees`` values and modalities (taxonomy
``"joint": true``) that must never be preset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

from portal.i18n.text import Lower
from portal.readiness import thresholds as th
from portal.readiness.catalog import OURS, Citation, cite, joint_modalities, with_lines
from portal.readiness.conditions import evaluate
from portal.readiness.lexicon import Disclosure, describe, quoted, screen
from portal.readiness.questionnaire import Answers, load_questionnaire
from portal.readiness.texts import messages
from portal.readiness.validation import clean_answers

A_SELFHELP: Final = "A_SELFHELP"
B_LIKELY: Final = "B_LIKELY"
C_NOW: Final = "C_NOW"
D_SAFETY: Final = "D_SAFETY"
E_CRISIS: Final = "E_CRISIS"
OUTCOMES: Final = (A_SELFHELP, B_LIKELY, C_NOW, D_SAFETY, E_CRISIS)

T_COUPLES: Final = "T_COUPLES"
T_DISCERN: Final = "T_DISCERN"
T_COPARENT: Final = "T_COPARENT"
T_FAMILY: Final = "T_FAMILY"
T_INDIV: Final = "T_INDIV"
TRACKS: Final = (T_COUPLES, T_DISCERN, T_COPARENT, T_FAMILY, T_INDIV)

PERINATAL: Final = "PERINATAL"
SUBSTANCE: Final = "SUBSTANCE"
CHILD_FOCUS: Final = "CHILD_FOCUS"
ADDONS: Final = (PERINATAL, SUBSTANCE, CHILD_FOCUS)

SUBROUTE_STOP_HARM: Final = "stop_harm"
SELF_DEFENSE: Final = "self_defense"
"""U1 answer: hurt or threatened the other person while protecting oneself or someone else.
It keeps victim support first and never leads to an accountability program."""

DANGER_NOW: Final = "danger_now"
PAST_ATTEMPT: Final = "past_attempt"

ROMANTIC: Final = frozenset({"partner", "coparent_ex", "ex_no_children"})
FAMILY: Final = frozenset({"my_parent", "my_adult_child", "other_family"})

REPEATABLE_PARAMS: Final = (
    "sees",
    "specialty",
    "modality",
    "licence",
    "format",
    "language",
    "insurance",
)
SINGLE_PARAMS: Final = (
    "zip",
    "radius",
    "state",
    "sliding_scale",
    "max_fee",
    "accepting",
    "evenings",
    "screens_individually",
)
DIRECTORY_PARAMS: Final = frozenset(REPEATABLE_PARAMS + SINGLE_PARAMS)

JOINT_SEES: Final = ("couples", "co-parents", "families", "parent-adult-child")
COUPLES_MODALITIES: Final = ("eft", "gottman", "ibct")

JOINT_WORDS: Final = (
    "couple",
    "discernment",
    "mediat",
    "co-parenting counsel",
    "parenting coordinat",
    "joint",
    "family therap",
    "family session",
)
"""Words that must not appear in any text of a safety or crisis result (except SAFETY_NO_JOINT)."""

SAFETY_EXPLAINER: Final = "SAFETY_NO_JOINT"
SAFE_REASON_CODES: Final = frozenset(
    {
        "NOT_PRIVATE",
        "YOUTH",
        "CRISIS_NOW",
        "CRISIS_THOUGHTS",
        "DANGER_NOW",
        "OTHER_SUICIDE_THREAT",
        "PERINATAL_MOOD",
        "CRISIS_PAST_ATTEMPT",
        "CRISIS_HARM_BABY",
        "SAFETY_PHYSICAL",
        "SAFETY_THREATS",
        "SAFETY_FEAR",
        "SAFETY_SEXUAL",
        "SAFETY_CONTROL",
        "SAFETY_LIFELINES",
        "SAFETY_STALKING",
        "SAFETY_RED_FLAGS",
        "SAFETY_PROTECTIVE_ORDER",
        "SAFETY_DISCLOSURE",
        "SAFETY_SUBSTANCE_FEAR",
        "SELF_DEFENSE",
        "CRISIS_DISCLOSURE",
        "CHILD_AT_RISK",
        "STOP_HARM",
        "PRACTICAL_FALLOUT",
        "ADDON_PERINATAL",
        "ADDON_SUBSTANCE",
        "ADDON_CHILD_FOCUS",
        "PERSONAL_SUPPORT",
        SAFETY_EXPLAINER,
    }
)
SAFE_HELP_CODES: Final = frozenset(
    {
        "HK_NOT_PRIVATE",
        "HK_YOUTH",
        "HK_CRISIS",
        "HK_DANGER",
        "HK_ADVOCATE",
        "HK_INDIV_TRAUMA",
        "HK_SAFETY_PLAN",
        "HK_LOW_CONTACT",
        "HK_LEGAL",
        "HK_STOP_HARM",
        "HK_PERINATAL",
        "HK_PERINATAL_MOOD",
        "HK_PRACTICAL",
        "HK_SUBSTANCE",
        "HK_CHILD_FOCUS",
        "HK_PERSONAL",
    }
)
GATED_SELFHELP: Final = frozenset({"SH_CONSISTENCY", "SH_LETTING_GO", "SH_RECOVERY_BOUNDARY"})
"""Self-help steps shown only when no crisis or safety gate fired (readiness.md 3.6)."""

SELFHELP_PRIORITY: Final = (
    "SH_FIRST_CONTACT",
    "SH_TAKE_STOCK",
    "SH_PARENTING_PLAN",
    "SH_SUPPORT_NETWORK",
    "SH_RECOVERY_BOUNDARY",
    "SH_FACTS_DECISIONS",
    "SH_CONSISTENCY",
    "SH_KIDS_OUT",
    "SH_KIDS_SHIELD",
    "SH_CALM_TALK",
    "SH_OPEN_QUESTIONS",
    "SH_ONE_ISSUE",
    "SH_FOLLOW_THROUGH",
    "SH_BOUNDARIES",
    "SH_MONEY",
    "SH_PARENTING_STYLES",
    "SH_HOUSE_RULES",
    "SH_LETTING_GO",
    "SH_SPITE_CHECK",
    "SH_EMPATHY",
    "SH_I_STATEMENTS",
    "SH_POSITIVE_TIME",
    "SH_NEW_EXPERIENCES",
    "SH_CELEBRATE",
)


@dataclass(frozen=True)
class Reason:
    """Why the result says what it says: the answers that fired it and the source behind it."""

    code: str
    text: str
    source: str
    items: tuple[str, ...]
    citation: Citation


@dataclass(frozen=True)
class SelfHelpStep:
    code: str
    text: str
    source: str
    citation: Citation


@dataclass(frozen=True)
class HelpKind:
    code: str
    title: str
    text: str


@dataclass(frozen=True)
class Assessment:
    outcome: str
    label: str
    message: str
    urgent: bool
    track: str
    extra_tracks: tuple[str, ...]
    addons: tuple[str, ...]
    subroute: str | None
    not_private: bool
    youth: bool
    crisis: bool
    safety: bool
    reasons: tuple[Reason, ...]
    selfhelp: tuple[SelfHelpStep, ...]
    recheck_weeks: tuple[int, int] | None
    parallel_parenting: bool
    help_kinds: tuple[HelpKind, ...]
    resources: tuple[str, ...]
    directory_mode: str
    directory_filters: dict[str, Any]
    on_request_filters: dict[str, Any]
    excluded: dict[str, tuple[str, ...]]
    band: str | None
    cci_total: int
    cci_max: int
    urgency: int
    disclosures: tuple[str, ...] = field(default=())
    variant: str | None = None
    """For ``E_CRISIS``: ``"danger_now"`` (C3: 911 and the DV Hotline first) or
    ``"past_attempt"`` (only C6, not urgent); None otherwise. ``label`` and ``message`` follow
    it."""
    screened: tuple[Disclosure, ...] = field(default=())
    """What the free text was read as: the phrases of ``disclosures`` with their kind and label."""

    @property
    def short_screen(self) -> bool:
        """Show the short safe screen instead of the full result (not private, or under 18)."""
        return self.not_private or self.youth

    @property
    def directory_query(self) -> str:
        """The /counselors query string for the preset filters, or "" when there are none."""
        return _query(self.directory_filters)

    @property
    def on_request_query(self) -> str:
        """For E_CRISIS: the query to use if the person asks to see counselors."""
        return _query(self.on_request_filters)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every user-facing text of this result as ``(code, text)``, for checks and printing."""
        yield ("label", self.label)
        yield ("message", self.message)
        for r in self.reasons:
            yield (r.code, r.text)
        for s in self.selfhelp:
            yield (s.code, s.text)
        for h in self.help_kinds:
            yield (h.code, f"{h.title}. {h.text}")


def _query(filters: Mapping[str, Any]) -> str:
    if not filters:
        return ""
    params: dict[str, Any] = dict(filters)
    params["accepting"] = "1"
    return urlencode(params, doseq=True)


# --- reading the answers ------------------------------------------------------------------


class _Answers:
    """Typed, forgiving access to clean answers."""

    def __init__(self, answers: Answers) -> None:
        self.a = answers

    def get(self, item_id: str) -> Any:
        return self.a.get(item_id)

    def yes(self, item_id: str) -> bool:
        return self.a.get(item_id) == "yes"

    def freq(self, item_id: str) -> int:
        value = self.a.get(item_id)
        return th.FREQUENCY_RANK.get(value, 0) if isinstance(value, str) else 0

    def score(self, item_id: str) -> int:
        value = self.a.get(item_id)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def chosen(self, item_id: str) -> list[str]:
        value = self.a.get(item_id)
        return list(value) if isinstance(value, list) else []


def relationship_group(relationship: object) -> str:
    """The kind of relationship a text is written for: ``coparent`` (an ex with whom one shares
    a child), ``couple`` (a partner or an ex without children together), ``family`` or ``other``.
    A married couple with children is a couple, not co-parents."""
    if relationship == "coparent_ex":
        return "coparent"
    if relationship in ("partner", "ex_no_children"):
        return "couple"
    if relationship in FAMILY:
        return "family"
    return "other"


_RELATIONSHIP: ContextVar[object] = ContextVar("relationship", default=None)
"""G0.1 of the answers being assessed, so every text and citation fits that relationship."""


def _fitting(entry: Mapping[str, Any]) -> tuple[str, str]:
    """(text, source) of a message entry for this person's relationship. The entry's by_group
    variant wins; an article written for another kind of relationship is never cited: the text
    is then marked as our own suggestion."""
    rel = _RELATIONSHIP.get()
    variant = entry.get("by_group", {}).get(relationship_group(rel), {})
    text = variant.get("text", entry["text"])
    source = variant.get("source", entry["source"])
    if not cite(source).fits_relationship(rel):
        source = OURS
    return text, source


def _reason(code: str, items: list[str] | tuple[str, ...], **values: object) -> Reason:
    text, source = _fitting(messages()["reasons"][code])
    return Reason(
        code=code,
        text=with_lines(text, values),
        source=source,
        items=tuple(dict.fromkeys(items)),
        citation=cite(source),
    )


def _help(code: str, **values: object) -> HelpKind:
    entry = messages()["help_kinds"][code]
    return HelpKind(code=code, title=entry["title"], text=with_lines(entry["text"], values))


def _step(code: str) -> SelfHelpStep:
    text, source = _fitting(messages()["selfhelp"][code])
    return SelfHelpStep(code=code, text=text, source=source, citation=cite(source))


def _safety_hits(x: _Answers, screened: Sequence[Disclosure]) -> list[tuple[str, list[str]]]:
    """Safety-gate hits as (reason code, items), readiness.md 3.4 step 2; ``screened`` is what
    the free text was read as."""
    hits: list[tuple[str, list[str]]] = []
    rank = th.FREQUENCY_RANK

    def at_least(item: str) -> bool:
        return x.get(item) is not None and x.freq(item) >= rank[th.SAFETY_ITEM_MIN[item]]

    if at_least("S1"):
        hits.append(("SAFETY_PHYSICAL", ["S1"]))
    if at_least("S2"):
        hits.append(("SAFETY_THREATS", ["S2"]))
    s7 = x.freq("S7") >= rank[th.S7_GATE_MIN] and x.freq("S3") >= rank[th.S7_GATE_WITH_S3_MIN]
    if at_least("S3") or s7:
        hits.append(("SAFETY_FEAR", ["S3", "S7"] if s7 else ["S3"]))
    if at_least("S4"):
        hits.append(("SAFETY_SEXUAL", ["S4"]))
    if at_least("S5a"):
        hits.append(("SAFETY_CONTROL", ["S5a"]))
    if at_least("S5b"):
        hits.append(("SAFETY_LIFELINES", ["S5b"]))
    if at_least("S6"):
        hits.append(("SAFETY_STALKING", ["S6"]))
    if x.get("I3a") in th.OTHER_USING and x.freq("S3") >= rank[th.S7_GATE_WITH_S3_MIN]:
        hits.append(("SAFETY_SUBSTANCE_FEAR", ["I3", "I3a", "S3"]))
    red = [r for r in th.RED_FLAG_ITEMS if x.yes(r)]
    if red:
        hits.append(("SAFETY_RED_FLAGS", red))
    if "protective_order" in x.chosen("G0.4"):
        hits.append(("SAFETY_PROTECTIVE_ORDER", ["G0.4"]))
    if x.yes("K1"):
        hits.append(("CHILD_AT_RISK", ["K1"]))
    if x.get("U1") == SELF_DEFENSE:
        hits.append(("SELF_DEFENSE", ["U1"]))
    if any(not d.crisis for d in screened):
        hits.append(("SAFETY_DISCLOSURE", ["F1"]))
    return hits


def _cci(x: _Answers) -> tuple[int, int, list[str]]:
    """(total, maximum, item ids shown) of the Conflict & Communication Index."""
    step = load_questionnaire().step("conflict")
    shown = [item.id for item in step.items if evaluate(item.show_if, x.a)]
    total = sum(x.score(i) for i in shown)
    return total, th.CCI_ITEM_MAX * len(shown), shown


def _band(total: int, maximum: int) -> str:
    distress = total / maximum if maximum else 0.0
    if distress >= th.BAND_HIGH_MIN:
        return "high"
    if distress >= th.BAND_MODERATE_MIN:
        return "moderate"
    return "low"


def _label(item_id: str, value: object) -> str:
    if not isinstance(value, (str, int)) or value == "":
        return ""
    return Lower(load_questionnaire().item(item_id).label_for(value))


def _urgency(x: _Answers, band: str, kids: bool) -> list[Reason]:
    """Urgency points, each as the reason that explains it (readiness.md 3.4 step 3)."""
    points: list[Reason] = []
    tried = [v for v in x.chosen("T1") if v != "none"]
    if len(tried) >= th.TRIED_MIN_STEPS and x.get("T2") in th.TRIED_NO_CHANGE:
        points.append(
            _reason(
                "TRIED_NO_CHANGE",
                ["T1", "T2"],
                tried_count=len(tried),
                t2_label=_label("T2", x.get("T2")),
            )
        )
    if x.score("D6") >= th.COMMUNICATION_BROKEN_MIN:
        points.append(_reason("COMMUNICATION_BROKEN", ["D6"]))
    if x.get("T3") in th.LONG_DURATION:
        points.append(_reason("LONG_DURATION", ["T3"], t3_label=_label("T3", x.get("T3"))))
    if kids and x.score("D5") >= th.CHILD_EXPOSURE_MIN:
        points.append(_reason("CHILDREN_EXPOSED", ["D5"]))
    i1 = x.get("I1")
    i1_rank = th.IMPACT_I1_ORDER.index(i1) if i1 in th.IMPACT_I1_ORDER else 0
    if i1_rank >= th.IMPACT_I1_ORDER.index(th.IMPACT_I1_MIN) or x.yes("I2"):
        points.append(_reason("PERSONAL_IMPACT", ["I1", "I2"]))
    if x.yes("I3"):
        points.append(_reason("SUBSTANCE_SIGNAL", ["I3"]))
    at_least_moderate = band in ("moderate", "high")
    if x.yes("G0.3") and at_least_moderate:
        points.append(_reason("PERINATAL_CONFLICT", ["G0.3"]))
    children = kids or x.get("G0.1") == "coparent_ex"
    if x.get("E5") == "no" and at_least_moderate and children:
        points.append(_reason("NO_PARENTING_PLAN", ["E5"]))
    return points


def _track(x: _Answers, band: str) -> tuple[str, list[Reason], bool]:
    """(track, reasons, parallel parenting) for results without a gate (3.4 step 4)."""
    rel = x.get("G0.1")
    e1, e2, e3 = x.get("E1"), x.get("E2"), x.get("E3")
    both_in = e1 == "work_on_it" and e2 == "work_on_it"
    if rel in ROMANTIC:
        if rel == "coparent_ex" and x.get("E4") == "absent":
            return T_INDIV, [_reason("COPARENT_NOT_APPLICABLE", ["E4"])], False
        if both_in and e3 != "no":
            said = "TRACK_COUPLES_MAYBE" if e3 == "maybe" else "TRACK_COUPLES"
            return T_COUPLES, [_reason(said, ["E1", "E2", "E3"])], False
        if rel == "coparent_ex" and (e2 == "left" or e3 == "no"):
            # Joint co-parenting counseling needs the other parent: parallel parenting instead.
            return T_INDIV, [_reason("TRACK_COPARENT_ALONE", ["E2", "E3"])], True
        if rel == "coparent_ex":
            high_items = [
                i
                for i in th.PARALLEL_PARENTING_ITEMS
                if x.score(i) >= th.PARALLEL_PARENTING_ITEM_MIN
            ]
            parallel = band == "high" or bool(high_items)
            reasons = [_reason("TRACK_COPARENT", ["G0.1", "E1", "E2"])]
            if band == "high":
                reasons.append(_reason("PARALLEL_PARENTING", high_items or ["D1", "D2", "D10"]))
            elif high_items:  # the whole is not high, but some of it happens often
                reasons.append(_reason("PARALLEL_PARENTING_OFTEN", high_items))
            return T_COPARENT, reasons, parallel
        # Someone who has left cannot take part in a decision process for two, so this check
        # comes before the mixed-agenda one (readiness.md lists it after).
        if e2 == "left" or e3 == "no":
            return T_INDIV, [_reason("TRACK_INDIV_DISENGAGED", ["E2", "E3"])], False
        if e1 == "end" and e2 == "end":
            return T_INDIV, [_reason("TRACK_INDIV_SEPARATING", ["E1", "E2"])], False
        if e2 == "end":
            # Discernment counseling is not for a decision already made (readiness.md 2.3).
            return T_INDIV, [_reason("TRACK_DECIDED", ["E2"])], False
        if e1 is not None and e2 is not None:
            if rel == "partner" and x.yes("G0.7"):
                return T_DISCERN, [_reason("TRACK_DISCERN", ["E1", "E2", "G0.7"])], False
            return T_INDIV, [_reason("TRACK_DECISION", ["E1", "E2"])], False
    if rel in FAMILY:
        if x.get("E6") == "reconnect" and e3 in ("yes", "maybe"):
            said = "TRACK_FAMILY" if e3 == "yes" else "TRACK_FAMILY_MAYBE"
            return T_FAMILY, [_reason(said, ["E6", "E3"])], False
        return T_INDIV, [_estranged_reason(x.get("E6"), e3)], False
    return T_INDIV, [_reason("TRACK_INDIV_GENERAL", ["G0.1"])], False


def _estranged_reason(hope: object, e3: object) -> Reason:
    """Why a family member gets individual help: what they said they hope for, and for
    someone who hopes to reconnect, whether the other would come."""
    if hope == "reconnect":
        if e3 is None:
            return _reason("TRACK_INDIV_RECONNECT", ["E6"])
        return _reason("TRACK_INDIV_RECONNECT_NOT_YET", ["E6", "E3"])
    if hope == "not_sure":
        return _reason("TRACK_INDIV_UNSURE", ["E6"])
    if hope == "distance":
        return _reason("TRACK_INDIV_DISTANCE", ["E6"])
    return _reason("TRACK_INDIV_ESTRANGED", ["E6", "E3"])


def _practical_filters(x: _Answers) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(x.get("P1"), str) and x.get("P1"):
        out["zip"] = x.get("P1")
    if x.chosen("P2"):
        out["format"] = x.chosen("P2")
    if isinstance(x.get("P3"), str) and x.get("P3"):
        out["language"] = [x.get("P3")]
    payment = x.get("P4")
    if payment == "sliding_scale":
        out["sliding_scale"] = "1"
    elif isinstance(payment, str) and payment not in ("", "self_pay", "not_sure"):
        out["insurance"] = [payment]
    if x.yes("P5"):
        out["evenings"] = "1"
    return out


def _track_filters(x: _Answers, track: str) -> dict[str, Any]:
    rel = x.get("G0.1")
    if track == T_COUPLES:
        return {
            "sees": ["couples"],
            "modality": list(COUPLES_MODALITIES),
            "screens_individually": "1",
        }
    if track == T_DISCERN:
        return {"sees": ["couples"], "modality": ["discernment"], "screens_individually": "1"}
    if track == T_COPARENT:
        return {
            "sees": ["co-parents"],
            "specialty": ["co-parenting"],
            "screens_individually": "1",
        }
    if track == T_FAMILY:
        if rel in ("my_parent", "my_adult_child"):
            return {
                "sees": ["parent-adult-child"],
                "specialty": ["estrangement", "parent-child-conflict"],
                "screens_individually": "1",
            }
        return {"sees": ["families"], "screens_individually": "1"}
    specialty: list[str]
    if rel in FAMILY:
        specialty = ["estrangement", "parent-child-conflict"]
    elif rel == "coparent_ex" and x.get("E4") == "absent":
        specialty = ["single-parenting"]
    elif rel in ("coparent_ex", "ex_no_children") or x.get("E2") == "left":
        specialty = ["separation-divorce"]
    else:
        specialty = ["couples-communication", "separation-divorce"]
    return {"sees": ["individuals"], "specialty": specialty}


def _with_addons(filters: dict[str, Any], addons: list[str]) -> dict[str, Any]:
    extra = {PERINATAL: "perinatal", SUBSTANCE: "substance-use"}
    specialty = list(filters.get("specialty", []))
    for addon in addons:
        slug = extra.get(addon)
        if slug and slug not in specialty:
            specialty.append(slug)
    if specialty:
        filters["specialty"] = specialty
    return filters


def _without_joint(
    filters: dict[str, Any], excluded: Mapping[str, tuple[str, ...]]
) -> dict[str, Any]:
    """Defence in depth: drop any excluded slug that reached the filters."""
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if isinstance(value, list):
            value = [v for v in value if v not in excluded.get(key, ())]
            if not value:
                continue
        out[key] = value
    return out


TRIED_AS: Final[dict[str, tuple[str, ...]]] = {
    "calm_time": ("SH_ONE_ISSUE",),
    "breaks": ("SH_CALM_TALK",),
    "i_statements": ("SH_I_STATEMENTS",),
    "boundaries": ("SH_BOUNDARIES",),
    "parenting_plan": ("SH_PARENTING_PLAN",),
    "kept_promises": ("SH_CONSISTENCY", "SH_FOLLOW_THROUGH"),
    "positive_time": ("SH_POSITIVE_TIME", "SH_NEW_EXPERIENCES", "SH_OPEN_QUESTIONS"),
    "support": ("SH_SUPPORT_NETWORK",),
}
"""The steps each answer to T1 ("which of these have you tried?") already covers."""

CONVERSATION_STEPS: Final = frozenset(
    {
        "SH_CALM_TALK",
        "SH_ONE_ISSUE",
        "SH_OPEN_QUESTIONS",
        "SH_I_STATEMENTS",
        "SH_POSITIVE_TIME",
        "SH_NEW_EXPERIENCES",
        "SH_BOUNDARIES",
        "SH_MONEY",
        "SH_HOUSE_RULES",
        "SH_CELEBRATE",
        "SH_FOLLOW_THROUGH",
    }
)
"""Steps that assume the two are talking: not for a family estrangement."""


def estranged(x: _Answers) -> bool:
    """A parent and adult child (or other family) who have basically stopped talking."""
    return x.get("G0.1") in FAMILY and x.score("D6") >= th.NO_CONTACT_D6_MIN


def already_tried(x: _Answers) -> frozenset[str]:
    """Steps not to offer again: what was tried and kept up for a month or more, or tried
    without things getting better. A few weeks that helped are worth keeping up."""
    tried = [t for t in x.chosen("T1") if t != "none"]
    kept_up = x.get("T4") in th.KEPT_UP
    if not tried or not (kept_up or x.get("T2") in th.TRIED_NO_CHANGE):
        return frozenset()
    return frozenset(code for t in tried for code in TRIED_AS.get(t, ()))


def _selfhelp(x: _Answers, track: str, gates_fired: bool) -> list[SelfHelpStep]:
    """Two or three steps for the highest CCI items, chosen from the article strategies."""
    rel = x.get("G0.1")
    absent = rel == "coparent_ex" and x.get("E4") == "absent"
    # Co-parenting steps are for co-parents only (an ex with whom one shares a child), never
    # for a couple or a family that happens to have children.
    coparenting = rel == "coparent_ex" and not absent
    kids = x.yes("G0.2") and not coparenting
    family = rel in FAMILY
    scores: dict[str, float] = {}

    def offer(code: str, score: float) -> None:
        scores[code] = max(scores.get(code, 0.0), score)

    if absent:
        offer("SH_SUPPORT_NETWORK", 10)
        offer("SH_BOUNDARIES", 0.5)
    if x.get("E2") == "left" or x.get("I4") == "no":
        offer("SH_SUPPORT_NETWORK", 5)
    if x.get("E2") == "left" and rel in ROMANTIC:
        offer("SH_RECOVERY_BOUNDARY", 4)
    if coparenting and rel == "coparent_ex" and x.get("E5") == "no":
        offer("SH_PARENTING_PLAN", max(x.score("D2"), x.score("D8"), 1) + 0.5)
    by_item = {
        "D1": "SH_CALM_TALK",
        "D2": "SH_FACTS_DECISIONS" if coparenting else "SH_HOUSE_RULES" if kids else None,
        "D3": "SH_ONE_ISSUE",
        "D4": "SH_CONSISTENCY" if coparenting else "SH_FOLLOW_THROUGH",
        "D5": "SH_KIDS_OUT" if coparenting else "SH_KIDS_SHIELD" if kids else None,
        "D6": "SH_OPEN_QUESTIONS",
        "D7": "SH_MONEY",
        "D8": "SH_PARENTING_STYLES" if coparenting else "SH_HOUSE_RULES" if kids else None,
        "D9": "SH_LETTING_GO" if family else "SH_SPITE_CHECK" if coparenting else "SH_ONE_ISSUE",
        "D10": "SH_BOUNDARIES",
    }
    for item, code in by_item.items():
        if code and x.score(item) > 0:
            offer(code, x.score(item))
    # Fallbacks so the plan always has at least two steps.
    if family:
        fallbacks = ["SH_NEW_EXPERIENCES", "SH_EMPATHY"]
    elif coparenting:
        fallbacks = ["SH_KIDS_OUT", "SH_CONSISTENCY", "SH_I_STATEMENTS"]
    elif absent:
        fallbacks = ["SH_CELEBRATE"]
    elif track == T_COUPLES or rel == "partner":
        fallbacks = ["SH_POSITIVE_TIME", "SH_I_STATEMENTS"]
    else:
        fallbacks = ["SH_I_STATEMENTS", "SH_CELEBRATE"]
    for code in fallbacks:
        offer(code, 0)
    if gates_fired:
        for code in GATED_SELFHELP:
            scores.pop(code, None)
    # Fit what was already tried, for how long, and whether the two are in contact.
    done = already_tried(x)
    if done and x.get("T4") in th.KEPT_UP and len(x.chosen("T1")) >= th.TAKE_STOCK_MIN_TRIED:
        offer("SH_TAKE_STOCK", 9)
    skip = set(done)
    if estranged(x):
        skip |= CONVERSATION_STEPS
        if x.get("E6") != "distance":
            offer("SH_FIRST_CONTACT", 10)
        offer("SH_EMPATHY", 0)
        offer("SH_SUPPORT_NETWORK", 0)
    for code in skip:
        scores.pop(code, None)
    for code in ("SH_CELEBRATE", "SH_EMPATHY", "SH_SUPPORT_NETWORK"):
        if len(scores) >= th.SELFHELP_MIN_STEPS:
            break
        if code not in skip:
            offer(code, 0)
    order = {code: i for i, code in enumerate(SELFHELP_PRIORITY)}
    ranked = sorted(scores, key=lambda c: (-scores[c], order.get(c, len(order))))
    chosen = [c for c in ranked if scores[c] > 0][: th.SELFHELP_MAX_STEPS]
    for code in ranked:
        if len(chosen) >= th.SELFHELP_MIN_STEPS:
            break
        if code not in chosen:
            chosen.append(code)
    return [_step(code) for code in chosen]


def _resources(
    x: _Answers,
    outcome: str,
    *,
    not_private: bool,
    youth: bool,
    safety: bool,
    urgent: bool,
    suicidal_text: bool,
) -> tuple[str, ...]:
    out: list[str] = []

    def add(*ids: str) -> None:
        for line_id in ids:
            if line_id not in out:
                out.append(line_id)

    if x.yes("C3"):  # danger from a person: 911, then the DV Hotline; 988 only with C1/C2
        add("911", "dv-hotline")
    if youth:
        add("loveisrespect", "childhelp")
    if not_private:
        add("911", "dv-hotline", "988")
    if x.yes("C1") or x.yes("C2") or x.yes("C6") or suicidal_text:
        add("988", "crisis-text-line")
    if x.yes("C7"):
        add("988", "911")
    if urgent and outcome == D_SAFETY:
        add("911")
    if safety or x.get("U1") in ("yes", SELF_DEFENSE):
        add("dv-hotline")
    if x.freq("S4") >= 1:
        add("sexual-assault-hotline")
    if x.yes("K1"):
        add("childhelp", "911")
    if x.yes("G0.3") or x.yes("C5"):
        add("tlc-mama")
    if x.yes("C4") or outcome == D_SAFETY or youth:
        add("988")
    if x.yes("I3"):
        add("samhsa")
    if x.yes("I5"):
        add("211")
    return tuple(out)


def assess(answers: Mapping[str, object], *, cleaned: bool = False) -> Assessment:
    """Assess an answer set (clean or raw JSON-style; invalid values are ignored, never raise).
    ``cleaned``: ``answers`` came from ``clean_answers`` without errors, and is used as is."""
    clean = answers if cleaned else clean_answers(answers)[0]
    token = _RELATIONSHIP.set(clean.get("G0.1"))
    try:
        return _assess(clean)
    finally:
        _RELATIONSHIP.reset(token)


def _perinatal_mood(x: _Answers) -> bool:
    """C5 yes, or the two mood items (PHQ-2 concepts) at or above the cut-off."""
    score = sum(th.PERINATAL_MOOD_SCORE.get(str(x.get(i)), 0) for i in th.PERINATAL_MOOD_ITEMS)
    return x.yes("C5") or score >= th.PERINATAL_MOOD_MIN


def _assess(clean: Answers) -> Assessment:
    x = _Answers(clean)
    not_private = x.get("G0.5") == "no"
    youth = x.get("G0.6") == "no"
    rel = x.get("G0.1")
    kids = x.yes("G0.2")

    # 1. crisis
    crisis_reasons: list[Reason] = []
    if x.yes("C3"):
        crisis_reasons.append(_reason("DANGER_NOW", ["C3"]))
    if x.yes("C2"):
        crisis_reasons.append(_reason("CRISIS_NOW", ["C1", "C2"]))
    elif x.yes("C1"):
        crisis_reasons.append(_reason("CRISIS_THOUGHTS", ["C1"]))
    if x.yes("C7"):
        crisis_reasons.append(_reason("CRISIS_HARM_BABY", ["C7"]))
    if x.yes("C6"):
        crisis_reasons.append(_reason("CRISIS_PAST_ATTEMPT", ["C6"]))
    screened = tuple(screen(x.get("F1") if isinstance(x.get("F1"), str) else None))
    read_crisis = [d for d in screened if d.crisis]
    read_safety = [d for d in screened if not d.crisis]
    if read_crisis:
        said = {"phrases": quoted(read_crisis), "kinds": describe(read_crisis)}
        crisis_reasons.append(_reason("CRISIS_DISCLOSURE", ["F1"], **said))
    crisis = bool(crisis_reasons)
    # Suicidal words in the free text weigh as much as the same answer to C1.
    urgent_crisis = any(x.yes(c) for c in th.URGENT_CRISIS_ITEMS) or bool(read_crisis)
    only_past_attempt = [r.code for r in crisis_reasons] == ["CRISIS_PAST_ATTEMPT"]
    variant = DANGER_NOW if x.yes("C3") else PAST_ATTEMPT if only_past_attempt else None

    # 2. safety gate
    hits = _safety_hits(x, screened)
    disclosures = tuple(dict.fromkeys(d.phrase for d in screened))
    safety = bool(hits)
    stop_harm = x.yes("U1")  # "yes, at other times": self-defense is a safety hit instead
    red_flag = any(x.yes(r) for r in th.RED_FLAG_ITEMS)

    # 3. score
    cci_total, cci_max, _shown = _cci(x)
    band = _band(cci_total, cci_max)
    urgency_reasons = _urgency(x, band, kids)
    urgency = len(urgency_reasons)
    impaired = x.yes("I2") or x.get("I1") == th.PERSONAL_IMPAIRMENT_I1
    perinatal_mood = _perinatal_mood(x)
    scored = any(x.get(i) is not None for i in _shown) and not (not_private or youth)

    if crisis:
        outcome = E_CRISIS
    elif safety or stop_harm:
        outcome = D_SAFETY
    elif band == "high" or urgency >= th.URGENCY_FOR_C_NOW or impaired:
        outcome = C_NOW
    elif band == "moderate" or urgency >= th.URGENCY_FOR_B_LIKELY:
        outcome = B_LIKELY
    else:
        outcome = A_SELFHELP
    # Perinatal low mood alone is reason enough for counseling, with support for the parent.
    mood_only = perinatal_mood and outcome == A_SELFHELP
    if mood_only:
        outcome = B_LIKELY
    gated = outcome in (D_SAFETY, E_CRISIS)
    urgent = (outcome == E_CRISIS and urgent_crisis) or (outcome == D_SAFETY and red_flag)

    # add-ons
    addons: list[str] = []
    addon_reasons: list[Reason] = []
    if x.yes("G0.3"):
        addons.append(PERINATAL)
        addon_reasons.append(_reason("ADDON_PERINATAL", ["G0.3"]))
    if x.yes("I3"):
        addons.append(SUBSTANCE)
        addon_reasons.append(_reason("ADDON_SUBSTANCE", ["I3"]))
    if kids and x.score("D5") >= th.CHILD_FOCUS_D5_MIN:
        addons.append(CHILD_FOCUS)
        addon_reasons.append(_reason("ADDON_CHILD_FOCUS", ["D5"]))

    # 4. track
    extra_tracks: tuple[str, ...] = ()
    parallel = False
    track_reasons: list[Reason] = []
    if gated:
        track = T_INDIV
        parallel = outcome == D_SAFETY and rel == "coparent_ex"
    elif mood_only:
        track = T_INDIV
    else:
        track, track_reasons, parallel = _track(x, band)
    if (impaired or perinatal_mood) and track != T_INDIV:
        extra_tracks = (T_INDIV,)

    # reasons, in reading order
    reasons: list[Reason] = []
    if not_private:
        reasons.append(_reason("NOT_PRIVATE", ["G0.5"]))
    if youth:
        reasons.append(_reason("YOUTH", ["G0.6"]))
    reasons += crisis_reasons
    if x.yes("C4"):
        reasons.append(_reason("OTHER_SUICIDE_THREAT", ["C4"]))
    if perinatal_mood:
        reasons.append(_reason("PERINATAL_MOOD", ["C5", *th.PERINATAL_MOOD_ITEMS]))
    for code, items in hits:
        reasons.append(
            _reason(code, items, phrases=quoted(read_safety), kinds=describe(read_safety))
        )
    if stop_harm:
        reasons.append(_reason("STOP_HARM", ["U1"]))
    if gated and (safety or stop_harm):
        fired = [i for _code, items in hits for i in items] + (["U1"] if stop_harm else [])
        reasons.append(_reason(SAFETY_EXPLAINER, fired))
    if not gated and scored:
        band_code = {"high": "BAND_HIGH", "moderate": "BAND_MODERATE", "low": "BAND_LOW"}[band]
        if band_code == "BAND_LOW" and outcome != A_SELFHELP:
            band_code = "BAND_LOW_OTHER"  # the result rests on the other reasons
        reasons.append(_reason(band_code, list(_shown), cci_total=cci_total, cci_max=cci_max))
    if not gated and not (not_private or youth):
        reasons += urgency_reasons
        reasons += track_reasons
    if impaired:
        reasons.append(_reason("PERSONAL_SUPPORT", ["I1", "I2"]))
    reasons += addon_reasons
    if x.yes("I5"):
        reasons.append(_reason("PRACTICAL_FALLOUT", ["I5"]))

    # help kinds
    helps: list[HelpKind] = []
    if not_private:
        helps.append(_help("HK_NOT_PRIVATE"))
    if youth:
        helps.append(_help("HK_YOUTH"))
    if outcome == E_CRISIS:
        if x.yes("C3"):
            helps.append(_help("HK_DANGER"))
        if any(x.yes(c) for c in ("C1", "C2", "C6", "C7")):
            helps.append(_help("HK_CRISIS"))
        if safety:
            helps.append(_help("HK_ADVOCATE"))
    elif outcome == D_SAFETY:
        if safety:
            helps += [_help("HK_ADVOCATE"), _help("HK_INDIV_TRAUMA"), _help("HK_SAFETY_PLAN")]
        if stop_harm:
            helps.append(_help("HK_STOP_HARM"))
        if parallel:
            helps.append(_help("HK_LOW_CONTACT"))
        if x.chosen("G0.4") and x.chosen("G0.4") != ["none"]:
            helps.append(_help("HK_LEGAL"))
    else:
        if outcome == A_SELFHELP:
            low, high = th.RECHECK_WEEKS
            helps.append(_help("HK_SELFHELP_FIRST", recheck_low=low, recheck_high=high))
        helps.append(_help(_track_help(x, track)))
        if parallel:
            helps.append(_help("HK_PARALLEL"))
    if impaired:
        helps.append(_help("HK_PERSONAL"))
    if perinatal_mood:
        helps.append(_help("HK_PERINATAL_MOOD"))
    if x.yes("I5"):
        helps.append(_help("HK_PRACTICAL"))
    for addon, code in (
        (PERINATAL, "HK_PERINATAL"),
        (SUBSTANCE, "HK_SUBSTANCE"),
        (CHILD_FOCUS, "HK_CHILD_FOCUS"),
    ):
        if addon in addons:
            helps.append(_help(code))

    # directory
    practical = _practical_filters(x)
    joint: dict[str, tuple[str, ...]] = {"sees": JOINT_SEES, "modality": joint_modalities()}
    on_request: dict[str, Any] = {}
    if not_private or youth:
        mode, filters, excluded = "none", {}, joint if gated else {}
    elif outcome == E_CRISIS:
        mode, filters, excluded = "on_request", {}, joint
        on_request = _without_joint(
            {"sees": ["individuals"], "specialty": ["crisis-support"], **practical}, joint
        )
    elif outcome == D_SAFETY:
        # An accountability program is offered in the text, never preset as a filter.
        specialty: list[str] = ["domestic-violence", "trauma"] if safety else ["domestic-violence"]
        filters = _with_addons({"sees": ["individuals"], "specialty": specialty}, addons)
        mode, excluded = "show", joint
        filters = _without_joint({**filters, **practical}, joint)
    else:
        if mood_only:
            filters = _with_addons({"sees": ["individuals"]}, addons)
        else:
            filters = _with_addons(_track_filters(x, track), addons)
        filters.update(practical)
        mode = "collapsed" if outcome == A_SELFHELP else "show"
        excluded = (
            {"sees": ("couples",), "modality": COUPLES_MODALITIES} if track == T_COPARENT else {}
        )
        filters = _without_joint(filters, excluded)

    short = not_private or youth
    selfhelp = (
        _selfhelp(x, track, gates_fired=gated or safety or crisis or stop_harm)
        if outcome in (A_SELFHELP, B_LIKELY) and not short
        else []
    )
    label = messages()["outcome_variants"][variant] if variant else messages()["outcomes"][outcome]
    return Assessment(
        outcome=outcome,
        label=with_lines(label["label"]),
        message=with_lines(label["message"]),
        urgent=urgent,
        track=track,
        extra_tracks=extra_tracks,
        addons=tuple(a for a in ADDONS if a in addons),
        subroute=SUBROUTE_STOP_HARM if outcome == D_SAFETY and stop_harm else None,
        not_private=not_private,
        youth=youth,
        crisis=crisis,
        safety=safety,
        reasons=tuple(reasons),
        selfhelp=tuple(selfhelp),
        recheck_weeks=th.RECHECK_WEEKS if outcome == A_SELFHELP and not short else None,
        parallel_parenting=parallel,
        help_kinds=tuple(helps),
        resources=_resources(
            x,
            outcome,
            not_private=not_private,
            youth=youth,
            safety=safety,
            urgent=urgent,
            suicidal_text=bool(read_crisis),
        ),
        directory_mode=mode,
        directory_filters=filters,
        on_request_filters=on_request,
        excluded=excluded,
        band=band if scored else None,
        cci_total=cci_total,
        cci_max=cci_max,
        urgency=urgency,
        disclosures=disclosures,
        variant=variant,
        screened=screened,
    )


def _track_help(x: _Answers, track: str) -> str:
    if track == T_COUPLES:
        return "HK_COUPLES"
    if track == T_DISCERN:
        return "HK_DISCERN"
    if track == T_COPARENT:
        return "HK_COPARENT"
    if track == T_FAMILY:
        return "HK_FAMILY"
    if x.get("G0.1") == "coparent_ex" and x.get("E4") == "absent":
        return "HK_SUPPORT_NETWORK"
    if x.get("G0.1") in FAMILY:
        return "HK_INDIV_ESTRANGEMENT"
    e1, e2 = x.get("E1"), x.get("E2")
    if e1 and e2 and e1 != e2 and e2 not in ("left", "end") and x.get("E3") != "no":
        return "HK_DECISION"
    return "HK_INDIV_RELATIONSHIP"
