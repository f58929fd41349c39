"""Why a listing fits the filters a person chose, in words, for its result card. The words
are the registry's (``Filter.fits``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.directory import registry
from portal.directory.filters import DirectoryQuery
from portal.directory.taxonomy import Taxonomy
from portal.i18n.text import N_, Lower, Text
from portal.models import Listing

if TYPE_CHECKING:
    from portal.directory.rows import ListingRow

Reasons = Callable[["Listing | ListingRow"], list[str]]

_FACETS = tuple(f for f in registry.FACETS if f.column)
_CHOICES = tuple(f for f in registry.FILTERS if f.kind == registry.CHOICE and f.fits)
_FLAGS = tuple(f for f in registry.FLAGS if f.fits)


def _facet_words(entry: registry.Filter, labels: list[str]) -> list[str]:
    """Each reason a :class:`Text`, so a page translates the words and each label."""
    if "{labels}" in entry.fits:
        words = [Lower(label) if entry.lower else label for label in labels]
        listed = {f"w{i}": word for i, word in enumerate(words)}
        joined = Text(", ".join("{" + name + "}" for name in listed), listed)
        return [Text(entry.fits, labels=joined)]
    return [Lower(label) for label in labels]


def _values(listing: Any, column: str) -> list[str]:
    value = getattr(listing, column)
    return [value] if isinstance(value, str) else value


def fit_reasons(
    listing: Listing | ListingRow, query: DirectoryQuery, taxonomy: Taxonomy
) -> list[str]:
    return fit_reasoner(query, taxonomy)(listing)


def fit_columns(query: DirectoryQuery) -> frozenset[str]:
    """The listing columns ``fit_reasoner(query, ...)`` reads: a page reads these with its
    cards (tests/unit/test_directory_matching.py holds the two together)."""
    names = {f.column for f in (*_FACETS, *_CHOICES) if getattr(query, f.name)}
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
    choices = [(f, getattr(query, f.name)) for f in _CHOICES if getattr(query, f.name)]
    flags = [f for f in _FLAGS if getattr(query, f.name)]

    def reasons(listing: Any) -> list[str]:
        out: list[str] = []
        for entry, wanted in facets:
            values = _values(listing, entry.column)
            have = [slug for slug in wanted if slug in values]
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
