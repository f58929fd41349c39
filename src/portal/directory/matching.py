"""Why a listing fits the filters a person chose, in words, for its result card. The words
are the registry's (``Filter.fits``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from portal.directory import ranking, registry
from portal.directory.filters import DirectoryQuery
from portal.directory.geo import REMOTE_FORMATS, telehealth_reach
from portal.directory.ranking import FIT_FACETS, related
from portal.directory.taxonomy import Taxonomy, in_sentence, said_label
from portal.i18n import DEFAULT, N_, translations
from portal.models import Listing

if TYPE_CHECKING:
    from portal.directory.rows import ListingRow

Reasons = Callable[["Listing | ListingRow"], list[str]]


class FitReasons(Protocol):
    def __call__(self, listing: Listing | ListingRow, /, *, remote_only: bool = False) -> list[str]:
        """``remote_only``: the listing is within reach only by video or phone (its office is
        beyond the radius), so meeting in person is no reason it fits."""
        ...


def _fit_order(entry: registry.Filter) -> int:
    return FIT_FACETS.index(entry.name) if entry.name in FIT_FACETS else len(FIT_FACETS)


_FACETS = tuple(sorted((f for f in registry.FACETS if f.column), key=_fit_order))
"""The facets a listing is said to fit by, most important first (directory.ranking)."""
_MODALITY = registry.BY_NAME["modality"]
_CHOICES = tuple(f for f in registry.FILTERS if f.kind == registry.CHOICE and f.fits)
_FLAGS = tuple(f for f in registry.FLAGS if f.fits)


def _lowered(text: str) -> str:
    return text[:1].lower() + text[1:]


def _joined(words: list[str], last: str) -> str:
    """ "a, b or c" (``last``, translated, joins the last two)."""
    if len(words) <= 1:
        return "".join(words)
    return last.format(first=", ".join(words[:-1]), last=words[-1])


def _values(listing: Any, column: str) -> list[str]:
    value = getattr(listing, column)
    return [value] if isinstance(value, str) else value


def reach_words(
    query: DirectoryQuery, taxonomy: Taxonomy, locale: str = DEFAULT
) -> Callable[[Any], str]:
    """How a listing beyond the radius is within reach: "video, licensed in TX" (or in
    both homes' states), from the formats it offers of those wanted, in ``locale``."""
    translate = translations(locale).gettext
    reach = telehealth_reach(query.format, query.states, two_homes=query.origin2 is not None)
    if reach is None:
        return lambda listing: ""
    said = {f: _lowered(translate(taxonomy.label("format", f))) for f in reach.formats}
    how_or = translate(N_("{first} or {last}"))
    states = _joined(list(reach.states), translate(N_("{first} and {last}")))
    template = translate(N_("{how}, licensed in {states}"))

    def words(listing: Any) -> str:
        how = _joined([said[f] for f in listing.formats if f in said], how_or)
        return template.format(how=how, states=states)

    return words


def fit_reasons(
    listing: Listing | ListingRow, query: DirectoryQuery, taxonomy: Taxonomy
) -> list[str]:
    return fit_reasoner(query, taxonomy)(listing)


def fit_columns(query: DirectoryQuery) -> frozenset[str]:
    """The listing columns ``fit_reasoner(query, ...)`` and ``miss_reasoner`` read (both
    read the wishes, ``ranking.wanted``): a page reads these with its cards
    (tests/unit/test_directory_matching.py holds them together)."""
    query = ranking.wanted(query)
    names = {f.column for f in (*_FACETS, *_CHOICES) if getattr(query, f.name)}
    if related(query):
        names.add(_MODALITY.column)
    for flag in _FLAGS:
        if getattr(query, flag.name):
            names.update(flag.columns)
            if flag.amount:
                names.add(flag.amount)
    return frozenset(names)


def _words(
    entry: registry.Filter, wanted: tuple[str, ...], taxonomy: Taxonomy, locale: str
) -> dict[str, str]:
    """Each wanted value of a facet as said inside a sentence, in ``locale``."""
    labels = {slug: said_label(taxonomy, entry.facet, slug, locale) for slug in wanted}
    if "{labels}" in entry.fits:
        return {k: _lowered(v) for k, v in labels.items()} if entry.lower else labels
    words = {}
    for slug in wanted:  # a name keeps its capitals ("Gottman Method")
        label = taxonomy.label(entry.facet, slug)
        plain = in_sentence(label) != label
        words[slug] = _lowered(labels[slug]) if plain else labels[slug]
    return words


def fit_reasoner(query: DirectoryQuery, taxonomy: Taxonomy, locale: str = DEFAULT) -> FitReasons:
    """``fit_reasons`` for one query, in ``locale``. The words depend only on the query and
    are worked out once (a page asks for twenty listings); which of them a listing gets is
    read from its own values, never assumed from the query having found it."""
    query = ranking.wanted(query)
    translate = translations(locale).gettext
    facets: list[tuple[registry.Filter, tuple[str, ...]]] = [
        (f, getattr(query, f.name)) for f in _FACETS if getattr(query, f.name)
    ]
    approaches = related(query)
    if approaches:  # the approaches made for the specialties asked for, after them
        at = 1 + next((n for n, (entry, _) in enumerate(facets) if entry is _MODALITY), 0)
        facets.insert(at, (_MODALITY, approaches))
    # Per facet: its column, each wanted value's words, and the sentence they go in (or None:
    # each label is a reason of its own).
    said: list[tuple[str, dict[str, str], str | None]] = []
    for entry, wanted in facets:
        words = _words(entry, wanted, taxonomy, locale)
        sentence = translate(entry.fits) if "{labels}" in entry.fits else None
        said.append((entry.column, words, sentence))
    choices = [
        (f.column, value, translate(f.fits).format(labels=value))
        for f in _CHOICES
        if (value := getattr(query, f.name))
    ]
    flags = [(f, translate(f.fits)) for f in _FLAGS if getattr(query, f.name)]
    with_amount = translate(N_("{fits} from ${amount}"))

    def reasons(listing: Any, /, *, remote_only: bool = False) -> list[str]:
        out: list[str] = []
        for column, words, sentence in said:
            # In the listing's own order: its owner put first what they do most.
            have = [
                words[slug]
                for slug in _values(listing, column)
                if slug in words
                and not (remote_only and column == "formats" and slug not in REMOTE_FORMATS)
            ]
            if not have:
                continue
            if sentence is None:
                out += have
            else:
                out.append(sentence.format(labels=", ".join(have)))
        for column, value, words in choices:
            if value in _values(listing, column):
                out.append(words)
        for flag, words in flags:
            if any(getattr(listing, column) for column in flag.columns):
                amount = getattr(listing, flag.amount) if flag.amount else None
                out.append(with_amount.format(fits=words, amount=amount) if amount else words)
        return out

    return reasons


def miss_reasoner(query: DirectoryQuery, taxonomy: Taxonomy, locale: str = DEFAULT) -> Reasons:
    """What a listing lacks of the wishes a list was widened from (a preset that found too
    few let go of them, ``query.fit_to``), in ``locale``: "sliding scale", "co-parenting or
    high-conflict". Nothing for a list that was not widened."""
    wished = query.fit_to
    if wished is None:
        return lambda listing: []
    translate = translations(locale).gettext
    either = translate(N_("{first} or {last}"))
    facets: list[tuple[str, frozenset[str], str]] = []
    for entry in _FACETS:
        want = getattr(wished, entry.name)
        if not want or getattr(query, entry.name) == want:
            continue  # not wished, or still a filter: every listing has it
        words = list(_words(entry, want, taxonomy, locale).values())
        facets.append((entry.column, frozenset(want), _joined(words, either)))
    flags = [
        (f.columns, translate(f.fits))
        for f in _FLAGS
        if getattr(wished, f.name) and not getattr(query, f.name)
    ]

    def misses(listing: Any) -> list[str]:
        out = [
            words
            for column, want, words in facets
            if not want.intersection(_values(listing, column))
        ]
        out += [words for columns, words in flags if not any(getattr(listing, c) for c in columns)]
        return out

    return misses
