"""The filter registry is the one list of the directory's filters: each of its yes/no filters
is parsed, published in the API, shown in the form, filtered by and explained, with nothing
written anywhere else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from litestar.testing import TestClient
from sqlalchemy import Boolean, Engine, func, or_, select
from sqlalchemy.orm import Session

from portal.directory import bitmaps, registry
from portal.directory.filters import DirectoryQuery, parse_query
from portal.directory.matching import fit_columns, fit_reasons
from portal.directory.taxonomy import taxonomy
from portal.models import Listing
from tests.web.helpers import soup

FLAGS = registry.FLAGS
LISTING = Listing.__table__


@pytest.mark.parametrize("flag", FLAGS, ids=lambda f: f.name)
def test_every_flag_is_parsed_and_written_back(flag: registry.Filter) -> None:
    parsed = parse_query({flag.name: ["1"]}, taxonomy())
    assert parsed.errors == {} and parsed.unknown == ()
    assert parsed.query.flags_on() == {flag.name}
    assert parsed.query.to_params() == {flag.name: ["1"]}
    assert parsed.query.without(flag.name) == DirectoryQuery()
    assert parse_query({flag.name: ["perhaps"]}, taxonomy()).errors == {
        flag.name: "This option is either on or off."
    }


def test_the_api_publishes_every_parameter_of_the_registry(client: TestClient) -> None:
    schema = client.get("/api/schema/openapi.json").json()
    published = {p["name"]: p for p in schema["paths"]["/api/counselors"]["get"]["parameters"]}
    assert set(published) == {f.name for f in registry.FILTERS if f.api}
    for entry in registry.FILTERS:
        if entry.api:
            assert published[entry.name]["description"] == entry.help
            assert published[entry.name]["in"] == "query"
    for flag in FLAGS:
        assert published[flag.name]["schema"]["type"] == "boolean"


def test_the_form_has_a_checkbox_per_flag_with_its_label(client: TestClient) -> None:
    form = soup(client.get("/counselors").text).select_one("form#filters")
    for flag in FLAGS:
        box = form.select_one(f'input[type=checkbox][name="{flag.name}"]')
        assert box is not None, flag.name
        assert not box.has_attr("checked")
        assert box.parent.get_text(strip=True) == flag.label
    names = {box["name"] for box in form.select("input[type=checkbox][value='1']")}
    assert names == {f.name for f in FLAGS}


def test_a_chosen_flag_is_checked_and_its_group_open(client: TestClient) -> None:
    for flag in FLAGS:
        page = soup(client.get(f"/counselors?{flag.name}=1").text)
        box = page.select_one(f'form#filters input[name="{flag.name}"]')
        assert box.has_attr("checked"), flag.name
        assert box.find_parent("details").has_attr("open"), flag.name


def test_a_bad_flag_value_is_named_by_its_label(client: TestClient) -> None:
    for flag in FLAGS:
        page = soup(client.get(f"/counselors?{flag.name}=perhaps").text)
        summary = page.select_one(".error-summary").get_text(" ", strip=True)
        assert f"{flag.label}: This option is either on or off." in summary


def test_every_flag_reads_boolean_columns_kept_as_bitmaps() -> None:
    for flag in FLAGS:
        assert flag.columns, flag.name
        for column in flag.columns:
            assert isinstance(LISTING.c[column].type, Boolean), column
            assert column in bitmaps.FLAGS, column


@pytest.mark.parametrize("flag", FLAGS, ids=lambda f: f.name)
def test_every_flag_finds_exactly_the_listings_that_have_it(
    client: TestClient, engine: Engine, flag: registry.Filter
) -> None:
    with Session(engine) as session:
        having = or_(*(LISTING.c[c].is_(True) for c in flag.columns))
        expected = session.execute(select(func.count()).where(having)).scalar_one()
    data = client.get(f"/api/counselors?{flag.name}=1&per_page=100").json()
    assert expected > 0
    assert data["total"] == min(expected, 1000)
    for item in data["items"]:
        assert any(item[c] for c in flag.columns), item["slug"]


@pytest.mark.parametrize("flag", [f for f in FLAGS if f.fits], ids=lambda f: f.name)
def test_why_it_fits_reads_each_flag_from_the_listing(flag: registry.Filter) -> None:
    query = DirectoryQuery(**{flag.name: True})
    read = fit_columns(query)
    assert set(flag.columns) <= read
    has = SimpleNamespace(**{c: c in flag.columns for c in read})
    lacks = SimpleNamespace(**{c: False for c in read})
    assert fit_reasons(has, query, taxonomy()) == [flag.fits]  # type: ignore[arg-type]
    assert fit_reasons(lacks, query, taxonomy()) == []  # type: ignore[arg-type]


def test_every_parameter_has_one_label_and_a_known_kind() -> None:
    kinds = {registry.TEXT, registry.ZIP, registry.NUMBER, registry.FACET, registry.CHOICE}
    kinds |= {registry.FLAG, registry.CURSOR}
    assert len(registry.BY_NAME) == len(registry.FILTERS)
    for entry in registry.FILTERS:
        assert entry.kind in kinds and entry.label and entry.help, entry.name
        if entry.kind == registry.FACET:
            assert entry.facet in taxonomy().facets and entry.column, entry.name
        if entry.kind == registry.NUMBER:
            assert entry.low < entry.high, entry.name


BAD = {
    registry.TEXT: "x" * 5000,
    registry.ZIP: "99999",
    registry.NUMBER: "many",
    registry.FACET: "no-such-term",
    registry.CHOICE: "no-such-choice",
    registry.FLAG: "perhaps",
}


@pytest.mark.parametrize(
    "entry",
    [f for f in registry.FILTERS if f.kind in BAD and not f.paging and f.name != "zip2"],
    ids=lambda f: f.name,
)
def test_an_error_links_to_its_field_shown_open_and_marked(
    client: TestClient, entry: registry.Filter
) -> None:
    extra = "&zip=60614" if entry.name == "radius" else ""
    page = soup(client.get(f"/counselors?{entry.name}={BAD[entry.kind]}{extra}").text)
    link = page.select_one(f'.error-summary a[data-field="{entry.name}"]')
    assert link is not None, entry.name
    field = page.select_one(link["href"])
    assert field is not None and field.get("aria-invalid") == "true", entry.name
    assert page.select_one(f"#{field['aria-describedby']}.field-error") is not None
    group = field.find_parent("details")
    assert group is None or group.has_attr("open"), entry.name
