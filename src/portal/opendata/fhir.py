"""The directory as a FHIR R4 Bundle (type ``collection``).

Per listing: a ``Practitioner`` (name, gender, telecom, languages, one qualification per state
licence and one per training), a ``PractitionerRole`` (specialties, availability, the Da Vinci
Plan-Net ``newpatients`` extension), a ``HealthcareService`` (who is seen: couples, family,
co-parenting... counseling; approaches, insurance, fees) and, with an office, a ``Location``
(address without street, ``position`` from the ZIP centre). The resources use the Plan-Net
``newpatients`` extension but do not claim the Plan-Net profiles (which need insurance
networks and organizations the directory does not have).

Every resource is marked as test data (``meta.security`` HTEST) and tagged fictional. Ids are
UUIDv5 of the slug and entries follow the slug order, so the output is deterministic; it is
written entry by entry, so 100k listings never sit in memory as one document.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import IO, Any

from portal.opendata.records import LICENCE_NUCC, labels, stable_id

Record = dict[str, Any]

NEWPATIENTS = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/newpatients"
ACCEPTING_CS = "http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/AcceptingPatientsCS"
VERIFICATION = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"
VERIFICATION_CS = "http://hl7.org/fhir/us/ndh/CodeSystem/NdhVerificationStatusCS"
NUCC = "http://nucc.org/provider-taxonomy"
SERVICE_CATEGORY = "http://terminology.hl7.org/CodeSystem/service-category"
BCP47 = "urn:ietf:bcp:47"
PORTAL_SYSTEM = "urn:portal:taxonomy"
LICENCE_SYSTEM = "urn:portal:licence"
SLUG_SYSTEM = "urn:portal:listing"
META = {
    "security": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
            "code": "HTEST",
            "display": "test health data",
        }
    ],
    "tag": [{"system": "urn:portal:data", "code": "fictional", "display": "Fictional sample"}],
}
GENDER = {"woman": "female", "man": "male", "nonbinary": "other"}
SEES_SERVICE = {
    "couples": "Couples counseling",
    "co-parents": "Co-parenting counseling",
    "families": "Family counseling",
    "parent-adult-child": "Parent and adult child counseling",
    "individuals": "Individual counseling",
}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def _coding(vocab: str, slug: str) -> dict[str, Any]:
    return {"system": f"{PORTAL_SYSTEM}:{vocab}", "code": slug, "display": labels(vocab)[slug]}


def _concept(vocab: str, slug: str) -> dict[str, Any]:
    coding = _coding(vocab, slug)
    return {"coding": [coding], "text": coding["display"]}


def _ref(kind: str, slug: str) -> str:
    return f"urn:uuid:{stable_id('fhir', kind, slug)}"


def _telecom(rec: Record) -> list[dict[str, Any]]:
    out = [
        {"system": "phone", "value": rec["phone"], "use": "work"},
        {"system": "email", "value": rec["email"], "use": "work"},
    ]
    if rec["website"]:
        out.append({"system": "url", "value": rec["website"], "use": "work"})
    return out


def practitioner(rec: Record) -> dict[str, Any]:
    slug, licence = rec["slug"], rec["licence_type"]
    nucc_code, nucc_display = LICENCE_NUCC.get(licence, ("", ""))
    given, _, family = rec["name"].rpartition(" ")
    name: dict[str, Any] = {"use": "official", "text": rec["name"], "family": family or given}
    if given:
        name["given"] = given.split()
    qualifications = []
    for state in rec["licence_states"]:
        coding = [_coding("licence", licence)]
        if nucc_code:
            coding.append({"system": NUCC, "code": nucc_code, "display": nucc_display})
        qualifications.append(
            {
                "identifier": [
                    {"system": f"{LICENCE_SYSTEM}:{state}", "value": rec["licence_number"]}
                ],
                "code": {"coding": coding, "text": f"{labels('licence')[licence]} ({state})"},
                "issuer": {"display": f"{state} state licensing board"},
            }
        )
    for training in rec["trainings"]:
        qualifications.append({"code": _concept("training", training)})
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": stable_id("fhir", "Practitioner", slug),
        "meta": META,
        "identifier": [{"system": SLUG_SYSTEM, "value": slug}],
        "active": True,
        "name": [name],
        "telecom": _telecom(rec),
        "gender": GENDER.get(rec["gender"], "unknown"),
        "qualification": qualifications,
        "communication": [
            {"coding": [{"system": BCP47, "code": code}], "text": labels("language")[code]}
            for code in rec["languages"]
        ],
    }
    return resource


def _availability(rec: Record) -> tuple[list[dict[str, Any]], str]:
    times: list[dict[str, Any]] = []
    if rec["evenings"]:
        times.append({"daysOfWeek": WEEKDAYS, "availableStartTime": "17:00:00"})
    if rec["weekends"]:
        times.append({"daysOfWeek": ["sat", "sun"]})
    words = [w for w, on in (("evenings", rec["evenings"]), ("weekends", rec["weekends"])) if on]
    text = ("Appointments " + " and ".join(words) + ". ") if words else ""
    text += f"Replies to new enquiries within {rec['reply_days']} business days."
    if rec["accepting"] and rec["next_opening"]:
        text += f" Next opening {rec['next_opening']}."
    return times, text


def _newpatients(accepting: bool) -> dict[str, Any]:
    code, display = ("newpt", "Accepting") if accepting else ("nopt", "Not Accepting")
    return {
        "url": NEWPATIENTS,
        "extension": [
            {
                "url": "acceptingPatients",
                "valueCodeableConcept": {
                    "coding": [{"system": ACCEPTING_CS, "code": code, "display": display}]
                },
            }
        ],
    }


def _verification(confirmed: str | None) -> dict[str, Any]:
    """NDH's verification status: complete when the counselor confirmed the listing
    themselves (the day in its text), incomplete otherwise."""
    code, display = ("complete", "Complete") if confirmed else ("incomplete", "Incomplete")
    text = f"Confirmed by the counselor on {confirmed}" if confirmed else "Not confirmed"
    return {
        "url": VERIFICATION,
        "valueCodeableConcept": {
            "coding": [{"system": VERIFICATION_CS, "code": code, "display": display}],
            "text": text,
        },
    }


def _role_extensions(rec: Record) -> list[dict[str, Any]]:
    return [_newpatients(rec["accepting"]), _verification(rec.get("availability_confirmed"))]


def practitioner_role(rec: Record) -> dict[str, Any]:
    slug = rec["slug"]
    times, text = _availability(rec)
    nucc_code, nucc_display = LICENCE_NUCC.get(rec["licence_type"], ("", ""))
    role: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": stable_id("fhir", "PractitionerRole", slug),
        "meta": META,
        "extension": _role_extensions(rec),
        "active": True,
        "practitioner": {"reference": _ref("Practitioner", slug), "display": rec["name"]},
        "code": [
            {
                "coding": [{"system": NUCC, "code": nucc_code, "display": nucc_display}],
                "text": labels("licence")[rec["licence_type"]],
            }
        ]
        if nucc_code
        else [],
        "specialty": [_concept("specialty", s) for s in rec["specialties"]],
        "healthcareService": [{"reference": _ref("HealthcareService", slug)}],
        "telecom": _telecom(rec),
        "availabilityExceptions": text,
    }
    if rec["office"] is not None:
        role["location"] = [{"reference": _ref("Location", slug)}]
    if times:
        role["availableTime"] = times
    if not role["code"]:
        del role["code"]
    return role


def healthcare_service(rec: Record) -> dict[str, Any]:
    slug = rec["slug"]
    times, text = _availability(rec)
    characteristic = [_concept("modality", m) for m in rec["modalities"]]
    characteristic += [
        {"coding": [_coding("insurance", i)], "text": f"Accepts {labels('insurance')[i]}"}
        for i in rec["insurance"]
    ]
    fee = (
        f"${rec['fee_min']}"
        if rec["fee_min"] == rec["fee_max"]
        else f"${rec['fee_min']}-${rec['fee_max']}"
    )
    details = [f"Fee {fee} per session."]
    if rec["sliding_scale"]:
        details.append(f"Sliding scale from ${rec['sliding_floor']}.")
    if rec["free_consult"]:
        details.append("Free first consultation.")
    service: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": stable_id("fhir", "HealthcareService", slug),
        "meta": META,
        "extension": _role_extensions(rec),
        "active": True,
        "category": [
            {"coding": [{"system": SERVICE_CATEGORY, "code": "8", "display": "Counselling"}]}
        ],
        "type": [
            {"coding": [_coding("sees", s)], "text": SEES_SERVICE.get(s, labels("sees")[s])}
            for s in rec["sees"]
        ],
        "specialty": [_concept("specialty", s) for s in rec["specialties"]],
        "name": f"Counseling with {rec['name']}",
        "comment": " ".join(details),
        "extraDetails": rec["bio"],
        "telecom": _telecom(rec),
        "communication": [
            {"coding": [{"system": BCP47, "code": code}], "text": labels("language")[code]}
            for code in rec["languages"]
        ],
        "appointmentRequired": True,
        "availabilityExceptions": text,
    }
    if rec["office"] is not None:
        service["location"] = [{"reference": _ref("Location", slug)}]
    if characteristic:
        service["characteristic"] = characteristic
    if times:
        service["availableTime"] = times
    return service


def location(rec: Record, lat: float | None, lon: float | None) -> dict[str, Any] | None:
    office = rec["office"]
    if office is None:
        return None
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": stable_id("fhir", "Location", rec["slug"]),
        "meta": META,
        "status": "active",
        "name": f"{rec['name']}'s office, {office['city']}",
        "mode": "instance",
        "telecom": _telecom(rec)[:1],
        "address": {
            "use": "work",
            "type": "physical",
            "city": office["city"],
            "state": office["state"],
            "postalCode": office["zip"],
            "country": "US",
        },
    }
    if lat is not None and lon is not None:
        resource["position"] = {"longitude": lon, "latitude": lat}
    return resource


def listing_resources(rec: Record, lat: float | None, lon: float | None) -> list[dict]:
    resources = [practitioner(rec), practitioner_role(rec), healthcare_service(rec)]
    loc = location(rec, lat, lon)
    if loc is not None:
        resources.append(loc)
    return resources


def write_bundle(items: Iterable[tuple[Record, float | None, float | None]], out: IO[str]) -> int:
    """Write the Bundle as JSON to ``out``; returns the number of listings."""
    head = {
        "resourceType": "Bundle",
        "id": stable_id("fhir", "Bundle", "directory"),
        "meta": {
            **META,
            "tag": [
                *META["tag"],
                {"system": "urn:portal:data", "code": "CC0-1.0", "display": "Licence: CC0 1.0"},
            ],
        },
        "type": "collection",
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[: text.rindex("}")].rstrip() + ',\n "entry": [')
    count = 0
    first = True
    for rec, lat, lon in items:
        for resource in listing_resources(rec, lat, lon):
            entry = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            out.write(("\n  " if first else ",\n  ") + json.dumps(entry, ensure_ascii=False))
            first = False
        count += 1
    out.write("\n ]\n}\n")
    return count


def bundle(items: Iterable[tuple[Record, float | None, float | None]]) -> dict[str, Any]:
    """The whole Bundle as a dict (small directories and tests)."""
    buffer = io.StringIO()
    write_bundle(items, buffer)
    return json.loads(buffer.getvalue())
