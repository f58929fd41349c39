"""The portal's custom HSDS taxonomies and the fixed wording the HSDS export and import share.

HSDS has no columns for most of what a counselor listing holds, so those facts travel as
``attribute`` rows against terms of custom taxonomies (``taxonomy`` / ``taxonomy_term``):

* classifications, one attribute per value, ``value`` empty: ``portal-sees``,
  ``portal-specialty``, ``portal-modality``, ``portal-training``, ``portal-licence``,
  ``portal-format``, ``portal-insurance``, ``portal-gender``, and ``portal-flags`` (present = true);
* fields with a value, in ``attribute.value``: the terms of ``portal-listing`` (pronouns, licence
  number, licence and telehealth states, years in practice, children's ages, reply days, next
  opening).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from portal.opendata.records import labels, stable_id, vocabulary


@dataclass(frozen=True)
class Taxonomy:
    name: str  # HSDS taxonomy.name, e.g. "portal-specialty"
    field: str  # seed record field, e.g. "specialties" (a list, or one slug for single=True)
    description: str
    terms: tuple[tuple[str, str, str], ...]  # (code, name, description)
    single: bool = False

    @property
    def id(self) -> str:
        return stable_id("taxonomy", self.name)

    def term_id(self, code: str) -> str:
        return _term_id(self.name, code)


@functools.lru_cache(maxsize=4096)
def _term_id(taxonomy: str, code: str) -> str:
    return stable_id("taxonomy_term", taxonomy, code)


def _vocab(vocab: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((t["slug"], t["label"], t.get("long") or t["label"]) for t in vocabulary()[vocab])


FLAGS: tuple[tuple[str, str, str], ...] = (
    ("screens-individually", "Screens each person individually",
     "Meets each person alone before any joint session, to check for safety."),
    ("dv-trained", "Domestic violence trained", "Has training in domestic violence."),
    ("trauma-informed", "Trauma-informed", "Describes their practice as trauma-informed."),
    ("superbills", "Provides superbills", "Gives superbills for out-of-network reimbursement."),
    ("evenings", "Evening appointments", "Offers appointments in the evening."),
    ("weekends", "Weekend appointments", "Offers appointments at weekends."),
)  # fmt: skip
FLAG_FIELDS = {
    "screens-individually": "screens_individually",
    "dv-trained": "dv_trained",
    "trauma-informed": "trauma_informed",
    "superbills": "superbills",
    "evenings": "evenings",
    "weekends": "weekends",
}

# portal-listing terms: (code, record field, name, description)
LISTING_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("pronouns", "pronouns", "Pronouns", "The counselor's pronouns."),
    ("licence-number", "licence_number", "Licence number",
     "The counselor's licence number (fictional: it contains FAKE)."),
    ("licence-state", "licence_states", "Licensed in", "A US state the licence is valid in."),
    ("telehealth-state", "telehealth_states", "Telehealth in",
     "A US state whose residents the counselor sees by video or phone."),
    ("years-in-practice", "years_in_practice", "Years in practice", "Whole years."),
    ("children-age-min", "children_age_min", "Youngest child seen", "Age in years."),
    ("children-age-max", "children_age_max", "Oldest child seen", "Age in years."),
    ("reply-days", "reply_days", "Replies within", "Business days to answer a new enquiry."),
    ("next-opening", "next_opening", "Next opening", "Date of the next opening (YYYY-MM-DD)."),
)  # fmt: skip
AVAILABILITY_TAXONOMY = "portal-availability"
AVAILABILITY_TERMS: tuple[tuple[str, str, str], ...] = (
    ("availability-confirmed", "Confirmed by the counselor",
     "The day the counselor last confirmed the listing's availability (YYYY-MM-DD)."),
    ("reports-30d-no-answer", "Reported: no answer",
     "Anonymous reports in the last 30 days of no answer after a week."),
    ("reports-30d-not-taking", "Reported: not taking new clients",
     "Anonymous reports in the last 30 days of not taking new clients."),
    ("reports-30d-got-consult", "Reported: got a consultation",
     "Anonymous reports in the last 30 days of getting a consultation."),
)  # fmt: skip
LIST_LISTING_FIELDS = frozenset({"licence_states", "telehealth_states"})
INT_LISTING_FIELDS = frozenset(
    {"years_in_practice", "children_age_min", "children_age_max", "reply_days"}
)


@functools.cache
def taxonomies() -> tuple[Taxonomy, ...]:
    """Every custom taxonomy, in export order."""
    return (
        Taxonomy("portal-sees", "sees", "Who the counselor sees.", _vocab("sees")),
        Taxonomy("portal-specialty", "specialties", "Counselor specialties.", _vocab("specialty")),
        Taxonomy("portal-modality", "modalities", "Therapy approaches.", _vocab("modality")),
        Taxonomy("portal-training", "trainings", "Further training.", _vocab("training")),
        Taxonomy("portal-licence", "licence_type", "Licence type.", _vocab("licence"), single=True),
        Taxonomy("portal-format", "formats", "Session formats.", _vocab("format")),
        Taxonomy("portal-insurance", "insurance", "Insurance accepted.", _vocab("insurance")),
        Taxonomy("portal-gender", "gender", "The counselor's gender.", _vocab("gender"), True),
        Taxonomy("portal-flags", "", "Yes/no facts; an attribute means yes.", FLAGS),
        Taxonomy(
            "portal-listing",
            "",
            "Listing fields HSDS has no column for; the value is in attribute.value.",
            tuple((code, name, desc) for code, _f, name, desc in LISTING_FIELDS),
        ),
        Taxonomy(
            AVAILABILITY_TAXONOMY,
            "",
            "Whether the listing can be trusted to answer; the value is in attribute.value. "
            "Observed by this directory, not loaded from a package.",
            AVAILABILITY_TERMS,
        ),
    )


@functools.cache
def by_name() -> dict[str, Taxonomy]:
    return {t.name: t for t in taxonomies()}


LISTING_FIELD_BY_CODE = {code: field for code, field, _n, _d in LISTING_FIELDS}

# Fixed wording the importer recognises in our own exports.
FEE_STANDARD = "Standard session fee"
FEE_SLIDING = "Sliding scale"
FEE_CONSULT = "Free consultation"
ACCESSIBLE = "The office is wheelchair accessible."
NOT_ACCESSIBLE = "The office is not wheelchair accessible."
SLUG_SCHEME = "portal"
SLUG_TYPE = "listing-slug"
UNIT_NAME = "new clients"
FICTIONAL_ALERT = (
    "FICTIONAL SAMPLE DATA: this counselor does not exist. Do not call or write to them."
)


def licence_label(slug: str) -> str:
    return labels("licence").get(slug, slug.upper())


def licence_long(slug: str) -> str:
    for term in vocabulary()["licence"]:
        if term["slug"] == slug:
            return term.get("long") or term["label"]
    return slug.upper()
