"""Parsing the directory's query string: every filter, and every kind of bad input."""

from __future__ import annotations

import pytest

from portal.directory.filters import DEFAULT_PER_PAGE, DirectoryQuery, parse_query
from portal.directory.taxonomy import taxonomy


def parse(**params: str | list[str]):
    multi = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_query(multi, taxonomy())


def test_empty_query_is_unfiltered_with_defaults() -> None:
    parsed = parse()
    assert parsed.errors == {}
    assert parsed.query == DirectoryQuery()
    assert not parsed.query.is_filtered()


def test_every_filter_is_understood() -> None:
    parsed = parse(
        q="  blended   family ",
        zip="60614",
        radius="10",
        specialty=["co-parenting", "perinatal"],
        modality="eft",
        sees="couples",
        licence="lmft",
        format="video",
        insurance="aetna",
        language="es",
        state="il",
        max_fee="120",
        sliding_scale="1",
        accepting="true",
        free_consult="on",
        evenings="yes",
        screens_individually="1",
        gender="woman",
        sort="distance",
        page="2",
        per_page="50",
    )
    q = parsed.query
    assert parsed.errors == {}
    assert q.q == "blended family"
    assert q.zip == "60614" and q.radius == 10 and q.origin is not None
    assert q.specialty == ("co-parenting", "perinatal")
    assert (q.modality, q.sees, q.licence, q.format) == (
        ("eft",),
        ("couples",),
        ("lmft",),
        ("video",),
    )
    assert (q.insurance, q.language, q.state) == (("aetna",), ("es",), "IL")
    assert q.max_fee == 120
    assert q.sliding_scale and q.accepting and q.free_consult and q.evenings
    assert q.screens_individually and q.gender == "woman"
    assert (q.sort, q.page, q.per_page) == ("distance", 2, 50)


def test_canonical_query_string_round_trips() -> None:
    parsed = parse(zip="60614", language=["es", "en"], sliding_scale="1", page="3")
    again = parse_query({k: v for k, v in parsed.query.to_params().items()}, taxonomy()).query
    assert again == parsed.query
    assert parsed.query.query_string() == "zip=60614&language=es&language=en&sliding_scale=1&page=3"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zip": "99999"}, "zip"),
        ({"zip": "6061"}, "zip"),
        ({"zip": "<script>"}, "zip"),
        ({"radius": "-5"}, "radius"),
        ({"radius": "100000"}, "radius"),
        ({"radius": "ten"}, "radius"),
        ({"page": str(10**9)}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": str(10**6)}, "per_page"),
        ({"q": "x" * 5000}, "q"),
        ({"specialty": "not-a-specialty"}, "specialty"),
        ({"language": "<img src=x onerror=alert(1)>"}, "language"),
        ({"state": "ZZ"}, "state"),
        ({"max_fee": "-1"}, "max_fee"),
        ({"sliding_scale": "maybe"}, "sliding_scale"),
        ({"gender": "robot"}, "gender"),
        ({"sort": "paid"}, "sort"),
        ({"sort": "distance"}, "sort"),
    ],
)
def test_bad_values_are_reported_by_field_and_never_raise(params: dict, field: str) -> None:
    parsed = parse(**params)
    assert field in parsed.errors
    assert parsed.errors[field]


def test_one_bad_value_keeps_every_other_filter_and_the_raw_input() -> None:
    parsed = parse(zip="99999", language="es", sliding_scale="1", q="co-parenting")
    assert set(parsed.errors) == {"zip"}
    assert parsed.query.language == ("es",)
    assert parsed.query.sliding_scale
    assert parsed.query.q == "co-parenting"
    assert parsed.raw_value("zip") == "99999"


def test_duplicate_values_are_kept_once() -> None:
    assert parse(language=["es", "es", " es "]).query.language == ("es",)


def test_without_clears_one_filter_and_resets_the_page() -> None:
    q = parse(zip="60614", sort="distance", language="es", page="4").query
    looser = q.without("zip")
    assert looser.zip is None and looser.origin is None and looser.sort == "relevance"
    assert looser.language == ("es",) and looser.page == 1
    assert q.without("language").language == ()


def test_defaults_are_left_out_of_the_url() -> None:
    q = parse(radius="25", zip="60614", per_page=str(DEFAULT_PER_PAGE), sort="relevance").query
    assert q.query_string() == "zip=60614"


def test_a_bad_zip_code_is_said_once_even_when_sorting_by_distance() -> None:
    parsed = parse_query({"zip": ["6061"], "sort": ["distance"]}, taxonomy())
    assert set(parsed.errors) == {"zip"} and parsed.query.sort != "distance"
    assert "sort" in parse_query({"sort": ["distance"]}, taxonomy()).errors
