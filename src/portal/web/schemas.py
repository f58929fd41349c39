"""The JSON API's response shapes, for the OpenAPI schema.

The handlers still build plain dicts; these ``TypedDict``s only describe them, so that the
published schema says exactly what a client gets (and tests/web/test_api_fuzz.py can hold every
response to it).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypedDict, TypeVar

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType
from litestar.params import Body, KwargDefinition, QueryParameter

from portal.directory import registry
from portal.directory.registry import MAX_QUERY_CHARS, Filter
from portal.directory.taxonomy import taxonomy
from portal.schema import ListingRecord

R = TypeVar("R")


class Office(TypedDict):
    city: str | None
    state: str | None
    zip: str | None


def _counselor_fields() -> dict[str, Any]:
    """A listing in the API: the fields of the one listing record (``schema.ListingRecord``),
    in its order, with the office as an object and the children's ages as a pair, and
    ``fictional``."""
    fields: dict[str, Any] = {}
    for name, field in ListingRecord.model_fields.items():
        if name == "children_age_min":
            fields["children_ages"] = list[int] | None
        elif name == "children_age_max":
            continue
        elif name == "office":
            fields["office"] = Office | None
        else:
            fields[name] = field.annotation
    fields["fictional"] = bool
    return fields


class Reports(TypedDict):
    """Anonymous reports of the last 30 days from people who tried to reach the counselor."""

    no_answer: int
    not_taking: int
    got_consult: int


AVAILABILITY_FIELDS: dict[str, Any] = {"availability_confirmed": str | None, "reports_30d": Reports}
"""Not fields of the record: the counselor's confirmation and the reports (availability.py)."""

API_RECORD_FIELDS: tuple[str, ...] = tuple(_counselor_fields())
_CounselorRequired = TypedDict(  # type: ignore[misc]
    "_CounselorRequired", {**_counselor_fields(), **AVAILABILITY_FIELDS}
)


class Counselor(_CounselorRequired, total=False):
    """One fictional listing. In a search from a ZIP code, ``distance_miles`` when its office
    is within the radius (of both homes with ``zip2``, and then ``distance2_miles`` from the
    second), or ``telehealth: true`` when it is within reach by video or phone instead:
    licensed in the ZIP code's state (in both homes' states with ``zip2``)."""

    distance_miles: float
    distance2_miles: float
    telehealth: bool


class CounselorPage(TypedDict):
    total: int
    page: int
    per_page: int
    items: list[Counselor]


class Error(TypedDict):
    status_code: int
    detail: str


class ParameterErrors(Error):
    """400: ``errors`` maps each parameter at fault to a message a person can read."""

    errors: dict[str, str]


class AnswerErrors(Error, total=False):
    """422: ``errors`` maps each item id at fault to a message; ``items`` lists those ids."""

    errors: dict[str, str]
    items: list[str]


class _OptionRequired(TypedDict):
    value: str | int
    label: str


class Option(_OptionRequired, total=False):
    show_if: dict[str, Any]
    """Offered only when this condition on earlier answers holds (as an item's ``show_if``)."""


class QuestionnaireItem(TypedDict):
    id: str
    type: str
    text: str
    help: str | None
    required: bool
    options: list[Option]
    show_if: dict[str, Any] | None
    sources: list[str]


class QuestionnaireStep(TypedDict):
    id: str
    title: str
    intro: str
    show_if: dict[str, Any] | None
    items: list[QuestionnaireItem]


class QuestionnaireJson(TypedDict):
    id: str
    version: str
    title: str
    steps: list[QuestionnaireStep]


class FhirQuestionnaire(TypedDict):
    """The questionnaire as a FHIR R4 ``Questionnaire`` resource (``?format=fhir``)."""

    resourceType: str
    id: str
    url: str
    version: str
    name: str
    title: str
    status: str
    item: list[dict[str, Any]]


class ReasonJson(TypedDict):
    code: str
    text: str
    source: str
    items: list[str]


class Resource(TypedDict):
    id: str
    name: str
    contact: str


class AssessmentJson(TypedDict):
    outcome: str
    urgent: bool
    track: str
    addons: list[str]
    reasons: list[ReasonJson]
    directory_query: str
    resources: list[Resource]


def errors(*specs: tuple[int, type, str]) -> dict[int, ResponseSpec]:
    """``responses=`` for a handler: status code -> (shape, description)."""
    return {
        status: ResponseSpec(data_container=shape, description=description)
        for status, shape, description in specs
    }


UNAVAILABLE = (503, Error, "The counselor database is unavailable; retry after Retry-After.")
RATE_LIMITED = (429, Error, "Too many POST requests from this address; retry after Retry-After.")
TOO_LARGE = (413, Error, "The request body is over the size cap.")


# ---- request parameters ----------------------------------------------------------------------
# The handlers parse and check their input themselves (with messages a person can read); the
# schema publishes the same parameters and limits, from the directory's filter registry, as
# plain types (a query value is never null). An empty value means the same as leaving the
# parameter out, as when a form sends an empty field.


def _query(schema: dict[str, Any], name: str | None = None) -> KwargDefinition:
    return QueryParameter(name=name, schema_extra={"one_of": None, **schema})


def _parameter(entry: Filter) -> tuple[Any, KwargDefinition]:
    """The Python type and the published schema of one parameter of the registry."""
    schema: dict[str, Any]
    if entry.kind == registry.NUMBER:
        kind: Any = int
        schema = {"type": OpenAPIType.INTEGER, "minimum": entry.low, "maximum": entry.high}
    elif entry.kind == registry.FLAG:
        kind, schema = bool, {"type": OpenAPIType.BOOLEAN}
    elif entry.kind == registry.ZIP:
        kind, schema = str, {"type": OpenAPIType.STRING, "pattern": "^([0-9]{5})?$"}
    elif entry.kind in (registry.FACET, registry.CHOICE):
        values = entry.values or tuple(taxonomy().slugs(entry.facet))
        choice = {"type": OpenAPIType.STRING, "enum": ["", *sorted(values)]}
        if entry.kind == registry.FACET:
            kind, schema = list[str], {"type": OpenAPIType.ARRAY, "items": choice}
        else:
            kind, schema = str, choice
    else:
        kind, schema = str, {"type": OpenAPIType.STRING, "max_length": MAX_QUERY_CHARS}
    found = QueryParameter(
        name=entry.name, description=entry.help, schema_extra={"one_of": None, **schema}
    )
    return kind, found


_RESERVED = frozenset({"state", "request", "query", "headers", "cookies", "scope", "data"})
"""Keyword names Litestar gives a meaning of its own."""


def directory_parameters(handler: Callable[..., R]) -> Callable[..., R]:
    """Give ``handler`` (which takes ``**filters``) one optional keyword parameter per
    parameter of the directory's registry, so that Litestar checks their types (a 400 keyed
    by the parameter) and publishes them. A name Litestar reserves (``state``, a plain
    string that never fails a type check) is ``filter_<name>`` in Python."""
    signature = inspect.signature(handler)
    added = []
    for entry in registry.FILTERS:
        if entry.api:
            kind, definition = _parameter(entry)
            added.append(
                inspect.Parameter(
                    f"filter_{entry.name}" if entry.name in _RESERVED else entry.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=None,
                    annotation=Annotated[kind | None, definition],
                )
            )
    kept = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    handler.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    handler.__annotations__ = {
        **{k: v for k, v in handler.__annotations__.items() if k != "filters"},
        **{p.name: p.annotation for p in added},
    }
    return handler


QUESTIONNAIRE_FORMAT = _query({"type": OpenAPIType.STRING, "enum": ["json", "fhir"]}, "format")
ASSESS_BODY = Body(
    schema_extra={
        "required": ["answers"],
        "properties": {"answers": {"type": "object", "description": "item id -> answer"}},
    }
)
