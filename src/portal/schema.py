"""The one schema of a listing record, shared by seed loading and the HSDS import.

``ListingRecord`` (pydantic, strict: no coercion, no unknown keys) checks each field's type,
range, format and vocabulary; the rules that tie fields together run once the fields are
valid. ``record_problems`` turns pydantic's errors into (field, message) pairs a person can
act on; ``seed.validate_record`` adds the file and record to each.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portal import content
from portal.states import US_STATES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE_RE = re.compile(r"^\d{3}-555-01\d{2}$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[a-z0-9-]+\.)*example\.(?:org|com|net)$")
WEBSITE_RE = re.compile(r"^https://(?:[a-z0-9-]+\.)*example\.(?:org|com|net)(?:/\S*)?$")
ZIP_RE = re.compile(r"^\d{5}$")
PLACEHOLDER_RE = re.compile(r"lorem ipsum|\{[a-z_]+\}|TODO", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------


@functools.cache
def taxonomy() -> dict[str, frozenset[str]]:
    """Allowed slugs per vocabulary (``sees``, ``specialty``, ``licence``...)."""
    raw = content.taxonomy()
    return {k: frozenset(item["slug"] for item in v) for k, v in raw.items() if isinstance(v, list)}


@functools.lru_cache(maxsize=1)
def zip_index() -> dict[str, tuple[str, str, float, float]]:
    """ZIP -> (state, city, lat, lon) for every ZIP with a centroid in the ``zipcodes`` package.

    Same data as ``zipcodes.matching`` (which scans the whole list on every call, ~0.6 ms),
    indexed once so that validating 100k records stays fast."""
    import zipcodes

    out: dict[str, tuple[str, str, float, float]] = {}
    for z in zipcodes.list_all():
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (KeyError, TypeError, ValueError):
            continue
        out[z["zip_code"]] = (z["state"], z["city"], lat, lon)
    return out


def _vocabulary(info: ValidationInfo, facet: str) -> frozenset[str]:
    tax = (info.context or {}).get("taxonomy") or taxonomy()
    return tax.get(facet, frozenset())


# --------------------------------------------------------------------------------------------
# Field rules
# --------------------------------------------------------------------------------------------


def _text(max_len: int, *, may_be_blank: bool = False) -> Any:
    def check(v: str) -> str:
        if len(v) > max_len:
            raise ValueError(f"longer than {max_len} characters")
        if not may_be_blank and not v.strip():
            raise ValueError("must not be empty")
        return v

    return Annotated[str, AfterValidator(check)]


def _pattern(regex: re.Pattern[str], message: str) -> Callable[[str], str]:
    def check(v: str) -> str:
        if not regex.match(v):
            raise ValueError(message.format(v=v))
        return v

    return check


def _within(lo: int, hi: int) -> AfterValidator:
    def check(v: int) -> int:
        if not lo <= v <= hi:
            raise ValueError(f"{v} is outside {lo}..{hi}")
        return v

    return AfterValidator(check)


def _iso_date(v: str) -> str:
    try:
        if len(v) == 10:
            date.fromisoformat(v)
            return v
    except ValueError:
        pass
    raise ValueError(f"{v!r} is not an ISO date (YYYY-MM-DD)")


IsoDate = Annotated[str, AfterValidator(_iso_date)]

# list field -> taxonomy facet (None: US state codes)
LIST_FACETS: dict[str, str | None] = {
    "licence_states": None,
    "trainings": "training",
    "sees": "sees",
    "specialties": "specialty",
    "modalities": "modality",
    "formats": "format",
    "telehealth_states": None,
    "insurance": "insurance",
    "languages": "language",
}
NON_EMPTY_LISTS = frozenset({"licence_states", "sees", "specialties", "formats", "languages"})
NULLABLE = frozenset(
    {"children_age_min", "children_age_max", "sliding_floor", "next_opening", "website"}
)


def _problems(found: list[tuple[str, str]]) -> PydanticCustomError:
    """One error carrying several (field, message) problems, so that each is reported."""
    return PydanticCustomError(
        "problems", "{count} problems", {"count": len(found), "found": found}
    )


class OfficeRecord(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    city: str
    state: str
    zip: str

    @field_validator("city")
    @classmethod
    def _city(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must be a non-empty string")
        return v

    @field_validator("state")
    @classmethod
    def _state(cls, v: str) -> str:
        if v not in US_STATES:
            raise ValueError(f"{v!r} is not a US state code")
        return v

    @field_validator("zip")
    @classmethod
    def _zip(cls, v: str) -> str:
        if not ZIP_RE.match(v):
            raise ValueError(f"{v!r} is not a 5-digit ZIP code")
        if v not in zip_index():
            raise ValueError(f"unknown ZIP code {v!r}")
        return v

    @model_validator(mode="after")
    def _zip_in_state(self) -> OfficeRecord:
        known = zip_index()[self.zip][0]
        if known != self.state:
            raise _problems([("zip", f"ZIP {self.zip} is in {known}, not {self.state}")])
        return self


class ListingRecord(BaseModel):
    """One listing as seed files and the HSDS import give it (field order = file order)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    slug: Annotated[
        _text(120),
        AfterValidator(
            _pattern(
                SLUG_RE, "{v!r} is not url-safe (lowercase letters, digits and single hyphens)"
            )
        ),
    ]
    name: _text(120)
    pronouns: _text(40, may_be_blank=True)
    gender: str
    licence_type: str
    licence_number: _text(60)
    licence_states: list[str]
    years_in_practice: Annotated[int, _within(0, 70)]
    trainings: list[str]
    sees: list[str]
    children_age_min: Annotated[int, _within(0, 25)] | None
    children_age_max: Annotated[int, _within(0, 25)] | None
    specialties: list[str]
    modalities: list[str]
    screens_individually: bool
    dv_trained: bool
    trauma_informed: bool
    formats: list[str]
    office: OfficeRecord | None
    telehealth_states: list[str]
    fee_min: Annotated[int, _within(1, 1000)]
    fee_max: Annotated[int, _within(1, 1000)]
    sliding_scale: bool
    sliding_floor: Annotated[int, _within(0, 1000)] | None
    free_consult: bool
    insurance: list[str]
    superbills: bool
    languages: list[str]
    evenings: bool
    weekends: bool
    office_accessible: bool | None
    accepting: bool
    next_opening: IsoDate | None
    reply_days: Annotated[int, _within(1, 7)]
    last_verified: IsoDate
    phone: Annotated[
        _text(20),
        AfterValidator(_pattern(PHONE_RE, "{v!r} is not a fictional NNN-555-01NN number")),
    ]
    email: Annotated[
        _text(120), AfterValidator(_pattern(EMAIL_RE, "{v!r} is not on example.org/.com/.net"))
    ]
    website: str | None = Field(...)
    bio: str

    @field_validator("licence_number")
    @classmethod
    def _fake_number(cls, v: str) -> str:
        if "FAKE" not in v:
            raise ValueError("must be a clearly fake number (contain 'FAKE')")
        return v

    @field_validator("website")
    @classmethod
    def _website(cls, v: str | None) -> str | None:
        if v is not None and not WEBSITE_RE.match(v):
            raise ValueError(f"{v!r} is not an https:// address on example.org/.com/.net")
        return v

    @field_validator("bio")
    @classmethod
    def _bio(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        if PLACEHOLDER_RE.search(v):
            raise ValueError("contains placeholder text")
        return v

    @field_validator("gender", "licence_type")
    @classmethod
    def _slug_of(cls, v: str, info: ValidationInfo) -> str:
        facet = "gender" if info.field_name == "gender" else "licence"
        if v not in _vocabulary(info, facet):
            raise ValueError(f"{v!r} is not a taxonomy {facet} slug")
        return v

    @field_validator(*LIST_FACETS)
    @classmethod
    def _list_of(cls, v: list[str], info: ValidationInfo) -> list[str]:
        assert info.field_name is not None
        facet = LIST_FACETS[info.field_name]
        found: list[tuple[str, str]] = []
        if len(set(v)) != len(v):
            found.append((info.field_name, "has duplicate values"))
        allowed = US_STATES if facet is None else _vocabulary(info, facet)
        bad = [x for x in v if x not in allowed]
        if bad:
            what = "US state codes" if facet is None else f"taxonomy {facet} slugs"
            found.append((info.field_name, f"{', '.join(map(repr, bad))} not {what}"))
        if not v and info.field_name in NON_EMPTY_LISTS:
            found.append((info.field_name, "must not be empty"))
        if found:
            raise _problems(found)
        return v

    @model_validator(mode="after")
    def _consistent(self) -> ListingRecord:
        found = [*self._ages_and_fees(), *self._availability(), *self._office_and_formats()]
        if found:
            raise _problems(found)
        return self

    def _ages_and_fees(self) -> list[tuple[str, str]]:
        found = []
        cmin, cmax = self.children_age_min, self.children_age_max
        if (cmin is None) != (cmax is None):
            found.append(
                (
                    "children_age_max",
                    "children_age_min and children_age_max are both set or both null",
                )
            )
        elif cmin is not None and cmax is not None and cmin > cmax:
            found.append(("children_age_min", f"{cmin} is greater than children_age_max {cmax}"))
        if self.fee_min > self.fee_max:
            found.append(("fee_min", f"{self.fee_min} is greater than fee_max {self.fee_max}"))
        floor = self.sliding_floor
        if self.sliding_scale and floor is None:
            found.append(("sliding_floor", "required when sliding_scale is true"))
        if not self.sliding_scale and floor is not None:
            found.append(("sliding_floor", "must be null unless sliding_scale is true"))
        if floor is not None and floor > self.fee_min:
            found.append(("sliding_floor", f"{floor} is above fee_min {self.fee_min}"))
        return found

    def _availability(self) -> list[tuple[str, str]]:
        if not self.accepting and self.next_opening is not None:
            return [("next_opening", "must be null when accepting is false")]
        return []

    def _office_and_formats(self) -> list[tuple[str, str]]:
        found = []
        formats, office = self.formats, self.office
        if office is None:
            if "in-person" in formats:
                found.append(("office", "required when formats include 'in-person'"))
            if self.office_accessible is not None:
                found.append(("office_accessible", "must be null when there is no office"))
        else:
            if office.state not in self.licence_states:
                found.append(("licence_states", f"must include the office state {office.state!r}"))
            if "in-person" not in formats:
                found.append(("formats", "an office listing must include 'in-person'"))
            if self.office_accessible is None:
                found.append(("office_accessible", "must be true or false when there is an office"))
        extra = [s for s in self.telehealth_states if s not in self.licence_states]
        if extra:
            found.append(("telehealth_states", f"{', '.join(extra)} not in licence_states"))
        remote = {"video", "phone"} & set(formats)
        if remote and not self.telehealth_states:
            found.append(
                ("telehealth_states", "must list states when formats include video or phone")
            )
        if not remote and self.telehealth_states:
            found.append(("telehealth_states", "must be empty without video or phone format"))
        return found


RECORD_KEYS: tuple[str, ...] = tuple(ListingRecord.model_fields)


# --------------------------------------------------------------------------------------------
# Errors a person can act on
# --------------------------------------------------------------------------------------------


def _message(kind: str, field: str, value: Any, ctx: Mapping[str, Any]) -> str:
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":
        return str(ctx["error"])
    if kind in ("int_type", "int_parsing"):
        return f"must be an integer{' or null' if field in NULLABLE else ''}, got {value!r}"
    if kind == "bool_type":
        return f"must be true or false, got {value!r}"
    if kind == "string_type":
        return f"must be a string, got {type(value).__name__}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be an object {city, state, zip} or null"
    return kind.replace("_", " ")


def record_problems(
    rec: Mapping[str, Any], tax: Mapping[str, frozenset[str]] | None = None
) -> list[tuple[str | None, str]]:
    """Every (field, message) problem of one record; field ``office.zip`` for a nested one."""
    try:
        ListingRecord.model_validate(rec, context={"taxonomy": tax or taxonomy()})
    except ValidationError as exc:
        out: list[tuple[str | None, str]] = []
        for err in exc.errors(include_url=False):
            path = [str(p) for p in err["loc"] if isinstance(p, str)]
            in_list = any(isinstance(p, int) for p in err["loc"])
            field = ".".join(path) or None
            ctx = err.get("ctx") or {}
            if err["type"] == "problems":  # a rule across fields, named relative to loc
                for name, message in ctx["found"]:
                    where = path if path and path[-1] == name else [*path, name]
                    out.append((".".join(where), message))
                continue
            if field in LIST_FACETS and (in_list or err["type"] == "list_type"):
                message = "must be a list of strings"
            else:
                message = _message(err["type"], field or "", err.get("input"), ctx)
            if (field, message) not in out:
                out.append((field, message))
        return out
    return []
