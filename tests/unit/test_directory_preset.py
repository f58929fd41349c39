"""The directory a readiness result opens: the safety rule, and widening a thin preset."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from portal.directory import preset
from portal.directory.filters import DirectoryQuery, parse_query
from portal.directory.geo import ZipPoint
from portal.directory.taxonomy import taxonomy
from portal.i18n import translate

TAX = taxonomy()
JOINT_SEES = ("couples", "co-parents", "families", "parent-adult-child")


def locate(code: str) -> ZipPoint | None:
    return {"85004": ZipPoint("85004", "Phoenix", "AZ", 33.45, -112.07)}.get(code)


@dataclass
class Row:
    sees: list[str]
    modalities: list[str] = field(default_factory=list)


def rule() -> preset.SafetyRule:
    found = preset.safety_rule("D_SAFETY", {"sees": JOINT_SEES}, TAX)
    assert found is not None
    return found


# --- the safety rule ----------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["A_SELFHELP", "B_LIKELY", "C_NOW", None])
def test_only_safety_and_crisis_results_have_a_safety_rule(outcome: str | None) -> None:
    assert preset.safety_rule(outcome, {"sees": JOINT_SEES}, TAX) is None


@pytest.mark.parametrize("outcome", ["D_SAFETY", "E_CRISIS"])
def test_the_rule_rules_out_every_approach_the_taxonomy_marks_joint(outcome: str) -> None:
    found = preset.safety_rule(outcome, {"sees": JOINT_SEES}, TAX)
    assert found is not None
    joint = {t.slug for t in TAX.terms("modality") if t.joint}
    assert found.joint_modalities == joint
    assert {"family-mediation", "parenting-coordination", "discernment"} <= joint
    assert "co-parenting-counseling" in joint
    assert not {"cbt", "emdr", "trauma-focused"} & joint


def test_a_mediator_who_also_sees_individuals_is_not_suggested() -> None:
    said = rule().caution(Row(["individuals", "co-parents"], ["cbt", "family-mediation"]))
    assert said == (
        "Offers family mediation, with both people in the room, which is not safe after what "
        "you told us."
    )


def test_a_listing_that_sees_people_only_together_is_not_suggested() -> None:
    said = rule().caution(Row(["couples", "co-parents"], ["narrative"]))
    assert said is not None and said.startswith("Sees only couples and co-parents together")


def test_individual_work_is_fine() -> None:
    assert rule().caution(Row(["individuals", "families"], ["cbt", "emdr"])) is None


# --- the preset and its widening ----------------------------------------------------------


class Counter:
    """How many listings each query finds, by the steps a test names; records the queries."""

    def __init__(self, found: Any) -> None:
        self.found = found
        self.asked: list[DirectoryQuery] = []

    def __call__(self, q: DirectoryQuery) -> int:
        self.asked.append(q)
        return int(self.found(q))


SAFETY_FILTERS = {
    "sees": ["individuals"],
    "specialty": ["domestic-violence", "trauma"],
    "zip": "85004",
    "format": ["in-person"],
    "insurance": ["aetna"],
    "sliding_scale": "1",
    "evenings": "1",
}


def build(filters: dict[str, Any], found: Any, safety: preset.SafetyRule | None = None):
    counter = Counter(found)
    made = preset.build(
        filters, {}, taxonomy=TAX, locate=locate, count=counter, safety=safety or rule()
    )
    return made, counter


def test_a_preset_that_finds_three_is_not_widened() -> None:
    made, counter = build(SAFETY_FILTERS, lambda q: 3)
    assert made.widened == () and made.total == 3 and len(counter.asked) == 1
    assert made.query.radius == 25 and made.query.accepting


def test_the_radius_widens_first_and_the_page_says_so() -> None:
    made, _ = build(SAFETY_FILTERS, lambda q: 4 if q.radius >= 50 else 1)
    assert made.query.radius == 50 and made.query.zip == "85004"
    assert made.widened == ("We also included counselors up to 50 miles away.",)
    assert made.query.evenings and made.query.format == ("in-person",)


def test_then_telehealth_licensed_in_the_persons_state() -> None:
    made, _ = build(SAFETY_FILTERS, lambda q: 5 if q.state == "AZ" else 1 + (q.radius > 25))
    assert made.query.state == "AZ" and made.query.zip is None
    # A wider radius was tried on the way, but the list shown does not depend on it.
    assert len(made.widened) == 1 and "Arizona by video or phone" in made.widened[0]


def test_then_the_preferences_least_essential_first_one_at_a_time() -> None:
    def found(q: DirectoryQuery) -> int:
        return 1 + (not q.evenings) + (not q.format)

    made, _ = build(SAFETY_FILTERS, found)
    assert not made.query.evenings and not made.query.format
    assert made.query.insurance == ("aetna",) and made.query.sliding_scale
    assert made.widened[-2:] == (
        "We also included counselors without evening or weekend hours.",
        "We also included counselors without the format you chose.",
    )
    assert made.total == 3


def test_steps_that_find_no_one_alone_add_up_and_only_the_needed_ones_are_said() -> None:
    def found(q: DirectoryQuery) -> int:
        return 3 if not q.evenings and not q.insurance else 0

    made, _ = build(SAFETY_FILTERS, found)
    assert made.total == 3
    assert not made.query.evenings and not made.query.insurance
    # The radius and the format were let go of on the way, and are given back.
    assert made.query.radius == 25 and made.query.format == ("in-person",)
    assert made.query.sliding_scale
    assert made.widened == (
        "We also included counselors without evening or weekend hours.",
        "We also included counselors without your insurance.",
    )


COUPLE_FILTERS = {
    "sees": ["couples"],
    "specialty": ["perinatal"],
    "modality": ["eft", "gottman"],
    "zip": "85004",
    "language": ["es"],
    "screens_individually": "1",
    "evenings": "1",
}


def build_without_rule(filters: dict[str, Any], found: Any):
    counter = Counter(found)
    made = preset.build(filters, {}, taxonomy=TAX, locate=locate, count=counter, safety=None)
    return made, counter


def test_without_a_safety_rule_a_specialty_then_the_approaches_go_last() -> None:
    made, _ = build_without_rule(COUPLE_FILTERS, lambda q: 0 if q.specialty else 4)
    assert made.total == 4 and made.query.specialty == ()
    assert made.query.modality == ("eft", "gottman") and made.query.evenings
    assert made.widened == ("We also included counselors without the specialties we looked for.",)

    made, counter = build_without_rule(COUPLE_FILTERS, lambda q: 0)
    assert made.total == 0 and made.widened == ()
    for q in [*counter.asked, made.query]:
        assert q.sees == ("couples",) and q.language == ("es",) and q.screens_individually


def test_widening_never_lets_go_of_what_defines_the_help_or_the_safety_rule() -> None:
    made, counter = build(
        {**SAFETY_FILTERS, "language": ["es"], "screens_individually": "1"}, lambda q: 0
    )
    for q in [*counter.asked, made.query]:
        assert q.sees == ("individuals",)
        assert q.specialty == ("domestic-violence", "trauma")
        assert q.language == ("es",) and q.screens_individually
        assert set(q.exclude_modality) == rule().joint_modalities
    assert made.total == 0


def test_a_safety_preset_never_asks_for_joint_sees_or_approaches() -> None:
    made, _ = build(
        {"sees": ["couples", "individuals"], "modality": ["family-mediation", "cbt"]},
        lambda q: 9,
    )
    assert made.query.sees == ("individuals",)
    assert made.query.modality == ("cbt",)
    assert "family-mediation" in made.query.exclude_modality


def test_without_a_safety_rule_nothing_is_left_out() -> None:
    counter = Counter(lambda q: 9)
    made = preset.build(
        {"sees": ["couples"], "modality": ["gottman"]},
        {},
        taxonomy=TAX,
        locate=locate,
        count=counter,
        safety=None,
    )
    assert made.query.sees == ("couples",) and made.query.exclude_modality == ()


def test_the_page_and_sort_come_from_the_address() -> None:
    _, counter = build(SAFETY_FILTERS, lambda q: 40, safety=None)
    again = preset.build(
        SAFETY_FILTERS,
        {"sort": ["fee"], "page": ["2"], "specialty": ["grief"]},
        taxonomy=TAX,
        locate=locate,
        count=counter,
        safety=rule(),
    )
    assert again.query.sort == "fee" and again.query.page == 2
    assert again.query.specialty == ("domestic-violence", "trauma")


# --- addresses ----------------------------------------------------------------------------


def test_a_preset_page_address_carries_the_marker_page_and_sort_alone() -> None:
    made, _ = build(SAFETY_FILTERS, lambda q: 40)
    assert preset.neutral_query_string(made.query) == "from=readiness"
    later = replace(made.query, page=3, sort="fee")
    assert preset.neutral_query_string(later) == "from=readiness&sort=fee&page=3"


def test_a_link_is_told_from_a_submitted_form() -> None:
    assert preset.is_marker_only({"from": ["readiness"], "sort": ["fee"], "page": ["2"]})
    assert not preset.is_marker_only({"from": ["readiness"], "sees": ["individuals"]})


def test_a_form_sent_back_unchanged_changes_nothing() -> None:
    made, _ = build(SAFETY_FILTERS, lambda q: 40)
    submitted = parse_query({**made.query.to_params(), "sort": ["fee"]}, TAX, locate).query
    assert preset.changed_by_hand(made.query, submitted) is None


def test_a_caution_names_who_they_see_in_the_page_language() -> None:
    one = rule().caution(Row(sees=["couples"]))
    assert translate(one, "es") == (
        "Solo atiende a parejas en sesiones conjuntas, y eso no es seguro después de lo que "
        "nos contó."
    )
    assert "couples" not in translate(rule().caution(Row(sees=["couples", "families"])), "es")


def test_filters_changed_by_hand_are_kept_with_the_result_under_its_safety_rule() -> None:
    made, _ = build(SAFETY_FILTERS, lambda q: 40)
    params = {**made.query.to_params(), "radius": ["100"], "language": ["es"]}
    params["specialty"] = [*made.query.specialty, "grief"]
    params["sees"] = [*made.query.sees, "couples"]
    submitted = parse_query(params, TAX, locate).query
    by_hand = preset.changed_by_hand(made.query, submitted)
    assert by_hand is not None and by_hand["radius"] == ["100"]
    assert "grief" in by_hand["specialty"] and "zip" not in by_hand
    again = preset.build(
        SAFETY_FILTERS,
        {},
        taxonomy=TAX,
        locate=locate,
        count=lambda q: 40,
        safety=rule(),
        by_hand=by_hand,
    )
    assert set(again.query.specialty) == {*made.query.specialty, "grief"}
    assert again.query.sees == made.query.sees  # "couples" is ruled out
    assert again.query.radius == 100 and again.query.language == ("es",)
    assert again.query.exclude_modality == made.query.exclude_modality  # the safety rule holds


def test_what_the_person_set_takes_the_place_of_the_results_filters() -> None:
    params = preset.preset_params(SAFETY_FILTERS)
    set_by_hand = {"radius": ["100"], "insurance": [], "specialty": ["grief"]}
    merged = preset.with_changes(params, set_by_hand)
    assert merged["radius"] == ["100"] and "insurance" not in merged  # cleared by hand
    assert merged["specialty"] == ["grief"]
    assert merged["zip"] == params["zip"]
    assert preset.with_changes(params, None) == params


def test_what_the_person_set_by_hand_is_never_widened_away() -> None:
    few = lambda q: 1 if "estrangement" in q.specialty else 40  # noqa: E731
    by_hand = {"specialty": [*SAFETY_FILTERS["specialty"], "estrangement"], "radius": ["50"]}
    made = preset.build(
        SAFETY_FILTERS, {}, taxonomy=TAX, locate=locate, count=few, safety=None, by_hand=by_hand
    )
    assert "estrangement" in made.query.specialty and made.query.radius == 50
    assert made.total == 1  # fewer than asked for: the page says so, and keeps the choice
