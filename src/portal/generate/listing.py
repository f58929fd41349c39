"""One fictional listing, drawn step by step from one ``random.Random``.

The steps run in a fixed order and each draws from the same generator, so reordering them
changes every listing after the first: the checked-in seed file pins that order.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from portal.generate.bios import BioComposer
from portal.generate.clinical import Clinical, clinical_profile
from portal.generate.data import (
    HERITAGE_LANG,
    KAISER_STATES,
    LANGUAGE_NAMES,
    LICENCE_BY_ROLE,
    LMHC_STATES,
    NAMES,
    SPANISH_ONLY_METROS,
    STATE_AREA,
    STATES,
    Metro,
    Pairs,
)
from portal.generate.rules import join_words, num, ordered, pick_weighted, slugify, states_ordered
from portal.states import STATE_NAMES

ANCHOR = date(2026, 11, 20)
"""'Today' for the generated data: verification and opening dates are relative to it."""
OPENING_LAST = date(2027, 2, 28)

# Heritage of a telehealth-only clinician (a metro brings its own weights).
REMOTE_HERITAGE: Pairs = (
    ("general", 78), ("hispanic", 12), ("south-asian", 3), ("chinese", 2), ("korean", 1),
    ("vietnamese", 1), ("arab", 1), ("russian", 1), ("somali", 1),
)  # fmt: skip
REPLY_DAYS: Pairs = (("1", 25), ("2", 30), ("3", 20), ("4", 10), ("5", 8), ("6", 4), ("7", 3))
FEE_RANGE = {1: (60, 160), 2: (80, 200), 3: (110, 250)}  # by metro tier


@dataclass(frozen=True)
class Office:
    zip: str
    city: str
    state: str
    area: str
    metro: Metro | None
    slug_place: str


@dataclass(frozen=True)
class Person:
    gender: str
    pronouns: str
    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@functools.lru_cache(maxsize=64)
def _boost(pairs: Pairs) -> Pairs:
    """Smaller language communities get twice their weight, so that every language filter
    finds a few clinicians."""
    return tuple((h, w if h in ("general", "hispanic") else 2 * w) for h, w in pairs)


class Generator:
    def __init__(self, seed: int, synthetic: bool) -> None:
        self.rng = random.Random(seed)
        self.synthetic = synthetic
        self.bios = BioComposer(self.rng, balance=not synthetic)
        self.slugs: set[str] = set()
        self.phones: set[str] = set()
        self.seen_bios: set[str] = set()
        self.index = 0

    # ---- who ----
    def _heritage(self, metro: Metro | None, force: frozenset[str]) -> str:
        if "es" in force:
            return "hispanic"
        weights = _boost(metro.heritage) if metro else REMOTE_HERITAGE
        return pick_weighted(self.rng, weights)

    def _person(self, heritage: str) -> Person:
        rng = self.rng
        gender = pick_weighted(rng, (("woman", 66), ("man", 28), ("nonbinary", 6)))
        pools = NAMES[heritage]
        first = rng.choice(pools[gender])
        last = rng.choice(pools["last"])
        if gender == "woman":
            pronouns = "she/her" if rng.random() < 0.93 else "she/they"
        elif gender == "man":
            pronouns = "he/him" if rng.random() < 0.95 else "he/they"
        else:
            pronouns = "they/them"
        return Person(gender, pronouns, first, last)

    def _licence(self, role: str, home_state: str, clinical: Clinical) -> tuple[str, int]:
        """Licence type and years in practice."""
        rng = self.rng
        licence = pick_weighted(rng, LICENCE_BY_ROLE[role])
        if licence in ("lpc", "lmhc"):
            licence = "lmhc" if home_state in LMHC_STATES else "lpc"
        years = rng.randint(2, 34)
        if licence in ("psyd", "phd"):
            years = max(years, 4)
        if "gottman-certified" in clinical.trainings or "iceeft-certified" in clinical.trainings:
            years = max(years, 7)
        return licence, years

    def _licence_states(
        self, licence: str, home_state: str, extra: Sequence[str], metro: Metro | None
    ) -> set[str]:
        """Home state, sometimes a neighbouring state, psychologists a few more."""
        rng = self.rng
        states = {home_state, *extra}
        if metro:
            for st in metro.neighbours:
                if rng.random() < 0.3:
                    states.add(st)
        if licence in ("psyd", "phd") and rng.random() < 0.3:
            states.update(rng.sample(STATES, rng.randint(2, 6)))
        return states

    def _formats(
        self,
        office: Office | None,
        home_state: str,
        licence_states: set[str],
        force: frozenset[str],
    ) -> tuple[set[str], set[str]]:
        """Session formats and the states served by telehealth."""
        rng = self.rng
        if office is None:
            formats = {"video"} | ({"phone"} if rng.random() < 0.45 else set())
        else:
            formats = {"in-person"}
            if rng.random() < 0.8 or "video" in force:
                formats.add("video")
            if rng.random() < 0.2:
                formats.add("phone")
        telehealth: set[str] = set()
        if formats & {"video", "phone"}:
            telehealth = set(licence_states)
            if office is not None and len(licence_states) > 1 and rng.random() < 0.15:
                telehealth = {home_state}
        return formats, telehealth

    def _safety(self, role: str, clinical: Clinical, force: frozenset[str]) -> dict[str, bool]:
        rng = self.rng
        joint = bool({"couples", "co-parents"} & clinical.sees)
        dv_spec = "domestic-violence" in clinical.specialties
        screens = dv_spec or role == "dv" or (rng.random() < 0.76 if joint else rng.random() < 0.3)
        dv_trained = (
            dv_spec
            or "dv-advocacy" in clinical.trainings
            or "anger-accountability" in clinical.specialties
            or rng.random() < 0.3
        )
        trauma_informed = (
            dv_spec
            or "trauma" in clinical.specialties
            or "emdr" in clinical.modalities
            or rng.random() < 0.55
        )
        return {
            "screens_individually": screens or "screens" in force,
            "dv_trained": dv_trained,
            "trauma_informed": trauma_informed,
        }

    def _children(self, clinical: Clinical) -> tuple[int | None, int | None]:
        rng = self.rng
        if clinical.sees & {"families", "co-parents"} and rng.random() < 0.85:
            cmin = rng.choice((0, 0, 3, 4, 5, 6, 8, 10, 12))
            cmax = rng.choice(tuple(a for a in (10, 12, 14, 16, 17, 18, 18, 18) if a > cmin))
            return cmin, cmax
        return None, None

    def _fees(self, licence: str, metro: Metro | None, force: frozenset[str]) -> dict[str, Any]:
        rng = self.rng
        tier = metro.tier if metro else rng.choice((1, 2))
        lo, hi = FEE_RANGE[tier]
        fee_min = rng.randrange(lo, hi + 1, 5)
        if licence in ("psyd", "phd"):
            fee_min = min(fee_min + 25, 255)
        fee_max = min(275, fee_min + rng.choice((0, 0, 10, 20, 25, 30, 40, 50, 60)))
        sliding = rng.random() < (0.45 if licence == "lcsw" else 0.33) or "sliding" in force
        floor = None
        if sliding:
            floor = max(30, int(fee_min * rng.uniform(0.3, 0.7)) // 5 * 5)
            floor = min(floor, fee_min)
        return {
            "fee_min": fee_min,
            "fee_max": fee_max,
            "sliding_scale": sliding,
            "sliding_floor": floor,
            "free_consult": rng.random() < 0.6,
        }

    def _insurance(self, licence: str, home_state: str) -> tuple[set[str], bool]:
        """Plans accepted, and whether superbills are offered."""
        rng = self.rng
        insurance: set[str] = set()
        if rng.random() > 0.45:
            plans = ["aetna", "blue-cross", "cigna", "optum", "humana", "magellan", "tricare"]
            if home_state in KAISER_STATES:
                plans.append("kaiser")
            insurance.update(rng.sample(plans, rng.randint(1, 4)))
            if rng.random() < (0.35 if licence == "lcsw" else 0.12):
                insurance.add("medicaid")
            if licence in ("lcsw", "lmft", "psyd", "phd") and rng.random() < 0.2:
                insurance.add("medicare")
        return insurance, rng.random() < (0.85 if not insurance else 0.35)

    def _languages(self, heritage: str, metro: Metro | None, force_es: bool) -> list[str]:
        rng = self.rng
        langs = ["en"]
        for lang, p in HERITAGE_LANG[heritage]:
            if rng.random() < p:
                langs.append(lang)
        if force_es and "es" not in langs:
            langs.append("es")
        if (
            "es" in langs
            and metro is not None
            and metro.slug in SPANISH_ONLY_METROS
            and not force_es
            and rng.random() < 0.04
        ):
            langs.remove("en")
        return ordered("language", langs)

    def _availability(self, force: frozenset[str]) -> dict[str, Any]:
        rng = self.rng
        accepting = rng.random() >= 0.15 or "open" in force
        next_opening = None
        if accepting:
            span = (OPENING_LAST - ANCHOR).days
            next_opening = (
                ANCHOR + timedelta(days=min(rng.randint(0, span), rng.randint(0, span)))
            ).isoformat()
        reply_days = int(pick_weighted(rng, REPLY_DAYS))
        r = rng.random()
        if r < 0.10:
            verified_age = rng.randint(201, 430)
        elif r < 0.16:
            verified_age = rng.randint(121, 200)
        else:
            verified_age = rng.randint(0, 120)
        if "open" in force:
            verified_age = verified_age % 90
        return {
            "accepting": accepting,
            "next_opening": next_opening,
            "reply_days": reply_days,
            "last_verified": (ANCHOR - timedelta(days=verified_age)).isoformat(),
        }

    # ---- identity & contact ----
    def _phone(self, area: str) -> str:
        rng = self.rng
        for _ in range(200):
            phone = f"{area}-555-01{rng.randint(0, 99):02d}"
            if self.synthetic or phone not in self.phones:
                self.phones.add(phone)
                return phone
        return phone

    def _slug(self, base: str) -> str:
        if self.synthetic:
            return f"{base}-{self.index}"
        slug, i = base, 2
        while slug in self.slugs:
            slug = f"{base}-{i}"
            i += 1
        self.slugs.add(slug)
        return slug

    def _contact(
        self, person: Person, licence: str, office: Office | None, home_state: str
    ) -> dict[str, Any]:
        rng = self.rng
        place = office.slug_place if office else "telehealth"
        slug = self._slug(f"{slugify(person.first)}-{slugify(person.last)}-{licence}-{place}")
        phone = self._phone(office.area if office else STATE_AREA[home_state])
        f_s = slugify(person.first).replace("-", "")
        l_s = slugify(person.last).replace("-", "")
        tld = rng.choice(("org", "com", "net"))
        practice = rng.choice(
            (
                f"{l_s}counseling",
                f"{f_s}{l_s}therapy",
                f"{l_s}familytherapy",
                f"{f_s}{l_s}",
                f"{l_s}couples",
                f"{place.replace('-', '')}{l_s}",
            )
        )
        email = rng.choice(
            (
                f"{f_s}@{practice}.example.{tld}",
                f"{f_s}.{l_s}@example.{tld}",
                f"hello@{practice}.example.{tld}",
                f"{f_s[0]}{l_s}@example.{tld}",
                f"intake@{practice}.example.{tld}",
            )
        )
        website = f"https://{practice}.example.com" if rng.random() < 0.78 else None
        return {"slug": slug, "phone": phone, "email": email, "website": website}

    # ---- bio ----
    def _bio_context(
        self,
        rec: dict[str, Any],
        clinical: Clinical,
        office: Office | None,
        home_state: str,
    ) -> dict[str, Any]:
        """The values a bio's sentence templates may name."""
        rng = self.rng
        metro = office.metro if office else None
        if office:
            city = office.city
            hood = rng.choice(metro.hoods) if metro else office.city
            county = metro.county if metro else f"{office.city}-area"
        else:
            city = hood = county = STATE_NAMES[home_state]
        years = rec["years_in_practice"]
        levels = [lv for lv in ("3", "2", "1") if f"gottman-level-{lv}" in clinical.trainings]
        tele_names = [STATE_NAMES[s] for s in rec["telehealth_states"]]
        return {
            "city": city,
            "hood": hood,
            "county": county,
            "years": num(years),
            "n": num(rng.randint(3, max(3, min(12, years - 1)))),
            "party": "parent"
            if "co-parents" in clinical.sees and "couples" not in clinical.sees
            else "partner",
            "floor": rec["sliding_floor"],
            "langs": join_words([LANGUAGE_NAMES[x] for x in rec["languages"]]),
            "states": join_words(tele_names)
            if len(tele_names) <= 4
            else f"{len(tele_names)} states",
            "cmin": rec["children_age_min"],
            "cmax": rec["children_age_max"],
            "gottman_level": levels[0] if levels else "1",
            "reply": num(rec["reply_days"]),
            "fee_min": rec["fee_min"],
            "fee_max": rec["fee_max"],
            "reply_min": rng.choice(("fifteen", "twenty", "thirty")),
        }

    def _bio(self, rec: dict[str, Any], role: str, ctx: dict[str, Any]) -> str:
        bio = self.bios.compose(rec, role, ctx)
        for _ in range(20):  # the curated seed never repeats a bio
            if self.synthetic or bio not in self.seen_bios:
                break
            bio = self.bios.compose(rec, role, ctx)
        if not self.synthetic:
            self.seen_bios.add(bio)
        return bio

    # ---- one listing ----
    def listing(
        self,
        role: str,
        office: Office | None,
        home_state: str,
        extra_states: Sequence[str] = (),
        *,
        force: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        rng = self.rng
        self.index += 1
        metro = office.metro if office else None
        heritage = self._heritage(metro, force)
        person = self._person(heritage)
        clinical = clinical_profile(rng, role)
        licence, years = self._licence(role, home_state, clinical)
        licence_states = self._licence_states(licence, home_state, extra_states, metro)
        formats, telehealth = self._formats(office, home_state, licence_states, force)
        safety = self._safety(role, clinical, force)
        cmin, cmax = self._children(clinical)
        fees = self._fees(licence, metro, force)
        insurance, superbills = self._insurance(licence, home_state)
        languages = self._languages(heritage, metro, "es" in force)
        availability = self._availability(force)
        contact = self._contact(person, licence, office, home_state)

        rec: dict[str, Any] = {
            "slug": contact["slug"],
            "name": person.name,
            "pronouns": person.pronouns,
            "gender": person.gender,
            "licence_type": licence,
            "licence_number": (
                f"{home_state}-{licence.upper()}-FAKE-{rng.randint(100000, 999999)}"
            ),
            "licence_states": states_ordered(licence_states),
            "years_in_practice": years,
            "trainings": ordered("training", clinical.trainings),
            "sees": ordered("sees", clinical.sees),
            "children_age_min": cmin,
            "children_age_max": cmax,
            # the primary specialty stays first until the bio's opener is chosen
            "specialties": clinical.specialties,
            "modalities": ordered("modality", clinical.modalities),
            **safety,
            "formats": ordered("format", formats),
            "office": (
                {"city": office.city, "state": office.state, "zip": office.zip} if office else None
            ),
            "telehealth_states": states_ordered(telehealth),
            **fees,
            "insurance": ordered("insurance", insurance),
            "superbills": superbills,
            "languages": languages,
            "evenings": rng.random() < 0.55,
            "weekends": rng.random() < 0.25,
            "office_accessible": (rng.random() < 0.82) if office else None,
            **availability,
            "phone": contact["phone"],
            "email": contact["email"],
            "website": contact["website"],
            "bio": "",
        }
        rec["bio"] = self._bio(rec, role, self._bio_context(rec, clinical, office, home_state))
        rec["specialties"] = ordered("specialty", clinical.specialties)
        return rec
