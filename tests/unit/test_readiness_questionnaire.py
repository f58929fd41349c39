"""The questionnaire as data: ids, sources, skipping, validation, step order, FHIR, seed files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from portal import content
from portal.paths import SEED_DIR
from portal.readiness import (
    STEP_ERROR,
    apply_step,
    citations,
    crisis_lines,
    is_complete,
    load_questionnaire,
    next_step,
    reachable_steps,
    to_fhir_questionnaire,
    to_fhir_questionnaire_response,
    validate_all,
    validate_step,
    visible_answers,
    visible_items,
)
from portal.readiness.conditions import referenced_items
from portal.readiness.flow import SIGNAL_ITEMS
from portal.readiness.questionnaire import parse_questionnaire
from portal.readiness.validation import MSG_NOT_A_CHOICE
from tests.readiness_answers import QUIET

DESIGN_IDS = (
    ["G0.1", "G0.2", "G0.3", "G0.4", "G0.5"]
    + [f"C{i}" for i in range(1, 6)]
    + ["S1", "S2", "S3", "S4", "S5a", "S5b", "S6", "S7"]
    + [f"R{i}" for i in range(1, 6)]
    + ["U1", "K1"]
    + [f"D{i}" for i in range(1, 11)]
    + ["T1", "T2", "T3"]
    + [f"E{i}" for i in range(1, 6)]
    + [f"I{i}" for i in range(1, 6)]
    + [f"P{i}" for i in range(1, 7)]
)
ADDED_IDS = ["G0.6", "G0.7", "G0.2a", "E6", "F1", "C5a", "C5b", "C6", "C7", "I3a", "T4"]
ARTICLES = Path("/work/shared/articles")
Q = load_questionnaire()


def form(**values: str | list[str]) -> dict[str, list[str]]:
    return {k.replace("_", "."): v if isinstance(v, list) else [v] for k, v in values.items()}


def walk(*steps: dict[str, list[str]]) -> dict:
    """Submit steps in order, as the web layer would; every step must validate."""
    answers: dict = {}
    for submitted in steps:
        step_id = next_step(answers)
        assert step_id is not None
        clean, errors = validate_step(step_id, submitted, answers)
        assert errors == {}, (step_id, errors)
        answers = apply_step(answers, step_id, clean)
    return answers


START = form(G0_5="yes", G0_6="yes")
ABOUT_PARTNER = form(G0_1="partner", G0_7="yes", G0_2="no", G0_3="no", G0_4="none")


# --- the definition ------------------------------------------------------------------------


def test_item_ids_are_the_design_ids_plus_the_documented_additions() -> None:
    assert sorted(Q.item_ids) == sorted(DESIGN_IDS + ADDED_IDS)


def test_there_are_seven_to_nine_steps_each_with_a_title_and_intro() -> None:
    assert 7 <= len(Q.steps) <= 9
    for step in Q.steps:
        assert step.title and step.intro and step.items


def test_the_first_question_asks_whether_it_is_private_to_answer() -> None:
    assert Q.steps[0].items[0].id == "G0.5"


def test_every_item_cites_sources_that_resolve_in_the_catalog() -> None:
    known = citations()
    for item in Q.items:
        assert item.sources, item.id
        for source in item.sources:
            assert source in known, (item.id, source)
        for option in item.options:
            for source in option.sources:
                assert source in known, (item.id, option.value, source)


def test_conditions_only_refer_to_earlier_items() -> None:
    order = list(Q.item_ids)
    for step in Q.steps:
        first = order.index(step.items[0].id)
        for ref in referenced_items(step.show_if):
            assert order.index(ref) < first, (step.id, ref)
        for item in step.items:
            for ref in referenced_items(item.show_if):
                assert order.index(ref) < order.index(item.id), (item.id, ref)


NO_CHILDREN = {"G0.5": "yes", "G0.6": "yes", "G0.1": "partner", "G0.2": "no", "G0.3": "no"}
"""A couple with no children and no pregnancy."""


def _with_option_condition(item_id: str, condition: dict) -> dict:
    raw = copy.deepcopy(content.questionnaire())
    for step in raw["steps"]:
        for item in step["items"]:
            if item["id"] == item_id:
                item["options"][0]["show_if"] = condition
    return raw


def test_an_option_may_depend_only_on_earlier_pages_and_only_on_a_choice_item() -> None:
    same_page = _with_option_condition("T2", {"item": "T1", "in": ["calm_time"]})
    with pytest.raises(ValueError, match="earlier pages"):
        parse_questionnaire(same_page)
    on_a_scale = _with_option_condition("D1", {"item": "G0.2", "in": ["yes"]})
    with pytest.raises(ValueError, match="only choice and multi"):
        parse_questionnaire(on_a_scale)
    parse_questionnaire(_with_option_condition("T2", {"item": "G0.2", "in": ["yes"]}))


def test_no_safety_signal_has_choices_that_can_be_taken_away() -> None:
    for item_id in SIGNAL_ITEMS:
        assert not Q.item(item_id).conditional_options, item_id


def test_a_parenting_plan_is_offered_only_when_children_are_part_of_it() -> None:
    tried = Q.item("T1")
    assert "parenting_plan" not in [o.value for o in tried.shown_options(NO_CHILDREN)]
    for children in ({"G0.2": "yes"}, {"G0.3": "yes"}, {"G0.1": "coparent_ex"}):
        shown = tried.shown_options({**NO_CHILDREN, **children})
        assert "parenting_plan" in [o.value for o in shown], children


def test_a_choice_not_offered_is_refused() -> None:
    answers = {**QUIET, "G0.1": "partner"}
    answers = {
        k: v for k, v in answers.items() if k not in {i.id for i in Q.step("tried_hopes").items}
    }
    errors = validate_step("tried_hopes", {"T1": ["parenting_plan"]}, answers)[1]
    assert errors["T1"] == MSG_NOT_A_CHOICE
    whole = {**QUIET, "G0.1": "partner", "T1": ["parenting_plan", "calm_time"], "T2": "same"}
    assert validate_all(whole)["T1"] == MSG_NOT_A_CHOICE


def test_saying_no_children_afterwards_takes_the_parenting_plan_out_of_what_was_tried() -> None:
    answers = {**QUIET, "G0.1": "coparent_ex", "G0.2": "yes", "T1": ["parenting_plan", "calm_time"]}
    assert visible_answers(answers)["T1"] == ["parenting_plan", "calm_time"]
    later = {**answers, "G0.1": "partner", "G0.2": "no"}
    assert visible_answers(later)["T1"] == ["calm_time"]
    only_the_plan = {**later, "T1": ["parenting_plan"]}
    assert "T1" not in visible_answers(only_the_plan)
    assert next_step(only_the_plan) == "tried_hopes"  # asked again, without the plan


def test_answer_scales_are_as_designed() -> None:
    for s in ("S1", "S2", "S3", "S4", "S5a", "S5b", "S6", "S7"):
        assert Q.item(s).values == ("never", "once", "sometimes", "often")
    for i in range(1, 11):
        assert Q.item(f"D{i}").values == (0, 1, 2, 3, 4)
    for yn in ("C1", "C2", "C3", "C4", "C6", "C7", "R1", "R5", "K1", "G0.6"):
        assert Q.item(yn).values == ("yes", "no")
    assert Q.item("U1").values == ("no", "self_defense", "yes")
    assert Q.item("T1").type == "multi" and Q.item("P2").type == "multi"


def test_language_and_insurance_choices_come_from_the_taxonomy() -> None:
    taxonomy = json.loads((SEED_DIR / "taxonomy.json").read_text())
    languages = {entry["slug"] for entry in taxonomy["language"]}
    insurers = {entry["slug"] for entry in taxonomy["insurance"]}
    assert set(Q.item("P3").values) == languages
    assert insurers <= set(Q.item("P4").values)
    assert set(Q.item("P2").values) == {e["slug"] for e in taxonomy["format"]}


def test_wording_does_not_name_licensed_instruments() -> None:
    text = json.dumps([(i.text, i.help, i.concept) for i in Q.items]).lower()
    for name in ("csi", "hits", "wast", "danger assessment", "c-ssrs", "asq"):
        assert not re.search(rf"\b{name}\b", text), name


# --- skipping what does not apply ------------------------------------------------------------


def test_no_parenting_items_without_children() -> None:
    answers = walk(START, ABOUT_PARTNER)
    conflict = {i.id for i in Q.step("conflict").items}
    shown = set(visible_answers({**answers, **{i: 1 for i in conflict}}))
    assert not {"D2", "D5", "D8"} & shown
    assert {"D1", "D6", "D10"} <= shown


def test_parenting_items_shown_with_children() -> None:
    about = form(G0_1="coparent_ex", G0_2="yes", G0_3="no", G0_4="none")
    answers = walk(START, about)
    shown = visible_answers({**answers, "D2": 1, "D5": 1, "D8": 1, "E4": "involved"})
    assert {"D2", "D5", "D8", "E4"} <= set(shown)


def test_no_romantic_agenda_items_for_a_parent_and_adult_child() -> None:
    about = form(G0_1="my_parent", G0_2="no", G0_3="no", G0_4="none")
    answers = walk(START, about)
    shown = visible_answers(
        {**answers, "E1": "end", "E2": "left", "E4": "absent", "E6": "reconnect"}
    )
    assert "E6" in shown
    assert not {"E1", "E2", "E4", "E5", "G0.7"} & set(shown)


def test_not_private_ends_the_check_after_the_first_step() -> None:
    answers = walk(form(G0_5="no", G0_6="yes"))
    assert is_complete(answers)
    assert reachable_steps(answers) == ["start"]


def test_under_18_ends_the_check_after_the_first_step() -> None:
    assert is_complete(walk(form(G0_5="yes", G0_6="no")))


def test_danger_questions_only_follow_a_safety_answer() -> None:
    step = Q.step("safety_more")
    quiet = {i.id for i in visible_items(step, {"S1": "never", "S3": "never"})}
    assert quiet == {"U1"}
    worried = {i.id for i in visible_items(step, {"S1": "once", "G0.2": "yes"})}
    assert worried == {"R4", "R5", "U1", "K1"}
    for answer in ({"S3": "once"}, {"S6": "once"}, {"R1": "yes"}, {"G0.4": ["protective_order"]}):
        assert {"R4", "R5"} <= {i.id for i in visible_items(step, answer)}, answer


def test_strangulation_threats_to_kill_and_weapons_are_asked_of_everyone_as_ever() -> None:
    step = Q.step("safety")
    shown = {i.id for i in visible_items(step, {})}
    assert {"S1", "S4", "R1", "R2", "R3"} <= shown
    for item_id in ("S1", "S4", "R1", "R2", "R3"):
        assert "ever" in Q.item(item_id).text.lower(), item_id
    assert "12 months" in Q.item("S3").text


def test_a_crisis_answer_is_never_discarded_even_when_hidden() -> None:
    answers = walk(START, ABOUT_PARTNER)
    clean, errors = validate_step(
        "right_now", form(C1="no", C2="yes", C3="no", C4="no", C6="no"), answers
    )
    assert errors == {}
    assert clean["C2"] == "yes"


# --- validation ------------------------------------------------------------------------------


def test_validation_reports_unknown_items_off_scale_values_and_missing_answers() -> None:
    answers = walk(START, ABOUT_PARTNER)
    _clean, errors = validate_step(
        "right_now", {**form(C1="maybe", C3="no", Z9="x", D1="3"), "_csrf_token": ["t"]}, answers
    )
    assert set(errors) == {"C1", "C4", "C6", "Z9", "D1"}
    assert "choices" in errors["C1"]
    assert "Please choose" in errors["C4"]


def test_scale_values_must_be_on_the_scale() -> None:
    answers = walk(
        START,
        ABOUT_PARTNER,
        form(C1="no", C3="no", C4="no", C6="no"),
        form(
            R1="no",
            R2="no",
            R3="no",
            S1="never",
            S2="never",
            S3="never",
            S4="never",
            S5a="never",
            S5b="never",
            S6="never",
            S7="never",
        ),
        form(U1="no"),
    )
    assert next_step(answers) == "conflict"
    good = {f"D{i}": ["0"] for i in (1, 3, 4, 6, 7, 9, 10)}
    clean, errors = validate_step("conflict", good, answers)
    assert errors == {} and clean["D1"] == 0
    _clean, errors = validate_step("conflict", {**good, "D1": ["5"]}, answers)
    assert set(errors) == {"D1"}
    _clean, errors = validate_step("conflict", {**good, "D3": ["two"]}, answers)
    assert set(errors) == {"D3"}


def test_multi_select_none_cannot_be_combined() -> None:
    answers = walk(START)
    _clean, errors = validate_step(
        "about",
        form(G0_1="partner", G0_7="yes", G0_2="no", G0_3="no", G0_4=["none", "protective_order"]),
        answers,
    )
    assert set(errors) == {"G0.4"}


def test_zip_must_be_five_digits_and_is_optional() -> None:
    item = Q.item("P1")
    assert item.required is False
    assert re.fullmatch(item.pattern or "", "60614")
    assert not re.fullmatch(item.pattern or "", "6061")


def test_a_tampered_step_order_is_detected() -> None:
    answers = walk(START)
    assert reachable_steps(answers) == ["start", "about"]
    clean, errors = validate_step("conflict", {"D1": ["2"]}, answers)
    assert clean == {} and STEP_ERROR in errors
    _clean, errors = validate_step("no-such-step", {}, answers)
    assert STEP_ERROR in errors
    # going back to an earlier step is allowed
    _clean, errors = validate_step("start", START, answers)
    assert errors == {}


def test_a_hidden_step_cannot_be_submitted() -> None:
    answers = walk(form(G0_5="no", G0_6="yes"))
    _clean, errors = validate_step("about", ABOUT_PARTNER, answers)
    assert STEP_ERROR in errors


def test_validate_all_accepts_json_ints_strings_and_booleans() -> None:
    base = {"G0.5": True, "G0.6": "yes"}
    errors = validate_all(base)
    assert "G0.1" in errors and "C1" in errors  # required and missing
    assert validate_all({"G0.5": "no", "G0.6": "yes"}) == {}
    errors = validate_all({"G0.5": "no", "G0.6": "yes", "D1": "7", "nope": 1})
    assert set(errors) == {"D1", "nope"}
    assert "D1" not in validate_all({"G0.5": "yes", "G0.6": "yes", "D1": 3})
    assert "D1" not in validate_all({"G0.5": "yes", "G0.6": "yes", "D1": "3"})
    assert "D1" in validate_all({"G0.5": "yes", "G0.6": "yes", "D1": 3.5})


# --- FHIR ------------------------------------------------------------------------------------


def test_fhir_questionnaire_has_one_group_per_step_and_linkids_equal_item_ids() -> None:
    resource = to_fhir_questionnaire(Q)
    assert resource["resourceType"] == "Questionnaire" and resource["status"] == "active"
    assert [g["linkId"] for g in resource["item"]] == [s.id for s in Q.steps]
    assert all(g["type"] == "group" for g in resource["item"])
    link_ids = [q["linkId"] for g in resource["item"] for q in g["item"]]
    assert link_ids == list(Q.item_ids)
    by_id = {q["linkId"]: q for g in resource["item"] for q in g["item"]}
    assert by_id["C1"]["type"] == "boolean"
    assert by_id["D1"]["type"] == "integer"
    assert by_id["T1"]["type"] == "choice" and by_id["T1"]["repeats"] is True
    assert by_id["S1"]["answerOption"][1]["valueCoding"]["code"] == "once"
    assert by_id["C2"]["enableWhen"] == [{"question": "C1", "operator": "=", "answerBoolean": True}]
    assert by_id["D2"]["enableWhen"][0]["question"] == "G0.2"
    assert by_id["E1"]["enableBehavior"] == "any"
    json.dumps(resource)


def test_fhir_questionnaire_response_holds_the_answers() -> None:
    answers = {
        "G0.5": "yes",
        "G0.6": "yes",
        "G0.1": "partner",
        "D1": 3,
        "T1": ["apology", "breaks"],
        "F1": "",
        "S1": "once",
    }
    response = to_fhir_questionnaire_response(Q, answers)
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["status"] == "completed"
    items = {i["linkId"]: i["answer"] for g in response["item"] for i in g["item"]}
    assert items["G0.5"] == [{"valueBoolean": True}]
    assert items["D1"] == [{"valueInteger": 3}]
    assert [a["valueCoding"]["code"] for a in items["T1"]] == ["apology", "breaks"]
    assert items["S1"][0]["valueCoding"]["display"] == "Once"
    assert "F1" not in items


# --- seed data -------------------------------------------------------------------------------


def test_crisis_lines_have_the_designed_numbers() -> None:
    raw = json.loads((SEED_DIR / "crisis_lines.json").read_text())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw["last_verified"])
    lines = crisis_lines()
    assert "988" in lines["988"].contact
    assert "1-800-799-7233" in lines["dv-hotline"].contact
    assert "START to 88788" in lines["dv-hotline"].contact
    assert lines["dv-hotline"].tty
    assert "1-833-852-6262" in lines["tlc-mama"].contact
    assert "not a crisis line" in lines["tlc-mama"].for_.lower()
    assert "1-800-422-4453" in lines["childhelp"].contact
    assert "LOVEIS to 22522" in lines["loveisrespect"].contact
    assert "1-800-656-4673" in lines["sexual-assault-hotline"].contact
    assert lines["911"].href == "tel:911"
    for line in lines.values():
        assert line.for_ and line.when and line.discreet_label
        assert line.source in citations()


def test_every_line_a_result_can_name_exists() -> None:
    from portal.readiness.rules import _resources  # noqa: F401  (imported to document the link)

    source = Path(__import__("portal.readiness.rules").readiness.rules.__file__).read_text()
    for line_id in set(re.findall(r"add\(([^)]*)\)", source)):
        for name in re.findall(r'"([^"]+)"', line_id):
            assert name in crisis_lines(), name


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="the shared article texts are not here")
def test_catalog_section_headings_appear_in_the_articles() -> None:
    raw = json.loads((SEED_DIR / "criteria.json").read_text())
    for cid, criterion in raw["criteria"].items():
        text = (ARTICLES / criterion["file"]).read_text()
        lines = [line.strip() for line in text.splitlines()]
        if not criterion.get("heading", True):
            assert not criterion["section"].startswith(("(", "[")), cid
            if "original_section" in criterion:
                assert criterion["original_section"] in lines, cid
            continue
        assert criterion["section"] in lines, cid
