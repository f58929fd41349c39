"""The FHIR R4 Bundle: every resource parses with fhir.resources, the Plan-Net newpatients
extension on every PractitionerRole, Location positions, and deterministic output."""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
from sqlalchemy import Engine

from portal.opendata.fhir import NEWPATIENTS, bundle, write_bundle
from portal.opendata.hsds_export import items_from_engine
from portal.opendata.records import iter_records

# fhir.resources 8 has FHIR R5 as its default models and R4B (4.3.0) in a subpackage; it has no
# 4.0.1 models. R4B left Practitioner, PractitionerRole, HealthcareService, Location and Bundle
# as they were in R4, so R4B models check the R4 structure of these resources.
R4B = "fhir.resources.R4B"


@pytest.fixture(scope="module")
def directory(engine: Engine) -> dict[str, Any]:
    return bundle(items_from_engine(engine))


@pytest.fixture(scope="module")
def records(engine: Engine) -> dict[str, dict]:
    return {rec["slug"]: rec for _l, rec in iter_records(engine)}


def by_type(directory: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in directory["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_is_a_collection_of_the_four_resource_types(directory: dict, records: dict):
    assert directory["resourceType"] == "Bundle" and directory["type"] == "collection"
    kinds = {e["resource"]["resourceType"] for e in directory["entry"]}
    assert kinds == {"Practitioner", "PractitionerRole", "HealthcareService", "Location"}
    assert len(by_type(directory, "Practitioner")) == len(records)
    offices = sum(1 for r in records.values() if r["office"] is not None)
    assert len(by_type(directory, "Location")) == offices


@pytest.mark.slow  # every resource of the directory through fhir.resources' models
def test_every_resource_parses_with_fhir_resources(directory: dict) -> None:
    bundle_model = importlib.import_module(f"{R4B}.bundle").Bundle
    bundle_model.model_validate(directory)
    for entry in directory["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        model = getattr(importlib.import_module(f"{R4B}.{kind.lower()}"), kind)
        parsed = model.model_validate(resource)
        assert parsed.id == resource["id"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"


def test_the_parser_would_reject_a_wrong_resource() -> None:
    practitioner = importlib.import_module(f"{R4B}.practitioner").Practitioner
    with pytest.raises(ValueError):
        practitioner.model_validate({"resourceType": "Practitioner", "active": "maybe"})
    with pytest.raises(ValueError):
        practitioner.model_validate({"resourceType": "Practitioner", "speciality": []})


def test_references_resolve_inside_the_bundle(directory: dict) -> None:
    urls = {e["fullUrl"] for e in directory["entry"]}
    for role in by_type(directory, "PractitionerRole"):
        assert role["practitioner"]["reference"] in urls
        for ref in [*role.get("location", []), *role["healthcareService"]]:
            assert ref["reference"] in urls


def test_every_practitioner_role_has_the_newpatients_extension(directory: dict, records: dict):
    slug_of = {
        e["fullUrl"]: e["resource"]["identifier"][0]["value"]
        for e in directory["entry"]
        if e["resource"]["resourceType"] == "Practitioner"
    }
    for role in by_type(directory, "PractitionerRole"):
        [ext] = [e for e in role["extension"] if e["url"] == NEWPATIENTS]
        [accepting] = [e for e in ext["extension"] if e["url"] == "acceptingPatients"]
        code = accepting["valueCodeableConcept"]["coding"][0]["code"]
        rec = records[slug_of[role["practitioner"]["reference"]]]
        assert code == ("newpt" if rec["accepting"] else "nopt")
        assert [c["coding"][0]["code"] for c in role["specialty"]] == rec["specialties"]


def test_qualification_per_licence_state_and_training(directory: dict, records: dict) -> None:
    for practitioner in by_type(directory, "Practitioner"):
        slug = practitioner["identifier"][0]["value"]
        rec = records[slug]
        quals = practitioner["qualification"]
        assert len(quals) == len(rec["licence_states"]) + len(rec["trainings"])
        licences = [q for q in quals if "identifier" in q]
        assert {q["identifier"][0]["value"] for q in licences} == {rec["licence_number"]}
        assert practitioner["meta"]["security"][0]["code"] == "HTEST"


def test_locations_have_a_position(directory: dict) -> None:
    locations = by_type(directory, "Location")
    assert locations
    for location in locations:
        assert -180 <= location["position"]["longitude"] <= 180
        assert -90 <= location["position"]["latitude"] <= 90
        assert location["address"]["country"] == "US"


def test_services_say_who_is_seen(directory: dict) -> None:
    texts = {t["text"] for s in by_type(directory, "HealthcareService") for t in s["type"]}
    assert {"Couples counseling", "Family counseling", "Co-parenting counseling"} <= texts


def test_output_is_deterministic(engine: Engine) -> None:
    first, second = io.StringIO(), io.StringIO()
    write_bundle(items_from_engine(engine), first)
    write_bundle(items_from_engine(engine), second)
    assert first.getvalue() == second.getvalue()
