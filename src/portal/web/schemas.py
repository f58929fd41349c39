"""The JSON API's response shapes, for the OpenAPI schema.

The handlers still build plain dicts; these ``TypedDict``s only describe them, so that the
published schema says exactly what a client gets (and tests/web/test_api_fuzz.py can hold every
response to it).
"""

from __future__ import annotations

from typing import Any, TypedDict

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType
from litestar.params import Body, KwargDefinition, QueryParameter

from portal.directory.filters import (
    MAX_FEE_LIMIT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RADIUS,
    MIN_RADIUS,
    SORTS,
)
from portal.directory.geo import US_STATES
from portal.directory.taxonomy import taxonomy


class Office(TypedDict):
    city: str | None
    state: str | None
    zip: str | None


class _CounselorRequired(TypedDict):
    slug: str
    name: str
    pronouns: str
    gender: str
    licence_type: str
    licence_number: str
    licence_states: list[str]
    years_in_practice: int
    trainings: list[str]
    sees: list[str]
    children_ages: list[int] | None
    specialties: list[str]
    modalities: list[str]
    screens_individually: bool
    dv_trained: bool
    trauma_informed: bool
    formats: list[str]
    office: Office | None
    telehealth_states: list[str]
    fee_min: int
    fee_max: int
    sliding_scale: bool
    sliding_floor: int | None
    free_consult: bool
    insurance: list[str]
    superbills: bool
    languages: list[str]
    evenings: bool
    weekends: bool
    office_accessible: bool | None
    accepting: bool
    next_opening: str | None
    reply_days: int
    last_verified: str
    phone: str
    email: str
    website: str | None
    bio: str
    fictional: bool


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


class Option(TypedDict):
    value: str | int
    label: str


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
# The handlers parse and check their input themselves (with messages a person can read); these
# only publish the same limits in the schema, as plain types (a query value is never null). An
# empty value means the same as leaving the parameter out, as when a form sends an empty field.


def _query(schema: dict[str, Any], name: str | None = None) -> KwargDefinition:
    return QueryParameter(name=name, schema_extra={"one_of": None, **schema})


def _integer(low: int, high: int) -> KwargDefinition:
    return _query({"type": OpenAPIType.INTEGER, "minimum": low, "maximum": high})


def _choice(values: Any, name: str | None = None) -> KwargDefinition:
    return _query({"type": OpenAPIType.STRING, "enum": ["", *sorted(values)]}, name)


def _choices(facet: str) -> KwargDefinition:
    item = {"type": OpenAPIType.STRING, "enum": ["", *sorted(taxonomy().slugs(facet))]}
    return _query({"type": OpenAPIType.ARRAY, "items": item})


Q = _query({"type": OpenAPIType.STRING, "max_length": MAX_QUERY_CHARS})
ZIP = _query({"type": OpenAPIType.STRING, "pattern": "^([0-9]{5})?$"})
ZIP2 = _query({"type": OpenAPIType.STRING, "pattern": "^([0-9]{5})?$"})
RADIUS = _integer(MIN_RADIUS, MAX_RADIUS)
MAX_FEE = _integer(0, MAX_FEE_LIMIT)
PAGE = _integer(1, MAX_PAGE)
PER_PAGE = _integer(1, MAX_PER_PAGE)
STATE = _choice(US_STATES, "state")
GENDER = _choice(taxonomy().slugs("gender"))
SORT = _choice(SORTS)
FLAG = _query({"type": OpenAPIType.BOOLEAN})
FACET = {name: _choices(name) for name in ("specialty", "modality", "sees", "licence")}
FACET |= {name: _choices(name) for name in ("format", "insurance", "language")}
QUESTIONNAIRE_FORMAT = _query({"type": OpenAPIType.STRING, "enum": ["json", "fhir"]}, "format")
ASSESS_BODY = Body(
    schema_extra={
        "required": ["answers"],
        "properties": {"answers": {"type": "object", "description": "item id -> answer"}},
    }
)
