"""HSDS rows -> seed records: one listing per active HSDS service.

A service exported by this portal (its organization has a ``portal`` / ``listing-slug``
identifier) is mapped exactly, and anything missing from it is a problem. Any other feed is
mapped as far as it goes, and every gap is filled with a documented default and reported as a
note (``FOREIGN_DEFAULTS``); the listing's description says where it came from and that it is not
a counselor listing from this portal. Values the portal must not hold (it shows only fictional
data: 555-01xx phone numbers, example.* e-mail and web addresses, licence numbers marked FAKE)
are replaced the same way, never loaded.

Each record carries where each field came from, so that a problem the seed validator finds is
reported against the HSDS file, row and column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal.opendata import hsds_terms as terms
from portal.opendata.hsds_read import Package, Problem, Row
from portal.opendata.records import labels
from portal.schema import EMAIL_RE, PHONE_RE, RECORD_KEYS, WEBSITE_RE, zip_index
from portal.states import US_STATES

Source = tuple[str, int | None, str | None]  # (file, row, column)

# What a feed that is not a portal export gets when it lacks a field (each use is reported).
FOREIGN_DEFAULTS: dict[str, Any] = {
    "gender": "nonbinary",
    "licence_type": "lpc",
    "licence_number": "NOT-IN-FEED-FAKE",
    "licence_state": "NY",
    "years_in_practice": 0,
    "sees": ["individuals"],
    "specialties": ["couples-communication"],
    "formats": ["video"],
    "languages": ["en"],
    "fee": 100,
    "reply_days": 7,
    "last_verified": "1970-01-01",
    "phone": "000-555-0100",
    "email": "unknown@example.org",
}
# Words in a foreign service's name or description that name our vocabulary.
SEES_WORDS = {"couples": ("couple",), "families": ("family", "families"),
              "co-parents": ("co-parent", "coparent")}  # fmt: skip
SPECIALTY_WORDS = {
    "separation-divorce": ("divorce", "separation"),
    "co-parenting": ("co-parent", "coparent"),
    "grief": ("grief", "bereave"),
    "trauma": ("trauma",),
    "substance-use": ("substance", "alcohol", "addiction"),
    "domestic-violence": ("domestic violence", "domestic abuse"),
    "perinatal": ("postnatal", "postpartum", "perinatal", "pregnan"),
    "blended-families": ("blended famil", "stepfamil"),
    "estrangement": ("estrange",),
    "lgbtq": ("lgbt",),
}
SKIPPED_STATUS = frozenset({"inactive", "defunct"})


@dataclass
class Mapped:
    """One listing: the seed record, where its fields came from, notes and problems."""

    record: dict[str, Any]
    sources: dict[str, Source]
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lacking: set[str] = field(default_factory=set)  # fields already reported as missing

    def source(self, field_name: str) -> Source:
        return self.sources.get(field_name) or self.sources.get(
            field_name.split(".")[0], self.sources["_service"]
        )


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _group(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            out[row[key]].append(row)
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


class _Index:
    """The package's rows grouped the ways the mapping looks them up."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.orgs = {r["id"]: r for r in package.rows("organization")}
        self.locations = {r["id"]: r for r in package.rows("location")}
        self.sal = _group(package.rows("service_at_location"), "service_id")
        self.addresses = _group(package.rows("address"), "location_id")
        self.accessibility = _group(package.rows("accessibility"), "location_id")
        self.identifiers = _group(package.rows("organization_identifier"), "organization_id")
        self.by_service = {
            name: _group(package.rows(name), "service_id")
            for name in ("phone", "contact", "language", "cost_option", "schedule",
                         "service_capacity")
        }  # fmt: skip
        self.org_phones = _group(package.rows("phone"), "organization_id")
        self.org_contacts = _group(package.rows("contact"), "organization_id")
        taxonomy_names = {r["id"]: r.get("name", "") for r in package.rows("taxonomy")}
        self.term = {
            r["id"]: (taxonomy_names.get(r.get("taxonomy_id", "")) or r.get("taxonomy", ""),
                      r.get("code") or r.get("name", ""))
            for r in package.rows("taxonomy_term")
        }  # fmt: skip
        self.attributes: dict[str, list[Row]] = defaultdict(list)
        for row in package.rows("attribute"):
            if row.get("link_entity") in ("service", "organization"):
                self.attributes[row["link_id"]].append(row)
            else:
                package.notes.append(
                    f"{package.file('attribute')}: row {row['_row']}: link_entity "
                    f"{row.get('link_entity')!r} is not service or organization; ignored"
                )

    def src(self, table: str, row: Row, column: str | None) -> Source:
        return (self.package.file(table), row["_row"], column)


class _Builder:
    def __init__(self, ix: _Index, service: Row, source_name: str) -> None:
        self.ix, self.svc = ix, service
        self.org = ix.orgs.get(service["organization_id"], {})
        ident = [
            r
            for r in ix.identifiers.get(self.org.get("id", ""), [])
            if r.get("identifier_scheme") == terms.SLUG_SCHEME
            and r.get("identifier_type") == terms.SLUG_TYPE
        ]
        self.native = bool(ident)
        self.ident = ident[0] if ident else None
        self.source_name = source_name
        self.rec: dict[str, Any] = {}
        self.out = Mapped(self.rec, {"_service": ix.src("service", service, "id")})

    # ---- helpers -------------------------------------------------------------------------

    def put(self, name: str, value: Any, src: Source | None = None) -> None:
        self.rec[name] = value
        if src is not None:
            self.out.sources[name] = src

    def lacking(self, name: str, default: Any, what: str) -> None:
        """``name`` is not in the feed: a problem for our own export, else the default."""
        if self.native:
            file, row, col = self.out.sources["_service"]
            self.out.problems.append(Problem(file, row, col, f"listing field {name!r}: {what}"))
            self.out.lacking.add(name)
            return
        self.rec[name] = default
        self.note(f"{name}: {what}; set to {default!r}")

    def note(self, text: str) -> None:
        self.out.notes.append(f"service {self.svc['id']} ({self.svc.get('name', '')}): {text}")

    def _text(self) -> str:
        return " ".join(
            [self.svc.get("name", ""), self.svc.get("alternate_name", ""),
             self.svc.get("description", "")]
        ).lower()  # fmt: skip

    # ---- the mapping ---------------------------------------------------------------------

    def build(self) -> Mapped:
        self._identity()
        self._attributes()
        self._places()
        self._contact_details()
        self._fees()
        self._capacity()
        self.out.record = {k: self.rec[k] for k in RECORD_KEYS if k in self.rec}
        return self.out

    def _identity(self) -> None:
        svc, ix = self.svc, self.ix
        if self.ident:
            self.put("slug", self.ident["identifier"],
                     ix.src("organization_identifier", self.ident, "identifier"))  # fmt: skip
        else:
            base = slugify(svc.get("name", ""))[:80].strip("-") or "service"
            self.put("slug", f"{base}-{svc['id'][:8].lower()}", ix.src("service", svc, "name"))
        contacts = ix.by_service["contact"].get(svc["id"], [])
        if self.native and contacts:
            self.put("name", contacts[0].get("name", ""), ix.src("contact", contacts[0], "name"))
        elif self.native:
            self.lacking("name", "", "no contact row for the counselor")
        else:
            name = svc.get("name", "")
            org_name = self.org.get("name", "")
            if org_name and org_name.lower() not in name.lower():
                name = f"{name} ({org_name})"
            self.put("name", name[:120], ix.src("service", svc, "name"))
            self.note("name: the feed names a service, not a counselor; its name is used")
        description = svc.get("description", "")
        if self.native:
            self.put("bio", description, ix.src("service", svc, "description"))
        else:
            origin = (
                f"Imported from the HSDS feed {self.source_name!r} (service {svc['id']}). "
                "This is a service from another directory, not a counselor listed by this "
                "portal: its licence and other details marked as not in the feed are "
                "placeholders."
            )
            self.put(
                "bio", f"{origin} {description}".strip(), ix.src("service", svc, "description")
            )
        assured = svc.get("assured_date") or (svc.get("last_modified") or "")[:10]
        if assured:
            self.put("last_verified", assured, ix.src("service", svc, "assured_date"))
        else:
            self.lacking("last_verified", FOREIGN_DEFAULTS["last_verified"], "no assured_date")

    def _attributes(self) -> None:
        found: dict[str, list[str]] = defaultdict(list)
        for link in (self.svc["id"], self.org.get("id", "")):
            for row in self.ix.attributes.get(link, []):
                tax_name, code = self.ix.term.get(row["taxonomy_term_id"], ("", ""))
                tax = terms.by_name().get(tax_name)
                if tax is None:
                    if not self.native:
                        self.note(f"attribute {code!r} of taxonomy {tax_name!r} not mapped")
                    continue
                src = self.ix.src("attribute", row, "taxonomy_term_id")
                if tax.name == terms.AVAILABILITY_TAXONOMY:
                    continue  # this directory's own observations, never loaded
                if tax.name == "portal-flags":
                    if code in terms.FLAG_FIELDS:
                        self.put(terms.FLAG_FIELDS[code], True, src)
                    else:
                        self.out.problems.append(
                            Problem(*src[:2], src[2], f"unknown flag {code!r}")
                        )
                elif tax.name == "portal-listing":
                    name = terms.LISTING_FIELD_BY_CODE.get(code)
                    if name is None:
                        self.out.problems.append(
                            Problem(*src[:2], src[2], f"unknown field {code!r}")
                        )
                        continue
                    found[name].append(row.get("value", ""))
                    self.out.sources.setdefault(name, self.ix.src("attribute", row, "value"))
                else:
                    found[tax.field].append(code)
                    self.out.sources.setdefault(tax.field, src)
        for tax in terms.taxonomies():
            if tax.field and tax.field in found:
                values = found.pop(tax.field)
                self.put(tax.field, values[0] if tax.single else values)
        for _code, name, _n, _d in terms.LISTING_FIELDS:
            values = found.get(name, [])
            if name in terms.LIST_LISTING_FIELDS:
                if values:
                    self.put(name, values)
            elif values:
                value: Any = values[0]
                if name in terms.INT_LISTING_FIELDS and re.fullmatch(r"-?\d+", value):
                    value = int(value)
                self.put(name, value)
        text = self._text()
        if "sees" not in self.rec and not self.native:
            guess = [s for s, words in SEES_WORDS.items() if any(w in text for w in words)]
            self.lacking("sees", guess or FOREIGN_DEFAULTS["sees"], "no portal-sees attribute")
        if "specialties" not in self.rec and not self.native:
            guess = [s for s, words in SPECIALTY_WORDS.items() if any(w in text for w in words)]
            self.lacking(
                "specialties",
                guess or FOREIGN_DEFAULTS["specialties"],
                "no portal-specialty attribute",
            )
        for name, default, what in (
            ("sees", FOREIGN_DEFAULTS["sees"], "no portal-sees attribute"),
            ("specialties", FOREIGN_DEFAULTS["specialties"], "no portal-specialty attribute"),
            ("gender", FOREIGN_DEFAULTS["gender"], "no portal-gender attribute"),
            ("licence_type", FOREIGN_DEFAULTS["licence_type"], "no portal-licence attribute"),
            ("licence_number", FOREIGN_DEFAULTS["licence_number"], "no licence-number attribute"),
            ("years_in_practice", FOREIGN_DEFAULTS["years_in_practice"],
             "no years-in-practice attribute"),
            ("reply_days", FOREIGN_DEFAULTS["reply_days"], "no reply-days attribute"),
        ):  # fmt: skip
            if name not in self.rec:
                self.lacking(name, default, what)
        self.rec.setdefault("pronouns", found.get("pronouns", [""])[0])
        for name in ("trainings", "modalities", "insurance"):
            self.rec.setdefault(name, [])
        for name in ("children_age_min", "children_age_max", "next_opening"):
            self.rec.setdefault(name, None)
        for name in terms.FLAG_FIELDS.values():
            self.rec.setdefault(name, False)

    def _office(self, locations: list[Row]) -> None:
        ix = self.ix
        physical = [loc for loc in locations if loc.get("location_type") == "physical"]
        self.put("office", None)
        self.put("office_accessible", None)
        if not physical:
            return
        loc = physical[0]
        addresses = ix.addresses.get(loc["id"], [])
        address = next((a for a in addresses if a.get("address_type") == "physical"), None)
        address = address or (addresses[0] if addresses else None)
        if address is None:
            self.lacking("office", None, f"location {loc['id']} has no address")
            return
        city = address.get("city", "")
        state = address.get("state_province", "")
        zip_code = address.get("postal_code", "")
        if not self.native:
            where = f"{city}, {state} {zip_code}"
            zip_code = zip_code[:5]
            known = zip_index().get(zip_code)
            if address.get("country", "US") not in ("US", "USA", "") or state not in US_STATES:
                self.note(f"office: {where!r} is not a US address; not mapped")
                return
            if known is None or known[0] != state:
                self.note(f"office: {where!r} has no ZIP code known in {state}; not mapped")
                return
        self.put("office", {"city": city, "state": state, "zip": zip_code},
                 ix.src("address", address, "postal_code"))  # fmt: skip
        self.out.sources["office.city"] = ix.src("address", address, "city")
        self.out.sources["office.state"] = ix.src("address", address, "state_province")
        access = ix.accessibility.get(loc["id"], [])
        if access:
            src = ix.src("accessibility", access[0], "description")
            text = access[0].get("description", "")
            if text in (terms.ACCESSIBLE, terms.NOT_ACCESSIBLE):
                self.put("office_accessible", text == terms.ACCESSIBLE, src)
            else:
                self.put("office_accessible", True, src)
                if not self.native:
                    self.note("office_accessible: the location describes its access; set to True")
        elif not self.native:
            self.put("office_accessible", False)
            self.note("office_accessible: no accessibility row; set to False")

    def _places(self) -> None:
        ix = self.ix
        locations = [
            ix.locations[s["location_id"]]
            for s in ix.sal.get(self.svc["id"], [])
            if s.get("location_id") in ix.locations
        ]
        self._office(locations)
        office = self.rec["office"]
        if "formats" not in self.rec:
            formats = ["in-person"] if office else []
            schedules = ix.by_service["schedule"].get(self.svc["id"], [])
            text = " ".join([self._text(), *(s.get("attending_type", "") for s in schedules)])
            remote = any(loc.get("location_type") == "virtual" for loc in locations) or any(
                w in text.lower() for w in ("video", "online", "remote")
            )
            if remote:
                formats.append("video")
            if formats and not self.native:
                self.put("formats", formats)
                self.note(f"formats: from its locations and wording; set to {formats!r}")
            else:
                self.lacking("formats", FOREIGN_DEFAULTS["formats"], "no portal-format attribute")
        if "licence_states" not in self.rec:
            state = office["state"] if office else FOREIGN_DEFAULTS["licence_state"]
            self.lacking("licence_states", [state], "no licence-state attribute")
        if "telehealth_states" not in self.rec:
            remote = {"video", "phone"} & set(self.rec.get("formats", []))
            if remote and not self.native:
                self.put("telehealth_states", list(self.rec.get("licence_states", [])))
            else:
                self.put("telehealth_states", [])

    def _contact_details(self) -> None:
        ix, svc = self.ix, self.svc
        phones = ix.by_service["phone"].get(svc["id"]) or ix.org_phones.get(self.org.get("id"), [])
        if phones:
            number = phones[0].get("number", "")
            src = ix.src("phone", phones[0], "number")
            if self.native or PHONE_RE.match(number):
                self.put("phone", number, src)
            else:
                self.put("phone", FOREIGN_DEFAULTS["phone"], src)
                self.note(f"phone {number!r} not loaded: this portal holds only fictional "
                          f"555-01xx numbers; set to {FOREIGN_DEFAULTS['phone']!r}")  # fmt: skip
        else:
            self.lacking("phone", FOREIGN_DEFAULTS["phone"], "no phone row")
        email, src = svc.get("email", ""), ix.src("service", svc, "email")
        if not email and self.org.get("email"):
            email, src = self.org["email"], ix.src("organization", self.org, "email")
        if self.native or (email and EMAIL_RE.match(email)):
            self.put("email", email, src)
        else:
            what = f"{email!r} is not on example.org/.com/.net" if email else "no e-mail"
            self.lacking("email", FOREIGN_DEFAULTS["email"], what)
        website, src = svc.get("url", ""), ix.src("service", svc, "url")
        if not website and self.org.get("website"):
            website, src = self.org["website"], ix.src("organization", self.org, "website")
        if website and not self.native and not WEBSITE_RE.match(website):
            self.note(f"website {website!r} not loaded: not an https:// example.* address")
            website = ""
        self.put("website", website or None, src)
        codes: list[str] = []
        known = labels("language")
        by_name = {label.lower(): code for code, label in known.items()}
        for row in ix.by_service["language"].get(svc["id"], []):
            code = (row.get("code") or "").lower()
            if not self.native and code not in known:
                code = by_name.get((row.get("name") or "").lower(), code)
                if code not in known:
                    self.note(f"language {row.get('name') or code!r} is not in the portal's list")
                    continue
            if code not in codes or self.native:
                codes.append(code)
                self.out.sources.setdefault("languages", ix.src("language", row, "code"))
        if codes:
            self.put("languages", codes)
        else:
            self.lacking("languages", FOREIGN_DEFAULTS["languages"], "no language it knows")

    def _fees(self) -> None:
        ix = self.ix
        standard: list[int] = []
        self.put("sliding_scale", False)
        self.put("sliding_floor", None)
        self.put("free_consult", False)
        for row in ix.by_service["cost_option"].get(self.svc["id"], []):
            amount = _number(row.get("amount"))
            src = ix.src("cost_option", row, "amount")
            option = row.get("option", "")
            if amount is None:
                if not self.native:
                    self.note(f"cost option {option!r} has no amount; not mapped")
                continue
            whole = round(amount)
            currency = (row.get("currency") or "USD").upper()
            if currency != "USD" and not self.native:
                self.note(f"fee {amount:g} {currency} used as US dollars")
            if option == terms.FEE_SLIDING:
                self.put("sliding_scale", True, src)
                self.put("sliding_floor", whole, src)
            elif option == terms.FEE_CONSULT or whole == 0:
                self.put("free_consult", True, src)
            else:
                standard.append(whole)
                self.out.sources.setdefault("fee_min", src)
                self.out.sources.setdefault("fee_max", src)
        if standard:
            self.put("fee_min", min(standard))
            self.put("fee_max", max(standard))
        else:
            self.lacking("fee_min", FOREIGN_DEFAULTS["fee"], "no cost_option with an amount")
            self.lacking("fee_max", FOREIGN_DEFAULTS["fee"], "no cost_option with an amount")

    def _capacity(self) -> None:
        ix = self.ix
        rows = ix.by_service["service_capacity"].get(self.svc["id"], [])
        if rows:
            available = _number(rows[0].get("available")) or 0
            self.put("accepting", available > 0, ix.src("service_capacity", rows[0], "available"))
        elif self.native:
            self.lacking("accepting", True, "no service_capacity row")
        else:
            accepting = self.svc.get("status") == "active"
            self.put("accepting", accepting, ix.src("service", self.svc, "status"))
            self.note(f"accepting: no service_capacity row; set to {accepting} from its status")


def map_package(package: Package, source_name: str) -> list[Mapped]:
    """One ``Mapped`` per active service, in the services file's order."""
    ix = _Index(package)
    out = []
    for service in package.rows("service"):
        if service.get("status") in SKIPPED_STATUS:
            package.notes.append(
                f"service {service['id']}: status {service['status']!r}; not imported"
            )
            continue
        out.append(_Builder(ix, service, source_name).build())
    return out
