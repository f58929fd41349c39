"""The directory a readiness result opens ("See counselors who fit"), and the safety rule
a safety or crisis result puts on every listing.

The preset is built from what defines the kind of help (who they see, the specialty or
approach of the track, where, language when chosen) and then the person's preferences
(format, insurance, sliding scale, evenings). When it finds fewer than ``MIN_RESULTS`` it
widens, one step at a time and in this order: the radius, then telehealth licensed in the
person's state, then the preferences, least essential first, and last, unless a safety rule
applies, the specialties and then the approaches. Steps add up (two that find no one alone
may together), and the page says only those the list it shows needs; "Best match" still
ranks by the preferences as asked, so those who meet them all come first. Who they see, the
language, what a safety rule leaves out (listings that see people only together, approaches
that need both people in the room) and the safety practice the result asked for ("screens
each person individually") are never widened away; after a safety result neither are the
specialties it asked for; nor is anything the person set on the page by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import urlencode

from portal.directory.filters import (
    DEFAULT_RADIUS,
    DirectoryQuery,
    ParsedQuery,
    parse_query,
)
from portal.directory.geo import Locate
from portal.directory.taxonomy import Taxonomy, in_sentence
from portal.i18n.text import N_, Lower, Text
from portal.states import STATE_NAMES

MIN_RESULTS = 3
WIDER_RADII = (50, 100)
"""The radius steps, in miles, tried one after the other."""
PREFERENCES = ("evenings", "format", "insurance", "sliding_scale")
"""Preferences the preset may let go of, least essential first. Cost comes last: for many
people a sliding scale decides whether they can go at all."""
KIND_WIDENED = ("specialty", "modality")
"""Of the kind of help, what the preset may let go of last, never after a safety result: a
specialty (a pregnancy, say, adds one) before the approaches of the track."""
PAGING = ("sort", "page", "per_page", "after")
"""The only parameters a preset page's links carry besides the marker."""
MARKER = {"from": ["readiness"]}

CAUTION = N_("Not suggested for you right now")


class _Listing(Protocol):
    sees: Sequence[str]
    modalities: Sequence[str]


@dataclass(frozen=True)
class SafetyRule:
    """What a safety or crisis result rules out: seeing people only together, and the
    approaches that need both people in the room (the taxonomy's ``"joint": true``)."""

    joint_sees: frozenset[str]
    joint_modalities: frozenset[str]
    taxonomy: Taxonomy

    def caution(self, listing: _Listing) -> str | None:
        """The one-line reason a listing is not suggested, or None if it is fine."""
        sees = list(listing.sees)
        if sees and all(s in self.joint_sees for s in sees):
            labels = [Lower(label) for label in self.taxonomy.labels("sees", sees)]
            return Text(
                N_("Sees only {who} together, which is not safe after what you told us."),
                who=_and(labels),
            )
        joint = [m for m in listing.modalities if m in self.joint_modalities]
        if joint:
            labels = [_in_sentence(label) for label in self.taxonomy.labels("modality", joint)]
            return Text(
                N_(
                    "Offers {what}, with both people in the room, which is not safe after what "
                    "you told us."
                ),
                what=_and(labels),
            )
        return None

    def individual_sees(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.taxonomy.terms("sees") if t.slug not in self.joint_sees)

    def on(self, query: DirectoryQuery) -> DirectoryQuery:
        """``query`` without what the rule rules out, whoever ticked it: the result or the
        person on its page."""
        sees = tuple(s for s in query.sees if s not in self.joint_sees)
        return replace(
            query,
            sees=sees or self.individual_sees(),
            modality=tuple(m for m in query.modality if m not in self.joint_modalities),
            exclude_modality=tuple(sorted(self.joint_modalities)),
        )


TWO_HOMES_TRACKS = ("T_COPARENT", "T_COUPLES", "T_DISCERN")
"""Results whose two people may live apart: co-parents, and couples."""


def two_homes(outcome: str | None, track: str | None, filters: Mapping[str, Any] | None) -> bool:
    """Whether a result offers a search from two homes (the other person's ZIP code): for
    co-parents and couples, with the person's own ZIP code; never on a safety or crisis
    result, which suggests no joint sessions."""
    return (
        outcome not in ("D_SAFETY", "E_CRISIS")
        and track in TWO_HOMES_TRACKS
        and bool(filters and filters.get("zip"))
    )


def safety_rule(
    outcome: str | None, excluded: Mapping[str, Sequence[str]], taxonomy: Taxonomy
) -> SafetyRule | None:
    """The rule of a D_SAFETY or E_CRISIS result; None for any other result."""
    if outcome not in ("D_SAFETY", "E_CRISIS"):
        return None
    modalities = {t.slug for t in taxonomy.terms("modality") if t.joint}
    modalities |= set(excluded.get("modality", ()))
    return SafetyRule(
        joint_sees=frozenset(excluded.get("sees", ())),
        joint_modalities=frozenset(modalities),
        taxonomy=taxonomy,
    )


@dataclass(frozen=True)
class Preset:
    parsed: ParsedQuery  # the preset as first asked (with the page's sort and page)
    query: DirectoryQuery  # what the page shows: the preset, widened if it had to be
    widened: tuple[str, ...]  # one sentence for each step taken
    total: int  # how many the shown query finds


def preset_params(filters: Mapping[str, Any]) -> dict[str, list[str]]:
    """A readiness result's directory filters as query parameters (never put in a URL)."""
    params = {
        k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)]
        for k, v in filters.items()
    }
    params["accepting"] = ["1"]
    return params


def paging_params(params: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {k: [str(v) for v in params[k]] for k in PAGING if params.get(k)}


def neutral_query_string(query: DirectoryQuery) -> str:
    """The query string of a preset page: the marker, and the query's page and sort."""
    paging = {k: v for k, v in query.to_params().items() if k in PAGING}
    return urlencode({**MARKER, **paging}, doseq=True)


def is_marker_only(params: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``params`` are a preset link's (the marker, page, sort), not a submitted form."""
    return all(key in PAGING or key == "from" for key in params)


def changed_by_hand(
    preset: DirectoryQuery, submitted: DirectoryQuery
) -> dict[str, list[str]] | None:
    """The form of a preset page came back: the filters the person changed, as query
    parameters (an empty list for one cleared), or None when none changed. They are kept with
    the result (in the session, never in an address) on top of what was kept before, and the
    preset is built from them and the result's other filters: ticking a specialty keeps the
    result's distance and who the counselors see, and what the preset let go of to find enough
    is not taken as a choice. The safety rule still applies to what the person ticks."""
    shown, sent = _filters(preset), _filters(submitted)
    names = shown.keys() | sent.keys()
    changed = {k: sent.get(k, []) for k in names if shown.get(k, []) != sent.get(k, [])}
    return changed or None


def with_changes(
    params: Mapping[str, list[str]], by_hand: Mapping[str, list[str]] | None
) -> dict[str, list[str]]:
    """A result's filters (``preset_params``) with those the person set on its page
    (``changed_by_hand``) in their place; an empty list is a filter they cleared."""
    if by_hand is None:
        return dict(params)
    kept = {k: v for k, v in params.items() if k not in by_hand}
    return kept | {k: list(v) for k, v in by_hand.items() if v}


def _filters(query: DirectoryQuery) -> dict[str, list[str]]:
    """The filters of a query, each in a fixed order (a form lists them in its own)."""
    return {k: sorted(v) for k, v in query.to_params(include_paging=False).items()}


def build(
    filters: Mapping[str, Any],
    paging: Mapping[str, Sequence[str]],
    *,
    taxonomy: Taxonomy,
    locate: Locate,
    count: Callable[[DirectoryQuery], int],
    safety: SafetyRule | None,
    by_hand: Mapping[str, list[str]] | None = None,
) -> Preset:
    """The preset for a result's ``filters``, on the page ``paging`` asks for; ``count``
    says how many listings a query finds. ``by_hand``: the filters the person set on the
    preset page (``changed_by_hand``), in place of the result's."""
    params = with_changes(preset_params(filters), by_hand) | paging_params(paging)
    parsed = parse_query(params, taxonomy, locate)
    query = parsed.query
    if safety is not None:
        query = safety.on(query)
        parsed = ParsedQuery(query, parsed.errors, parsed.raw, parsed.unknown)
    total = count(_first_page(query))
    taken: list[_Step] = []
    wider_query = query
    for step in _steps(query, locate, safety, by_hand or ()):
        if total >= MIN_RESULTS:
            break
        wider, _ = step(wider_query)
        if wider is not None:  # kept even when it finds no more: with a later step it may
            wider_query, taken = wider, [*taken, step]
            total = count(_first_page(wider))
    # Say only the steps the list needs: each is taken back, the most essential preference
    # first, when the list finds as many without it.
    for step in reversed(list(taken)):
        fewer = [s for s in taken if s is not step]
        n = count(_first_page(_replay(query, fewer)[0]))
        if n >= total:
            taken, total = fewer, n
    shown, widened = _replay(query, taken)
    if taken:  # those who meet every wish still come first
        shown = replace(shown, fit_to=query)
    return Preset(parsed=parsed, query=shown, widened=widened, total=total)


def _first_page(query: DirectoryQuery) -> DirectoryQuery:
    return replace(query, page=1, after="")


def _replay(
    query: DirectoryQuery, steps: Sequence[_Step]
) -> tuple[DirectoryQuery, tuple[str, ...]]:
    """``query`` widened by ``steps`` in turn, and the sentence of each."""
    widened: list[str] = []
    for step in steps:
        wider, sentence = step(query)
        if wider is not None:
            query = _first_page(wider)
            widened.append(sentence)
    return query, tuple(widened)


_Step = Callable[[DirectoryQuery], tuple[DirectoryQuery | None, str]]


def _steps(
    start: DirectoryQuery,
    locate: Locate,
    safety: SafetyRule | None,
    by_hand: Collection[str] = (),
) -> list[_Step]:
    """The widening steps, in order; none lets go of a filter the person set by hand
    (``by_hand``): what they ticked or typed stays as they left it."""
    steps: list[_Step] = []
    if "radius" not in by_hand and "zip" not in by_hand:
        for miles in WIDER_RADII:
            steps.append(_radius(miles))
    if start.zip and start.origin is not None and "zip" not in by_hand:
        point = locate(start.zip)
        if point is not None:
            steps.append(_telehealth(point.state))
    for name in (*PREFERENCES, *(() if safety is not None else KIND_WIDENED)):
        if name not in by_hand:
            steps.append(_preference(name))
    return steps


def _radius(miles: int) -> _Step:
    def step(q: DirectoryQuery) -> tuple[DirectoryQuery | None, str]:
        if q.origin is None or q.radius >= miles:
            return None, ""
        return replace(q, radius=miles), Text(
            N_("We also included counselors up to {miles} miles away."), miles=miles
        )

    return step


def _telehealth(state: str) -> _Step:
    def step(q: DirectoryQuery) -> tuple[DirectoryQuery | None, str]:
        if q.origin is None:
            return None, ""
        wider = replace(
            q,
            zip=None,
            origin=None,
            zip2=None,
            origin2=None,
            states=(),
            radius=DEFAULT_RADIUS,
            state=state,
            sort="relevance" if q.sort == "distance" else q.sort,
        )
        name = STATE_NAMES.get(state, state)
        return wider, Text(
            N_(
                "Few counselors are close by, so we show counselors licensed to see people in "
                "{state} by video or phone, wherever their office is."
            ),
            state=name,
        )

    return step


_PREFERENCE_WORDS = {
    "evenings": N_("We also included counselors without evening or weekend hours."),
    "format": N_("We also included counselors without the format you chose."),
    "insurance": N_("We also included counselors without your insurance."),
    "sliding_scale": N_("We also included counselors without a sliding scale."),
    "specialty": N_("We also included counselors without the specialties we looked for."),
    "modality": N_("We also included counselors who use other approaches."),
}


def _preference(name: str) -> _Step:
    def step(q: DirectoryQuery) -> tuple[DirectoryQuery | None, str]:
        if not getattr(q, name):
            return None, ""
        wider = q.without(name)
        return wider, _PREFERENCE_WORDS[name]

    return step


def _and(words: Sequence[str]) -> str:
    """ "a, b and c", each word translated on its own."""
    words = list(words)
    if len(words) <= 1:
        return words[0] if words else ""  # as it is: a Lower or Text translates later
    listed = {f"w{i}": word for i, word in enumerate(words[:-1])}
    first = Text(", ".join("{" + name + "}" for name in listed), listed)
    return Text(N_("{first} and {last}"), first=first, last=words[-1])


def _in_sentence(label: str) -> str:
    """A label inside a sentence (taxonomy.in_sentence), translated before it is lowered."""
    return label if in_sentence(label) == label else Lower(label)
