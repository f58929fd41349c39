"""Why a listing fits the filters a person chose, in words, for its result card. The words
are the registry's (``Filter.fits``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.directory import registry
from portal.directory.filters import DirectoryQuery
from portal.directory.geo import telehealth_reach
from portal.directory.ranking import FIT_FACETS, related
from portal.directory.taxonomy import Taxonomy, in_sentence
from portal.i18n.text import N_, Lower, Text
from portal.models import Listing

if TYPE_CHECKING:
    from portal.directory.rows import ListingRow

Reasons = Callable[["Listing | ListingRow"], list[str]]


def _fit_order(entry: registry.Filter) -> int:
    return FIT_FACETS.index(entry.name) if entry.name in FIT_FACETS else len(FIT_FACETS)


_FACETS = tuple(sorted((f for f in registry.FACETS if f.column), key=_fit_order))
"""The facets a listing is said to fit by, most important first (directory.ranking)."""
_MODALITY = registry.BY_NAME["modality"]
_CHOICES = tuple(f for f in registry.FILTERS if f.kind == registry.CHOICE and f.fits)
_FLAGS = tuple(f for f in registry.FLAGS if f.fits)


def _facet_words(entry: registry.Filter, labels: list[str]) -> list[str]:
    """Each reason a :class:`Text`, so a page translates the words and each label."""
    if "{labels}" in entry.fits:
        words = [Lower(label) if entry.lower else label for label in labels]
        listed = {f"w{i}": word for i, word in enumerate(words)}
        joined = Text(", ".join("{" + name + "}" for name in listed), listed)
        return [Text(entry.fits, labels=joined)]
    return [_in_sentence(label) for label in labels]


def _in_sentence(label: str) -> str:
    return label if in_sentence(label) == label else Lower(label)


def _joined(words: list[str], last: str) -> str:
    """ "a, b or c" (``last`` joins the last two), each word translated on its own."""
    if len(words) <= 1:
        return "".join(words)
    listed = {f"w{i}": word for i, word in enumerate(words[:-1])}
    first = Text(", ".join("{" + name + "}" for name in listed), listed)
    return Text(last, first=first, last=words[-1])


def _values(listing: Any, column: str) -> list[str]:
    value = getattr(listing, column)
    return [value] if isinstance(value, str) else value


def reach_words(query: DirectoryQuery, taxonomy: Taxonomy) -> Callable[[Any], str]:
    """How a listing beyond the radius is within reach: "video, licensed in TX" (or in
    both homes' states), from the formats it offers of those wanted."""
    reach = telehealth_reach(query.format, query.states, two_homes=query.origin2 is not None)

    def words(listing: Any) -> str:
        if reach is None:
            return ""
        formats = [f for f in listing.formats if f in reach.formats]
        how = _joined(
            [Lower(label) for label in taxonomy.labels("format", formats)], N_("{first} or {last}")
        )
        states = _joined(list(reach.states), N_("{first} and {last}"))
        return Text(N_("{how}, licensed in {states}"), how=how, states=states)

    return words


def fit_reasons(
    listing: Listing | ListingRow, query: DirectoryQuery, taxonomy: Taxonomy
) -> list[str]:
    return fit_reasoner(query, taxonomy)(listing)


def fit_columns(query: DirectoryQuery) -> frozenset[str]:
    """The listing columns ``fit_reasoner(query, ...)`` reads: a page reads these with its
    cards (tests/unit/test_directory_matching.py holds the two together)."""
    names = {f.column for f in (*_FACETS, *_CHOICES) if getattr(query, f.name)}
    if related(query):
        names.add(_MODALITY.column)
    for flag in _FLAGS:
        if getattr(query, flag.name):
            names.update(flag.columns)
            if flag.amount:
                names.add(flag.amount)
    return frozenset(names)


def fit_reasoner(query: DirectoryQuery, taxonomy: Taxonomy) -> Reasons:
    """``fit_reasons`` for one query, with what depends only on the query worked out once
    (a page asks it for twenty listings). Every reason is read from the listing's own
    values, never assumed from the query having found it."""
    facets = [(f, getattr(query, f.name)) for f in _FACETS if getattr(query, f.name)]
    approaches = related(query)
    if approaches:  # the approaches made for the specialties asked for, after them
        at = 1 + next((n for n, (entry, _) in enumerate(facets) if entry is _MODALITY), 0)
        facets.insert(at, (_MODALITY, approaches))
    choices = [(f, getattr(query, f.name)) for f in _CHOICES if getattr(query, f.name)]
    flags = [f for f in _FLAGS if getattr(query, f.name)]

    def reasons(listing: Any) -> list[str]:
        out: list[str] = []
        for entry, wanted in facets:
            # In the listing's own order: its owner put first what they do most.
            have = [slug for slug in _values(listing, entry.column) if slug in wanted]
            if have:
                out += _facet_words(entry, taxonomy.labels(entry.facet, have))
        for entry, value in choices:
            if value in _values(listing, entry.column):
                out.append(Text(entry.fits, labels=value))
        for flag in flags:
            if any(getattr(listing, column) for column in flag.columns):
                amount = getattr(listing, flag.amount) if flag.amount else None
                said = Text(flag.fits)
                if amount:
                    said = Text(N_("{fits} from ${amount}"), fits=said, amount=amount)
                out.append(said)
        return out

    return reasons
