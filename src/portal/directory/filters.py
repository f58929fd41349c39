"""Turn query-string parameters into a validated ``DirectoryQuery``.

Parsing never raises on user input. Each rejected value becomes a friendly message keyed by
its parameter, the rest of the query still applies, and the raw values are kept so that the
form can show exactly what the person typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urlencode

from portal.directory import registry
from portal.directory.geo import SORT_RADIUS_MAX, US_STATES, Locate, zip_point
from portal.directory.registry import (
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS,
    MAX_FEE_LIMIT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RADIUS,
    MIN_RADIUS,
    SORTS,
)
from portal.directory.search import problem as search_problem
from portal.directory.taxonomy import Taxonomy
from portal.i18n.text import N_, Text

MULTI_FACETS = tuple(f.name for f in registry.FACETS)
FLAGS = tuple(f.name for f in registry.FLAGS)
KNOWN_PARAMS = frozenset(registry.BY_NAME)

_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"0", "false", "off", "no", ""}
_ZIP = re.compile(r"^\d{5}$")
_CURSOR = re.compile(r"^[0-9][0-9.-]{0,60}$")


def _with_flags(cls: type) -> type:
    """One ``bool`` field, False unless asked for, per yes/no filter of the registry."""
    for name in FLAGS:
        cls.__annotations__[name] = "bool"
        setattr(cls, name, False)
    return cls


@dataclass(frozen=True)
@_with_flags
class DirectoryQuery:
    q: str = ""
    zip: str | None = None
    radius: int = DEFAULT_RADIUS
    sees: tuple[str, ...] = ()
    specialty: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    licence: tuple[str, ...] = ()
    format: tuple[str, ...] = ()
    insurance: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    state: str | None = None
    max_fee: int | None = None
    # ... and a bool per yes/no filter (registry.FLAGS): sliding_scale, accepting, ...
    gender: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # Where the page starts in a long list: a position written by the previous page
    # (directory.query's keyset cursor); `page` then only numbers the page.
    after: str = ""
    # Listings with any of these approaches are left out. Never a parameter of its own: only
    # the readiness preset sets it (directory.preset), from a safety or crisis result.
    exclude_modality: tuple[str, ...] = ()
    # Resolved from `zip`; not a parameter of its own.
    origin: tuple[float, float] | None = field(default=None, compare=False)
    # A second home (two-party search, directory.geo.Reach): the other person's ZIP code.
    zip2: str | None = None
    origin2: tuple[float, float] | None = field(default=None, compare=False)
    # The states of `zip` and `zip2`, for telehealth reach.
    states: tuple[str, ...] = field(default=(), compare=False)
    # What "Best match" ranks by when the filters were widened past it (directory.preset):
    # the person's own preferences still put those who meet them first. Not a parameter.
    fit_to: DirectoryQuery | None = field(default=None, compare=False)

    def is_filtered(self) -> bool:
        return self.to_params(include_paging=False) != {}

    def flags_on(self) -> frozenset[str]:
        """The yes/no filters asked for, by name."""
        return frozenset(name for name in FLAGS if getattr(self, name))

    def to_params(self, *, include_paging: bool = True) -> dict[str, list[str]]:
        """The canonical query string, as repeated parameters; defaults are left out."""
        params: dict[str, list[str]] = {}
        if self.q:
            params["q"] = [self.q]
        if self.zip:
            params["zip"] = [self.zip]
            if self.zip2:
                params["zip2"] = [self.zip2]
            if self.radius != DEFAULT_RADIUS:
                params["radius"] = [str(self.radius)]
        for name in MULTI_FACETS:
            values = getattr(self, name)
            if values:
                params[name] = list(values)
        if self.state:
            params["state"] = [self.state]
        if self.max_fee is not None:
            params["max_fee"] = [str(self.max_fee)]
        for name in FLAGS:
            if getattr(self, name):
                params[name] = ["1"]
        if self.gender:
            params["gender"] = [self.gender]
        if include_paging:
            if self.sort != "relevance":
                params["sort"] = [self.sort]
            if self.page != 1:
                params["page"] = [str(self.page)]
            if self.per_page != DEFAULT_PER_PAGE:
                params["per_page"] = [str(self.per_page)]
            if self.after:
                params["after"] = [self.after]
        return params

    def query_string(self, **overrides: object) -> str:
        query = replace(self, **overrides) if overrides else self
        return urlencode(query.to_params(), doseq=True)

    def without(self, name: str) -> DirectoryQuery:
        """The same query with one filter cleared (used to suggest what to relax)."""
        default = next(f.default for f in fields(DirectoryQuery) if f.name == name)
        changes: dict[str, object] = {name: default, "page": 1, "after": ""}
        if name == "zip2":
            changes |= {"origin2": None, "states": self.states[:1]}
        if name == "zip":
            changes |= {"origin": None, "zip2": None, "origin2": None, "states": ()}
            if self.sort == "distance":
                changes["sort"] = "relevance"
        return replace(self, **changes)


@dataclass(frozen=True)
class ParsedQuery:
    query: DirectoryQuery
    errors: dict[str, str]
    raw: dict[str, list[str]]
    unknown: tuple[str, ...] = ()

    def raw_value(self, name: str) -> str:
        values = self.raw.get(name) or [""]
        return values[0]


def _first(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    return values[0].strip()


def _int(
    value: str, low: int, high: int, message: str, errors: dict[str, str], name: str
) -> int | None:
    try:
        number = int(value)
    except ValueError:
        errors[name] = message
        return None
    if not low <= number <= high:
        errors[name] = message
        return None
    return number


def parse_query(
    params: Mapping[str, Sequence[str]], taxonomy: Taxonomy, locate: Locate = zip_point
) -> ParsedQuery:
    """The query in ``params``, with a message for each value that cannot be used. ``locate``
    finds a ZIP code's centre (the server reads it from its database)."""
    errors: dict[str, str] = {}
    raw = {k: [str(v) for v in vs] for k, vs in params.items()}
    values: dict[str, object] = {}

    q = (_first(params, "q") or "").replace("\x00", "")
    if len(q) > MAX_QUERY_CHARS:
        errors["q"] = Text(
            N_("Search text can be at most {max} characters; yours has {n}. Try a few key words."),
            max=MAX_QUERY_CHARS,
            n=len(q),
        )
    elif (problem := search_problem(q)) is not None:
        errors["q"] = problem
    else:
        values["q"] = " ".join(q.split())

    zip_code = _first(params, "zip")
    if zip_code:
        point = locate(zip_code) if _ZIP.match(zip_code) else None
        if point is None:
            errors["zip"] = N_(
                "We could not find that ZIP code. Enter a 5-digit US ZIP code, such as 60614."
            )
        else:
            values["zip"] = zip_code
            values["origin"] = (point.lat, point.lon)
            values["states"] = (point.state,)

    zip2 = _first(params, "zip2")
    if zip2:
        point = locate(zip2) if _ZIP.match(zip2) else None
        if point is None:
            errors["zip2"] = N_(
                "We could not find the other ZIP code. Enter a 5-digit US ZIP code, such as "
                "60614, or leave it empty."
            )
        elif not zip_code:
            errors["zip2"] = N_("Enter your own ZIP code too: the search needs both.")
        elif "origin" in values:
            values["zip2"] = zip2
            values["origin2"] = (point.lat, point.lon)
            values["states"] = (*values["states"], point.state)  # type: ignore[misc]

    radius = _first(params, "radius")
    if radius:
        number = _int(
            radius,
            MIN_RADIUS,
            MAX_RADIUS,
            Text(
                N_("Distance must be a whole number of miles from {low} to {high}."),
                low=MIN_RADIUS,
                high=MAX_RADIUS,
            ),
            errors,
            "radius",
        )
        if number is not None:
            values["radius"] = number

    for entry in registry.FACETS:
        name = entry.name
        known = taxonomy.slugs(entry.facet)
        chosen: list[str] = []
        for value in params.get(name, []):
            value = value.strip()
            if not value:
                continue
            if value not in known:
                errors[name] = Text(
                    N_("“{value}” is not one of the choices for this filter."), value=value[:40]
                )
            elif value not in chosen:
                chosen.append(value)
        if chosen:
            values[name] = tuple(chosen)

    state = _first(params, "state")
    if state:
        if state.upper() in US_STATES:
            values["state"] = state.upper()
        else:
            errors["state"] = N_("Choose a US state by its two-letter code, such as IL.")

    max_fee = _first(params, "max_fee")
    if max_fee:
        number = _int(
            max_fee,
            0,
            MAX_FEE_LIMIT,
            Text(
                N_("Maximum fee must be a whole number of dollars from 0 to {max}."),
                max=MAX_FEE_LIMIT,
            ),
            errors,
            "max_fee",
        )
        if number is not None:
            values["max_fee"] = number

    for name in FLAGS:
        flag = _first(params, name)
        if flag is None:
            continue
        if flag.lower() in _TRUE:
            values[name] = True
        elif flag.lower() not in _FALSE:
            errors[name] = N_("This option is either on or off.")

    gender = _first(params, "gender")
    if gender:
        if gender in taxonomy.slugs("gender"):
            values["gender"] = gender
        else:
            errors["gender"] = N_("Choose one of the listed genders, or any.")

    sort = _first(params, "sort")
    if sort:
        if sort not in SORTS:
            errors["sort"] = N_("Choose one of the listed ways to sort.")
        elif sort == "distance" and "origin" not in values:
            if "zip" not in errors:  # else the ZIP code's own message says what to fix
                errors["sort"] = N_("Sorting by distance needs a ZIP code.")
        elif sort == "distance" and int(values.get("radius", DEFAULT_RADIUS)) > SORT_RADIUS_MAX:  # type: ignore[call-overload]
            errors["sort"] = Text(
                N_(
                    "Sorting by distance works within {miles} miles. Choose a shorter distance, "
                    "or another order."
                ),
                miles=SORT_RADIUS_MAX,
            )
        else:
            values["sort"] = sort

    page = _first(params, "page")
    if page:
        number = _int(
            page,
            1,
            MAX_PAGE,
            Text(N_("Page must be a number from 1 to {max}."), max=MAX_PAGE),
            errors,
            "page",
        )
        if number is not None:
            values["page"] = number

    per_page = _first(params, "per_page")
    if per_page:
        number = _int(
            per_page,
            1,
            MAX_PER_PAGE,
            Text(N_("Results per page must be from 1 to {max}."), max=MAX_PER_PAGE),
            errors,
            "per_page",
        )
        if number is not None:
            values["per_page"] = number

    after = _first(params, "after")
    if after and _CURSOR.match(after):
        values["after"] = after  # a stale or foreign cursor is ignored, never an error

    unknown = tuple(sorted(k for k in params if k not in KNOWN_PARAMS and not k.startswith("_")))
    return ParsedQuery(DirectoryQuery(**values), errors, raw, unknown)  # type: ignore[arg-type]
