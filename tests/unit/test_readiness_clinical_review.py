"""The clinical review of the readiness rules (readiness.md, "Revision 2"), finding by finding:
answers in; outcome, track, lines, reasons and their sources out."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

import pytest

from portal.content import CRITERIA_FILE
from portal.readiness import (
    A_SELFHELP,
    B_LIKELY,
    D_SAFETY,
    E_CRISIS,
    T_COPARENT,
    T_DISCERN,
    T_INDIV,
    Assessment,
    assess,
    citations,
    crisis_lines,
    load_questionnaire,
    visible_answers,
    visible_items,
)
from portal.readiness.texts import messages
from tests.readiness_answers import QUIET, vignette

Q = load_questionnaire()


def sources(result: Assessment) -> set[str]:
    return {r.source for r in result.reasons} | {s.source for s in result.selfhelp}


def said(result: Assessment) -> str:
    return " ".join(text for _code, text in result.texts())


def helps(result: Assessment) -> list[str]:
    return [h.code for h in result.help_kinds]


def preset(result: Assessment) -> dict[str, list[str]]:
    return parse_qs(result.directory_query)


def assert_individual_safety_result(result: Assessment) -> None:
    assert result.outcome == D_SAFETY and result.track == T_INDIV
    params = preset(result)
    assert params["sees"] == ["individuals"]
    assert {"domestic-violence", "trauma"} <= set(params["specialty"])
    assert "anger-accountability" not in params["specialty"]


# --- early coercive control counts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"S3": "once"}, "SAFETY_FEAR"),
        ({"S5a": "once"}, "SAFETY_CONTROL"),
        ({"S6": "once"}, "SAFETY_STALKING"),
        ({"S7": "often", "S3": "once"}, "SAFETY_FEAR"),
        ({"S7": "sometimes", "S3": "once"}, "SAFETY_FEAR"),
    ],
)
def test_one_instance_of_fear_monitoring_or_stalking_is_safety_first(
    answers: dict[str, str], code: str
) -> None:
    result = assess(vignette("partner", **answers))
    assert_individual_safety_result(result)
    assert code in result.reason_codes
    assert "SAFETY_NO_JOINT" in result.reason_codes
    assert result.selfhelp == ()


def test_screaming_without_any_fear_stays_conflict() -> None:
    result = assess(vignette("partner", S7="often", D1=3))
    assert result.outcome != D_SAFETY
    assert "SAFETY_FEAR" not in result.reason_codes


# --- past strangulation is asked of everyone ------------------------------------------------


def test_strangulation_two_years_ago_routes_a_co_parent_to_safety_first_and_911() -> None:
    result = assess(vignette("coparent_ex", G0_2="yes", R1="yes", D2=3, E5="no"))
    assert_individual_safety_result(result)
    assert result.urgent is True
    assert result.resources[:2] == ("911", "dv-hotline")
    assert "SAFETY_RED_FLAGS" in result.reason_codes
    assert result.track != T_COPARENT


def test_strangulation_weapons_and_threats_to_kill_are_asked_with_no_other_safety_answer() -> None:
    shown = {i.id for i in visible_items(Q.step("safety"), {"S1": "never", "S3": "never"})}
    assert {"R1", "R2", "R3"} <= shown
    assert Q.step_of("R1").id == Q.step_of("S1").id == "safety"
    assert "R1" in visible_answers({**QUIET, "G0.1": "coparent_ex"})


def test_getting_worse_and_could_kill_you_follow_any_safety_answer() -> None:
    step = Q.step("safety_more")
    assert not {"R4", "R5"} & {i.id for i in visible_items(step, {"S1": "never"})}
    for answer in ({"S5b": "once"}, {"R3": "yes"}, {"S7": "sometimes", "S3": "once"}):
        assert {"R4", "R5"} <= {i.id for i in visible_items(step, answer)}, answer


# --- danger now gets 911 and the DV Hotline, not the suicide line ---------------------------


def test_danger_now_alone_is_its_own_crisis_result_with_911_then_the_hotline() -> None:
    result = assess(vignette("partner", C3="yes"))
    assert (result.outcome, result.urgent, result.variant) == (E_CRISIS, True, "danger_now")
    assert "988" not in result.label and "988" not in result.message
    assert "911" in result.label
    assert result.resources == ("911", "dv-hotline")
    assert helps(result)[0] == "HK_DANGER" and "HK_CRISIS" not in helps(result)
    assert result.reason_codes[0] == "DANGER_NOW"
    dv = crisis_lines()["dv-hotline"]
    assert "START to 88788" in dv.contact and dv.chat


def test_danger_now_with_suicidal_thoughts_adds_988_after_911_and_the_hotline() -> None:
    result = assess(vignette("partner", C3="yes", C1="yes"))
    assert result.outcome == E_CRISIS and result.variant == "danger_now"
    assert result.resources[:4] == ("911", "dv-hotline", "988", "crisis-text-line")
    assert {"DANGER_NOW", "CRISIS_THOUGHTS"} <= set(result.reason_codes)


def test_suicidal_thoughts_alone_keep_the_988_result() -> None:
    result = assess(vignette("partner", C1="yes"))
    assert result.outcome == E_CRISIS and result.urgent and result.variant is None
    assert "988" in result.label
    assert result.resources[0] == "988"


# --- survivors who fought back are not sent to perpetrator services -------------------------


def test_hurt_once_and_hurt_them_in_self_defense_keeps_victim_support_first() -> None:
    result = assess(vignette("partner", S1="once", U1="self_defense"))
    assert_individual_safety_result(result)
    assert result.subroute is None
    assert "STOP_HARM" not in result.reason_codes and "SELF_DEFENSE" in result.reason_codes
    assert "HK_STOP_HARM" not in helps(result)
    assert helps(result)[0] == "HK_ADVOCATE"
    assert "accountability" not in said(result).lower()


def test_self_defense_alone_is_a_safety_answer() -> None:
    result = assess(vignette("partner", U1="self_defense"))
    assert_individual_safety_result(result)
    assert "dv-hotline" in result.resources


def test_harm_otherwise_offers_an_accountability_program_but_never_presets_it() -> None:
    result = assess(vignette("partner", S1="once", U1="yes"))
    assert_individual_safety_result(result)
    assert result.subroute == "stop_harm"
    kinds = helps(result)
    assert kinds.index("HK_ADVOCATE") < kinds.index("HK_STOP_HARM")
    assert "accountability program" in said(result)


def test_the_harm_question_tells_self_defense_apart() -> None:
    item = Q.item("U1")
    assert item.values == ("no", "self_defense", "yes")
    assert "protecting myself" in item.label_for("self_defense")


# --- perinatal mood -------------------------------------------------------------------------


def test_perinatal_low_mood_with_low_conflict_gives_individual_perinatal_counseling() -> None:
    result = assess(vignette("partner", G0_3="yes", C5="yes"))
    assert (result.outcome, result.track) == (B_LIKELY, T_INDIV)
    assert result.addons == ("PERINATAL",)
    assert preset(result)["sees"] == ["individuals"]
    assert "perinatal" in preset(result)["specialty"]
    assert "HK_PERINATAL_MOOD" in helps(result)
    assert "EXT-PERINATAL-MOOD" in sources(result)
    assert "tlc-mama" in result.resources
    assert "tell your OB, midwife or your baby's pediatrician" in said(result).lower().replace(
        "tell your ob", "tell your OB"
    )


@pytest.mark.parametrize(
    ("c5a", "c5b", "outcome"),
    [
        ("more_than_half", "several_days", B_LIKELY),
        ("nearly_every_day", "not_at_all", B_LIKELY),
        ("several_days", "several_days", A_SELFHELP),
    ],
)
def test_the_two_perinatal_mood_items_count_from_the_cut_off(
    c5a: str, c5b: str, outcome: str
) -> None:
    result = assess(vignette("partner", G0_3="yes", D3=1, C5a=c5a, C5b=c5b))
    assert result.outcome == outcome


def test_thoughts_of_harming_the_baby_are_an_urgent_crisis_with_988_and_911() -> None:
    result = assess(vignette("coparent_ex", G0_3="yes", C7="yes"))
    assert result.outcome == E_CRISIS and result.urgent
    assert result.resources[:2] == ("988", "911")
    assert "CRISIS_HARM_BABY" in result.reason_codes


def test_perinatal_questions_speak_to_fathers_and_partners_too() -> None:
    for item_id in ("C5a", "C5b", "C7"):
        assert Q.item(item_id).show_if == {"item": "G0.3", "in": ["yes"]}
    assert "fathers and partners" in (Q.item("C5").help or "")
    assert "fathers" in messages()["help_kinds"]["HK_PERINATAL"]["text"]


# --- formats that can work ------------------------------------------------------------------


def test_no_discernment_counseling_when_the_other_person_has_decided() -> None:
    result = assess(vignette("partner", G0_7="yes", D3=3, D9=3, E1="work_on_it", E2="end"))
    assert result.track == T_INDIV
    assert "TRACK_DECIDED" in result.reason_codes
    assert "discernment" not in preset(result).get("modality", [])
    assert "HK_DISCERN" not in helps(result) and "HK_DECISION" not in helps(result)


def test_a_mixed_agenda_still_gets_discernment_counseling() -> None:
    result = assess(vignette("partner", G0_7="yes", D3=3, D9=3, E1="work_on_it", E2="not_sure"))
    assert result.track == T_DISCERN


@pytest.mark.parametrize("who", [{"E2": "left"}, {"E2": "not_sure", "E3": "no"}])
def test_a_co_parent_whose_ex_left_or_will_not_come_gets_parallel_parenting_alone(
    who: dict[str, str],
) -> None:
    result = assess(vignette("coparent_ex", G0_2="yes", D2=3, D1=2, E1="work_on_it", **who))
    assert result.track == T_INDIV
    assert result.parallel_parenting is True
    assert "TRACK_COPARENT_ALONE" in result.reason_codes
    assert "HK_PARALLEL" in helps(result) and "HK_COPARENT" not in helps(result)
    assert preset(result)["sees"] == ["individuals"]


def test_who_would_come_to_sessions_is_not_asked_after_a_safety_answer() -> None:
    for safety in ({"S3": "once"}, {"R2": "yes"}, {"U1": "yes"}, {"G0.4": ["protective_order"]}):
        raw = {**QUIET, "G0.1": "partner", **safety, "E3": "yes", "P6": "me_and_them"}
        shown = visible_answers(raw)
        assert "E3" not in shown and "P6" not in shown, safety
    calm = visible_answers({**QUIET, "G0.1": "partner", "P6": "me_and_them"})
    assert calm["E3"] == "yes" and calm["P6"] == "me_and_them"


# --- lines and questions --------------------------------------------------------------------


def test_substance_use_brings_the_samhsa_helpline() -> None:
    result = assess(vignette("partner", I3="yes", I3a="me"))
    assert "samhsa" in result.resources
    assert "1-800-662-4357" in crisis_lines()["samhsa"].contact
    assert "SAMHSA" in " ".join(h.text for h in result.help_kinds)


def test_the_other_persons_heavy_use_with_fear_is_a_safety_answer() -> None:
    result = assess(vignette("partner", I3="yes", I3a="them", S3="once"))
    assert_individual_safety_result(result)
    assert "SAFETY_SUBSTANCE_FEAR" in result.reason_codes
    assert "samhsa" in result.resources
    assert Q.item("I3a").values == ("me", "them", "both")


def test_housing_money_phone_or_transport_brings_211() -> None:
    result = assess(vignette("partner", I5="yes"))
    assert "211" in result.resources
    assert "PRACTICAL_FALLOUT" in result.reason_codes
    assert "211" not in assess(vignette("partner")).resources


def test_the_crisis_text_line_is_text_home_to_741741_with_no_internal_note() -> None:
    line = crisis_lines()["crisis-text-line"]
    assert line.contact == "Text HOME to 741741"
    assert line.sms and "HOME" in line.sms
    for word in ("MHA", "keyword", "affiliat", "printed"):
        assert word not in line.for_ + line.when, word


def test_ever_tried_to_kill_yourself_is_a_crisis_result_that_is_not_urgent() -> None:
    result = assess(vignette("partner", C6="yes"))
    assert result.outcome == E_CRISIS and result.urgent is False
    assert result.variant == "past_attempt"
    assert "988" in result.resources
    assert "CRISIS_PAST_ATTEMPT" in result.reason_codes
    assert Q.step_of("C6").id == "right_now" and Q.item("C6").show_if is None


def test_the_not_private_screen_never_advises_clearing_all_history() -> None:
    result = assess({"G0.5": "no"})
    text = said(result).lower()
    assert "this site's entries" in text and "private window" in text
    assert "clearing your browser history" not in text


@pytest.mark.parametrize("short", [{"G0.5": "no"}, {"G0.5": "yes", "G0.6": "no"}])
def test_a_short_screen_shows_no_score(short: dict[str, str]) -> None:
    result = assess(short)
    assert " out of " not in said(result)
    assert result.reason_codes in (("NOT_PRIVATE",), ("YOUTH",))
    assert result.band is None


# --- advice and sources that fit ------------------------------------------------------------


def test_a_married_couple_with_children_gets_no_co_parenting_steps_or_sources() -> None:
    result = assess(
        vignette("partner", G0_2="yes", D2=3, D5=3, D8=3, D4=2, D9=2, D1=1, T1=["none"])
    )
    codes = {s.code for s in result.selfhelp}
    assert not codes & {"SH_FACTS_DECISIONS", "SH_KIDS_OUT", "SH_PARENTING_STYLES"}
    assert not codes & {"SH_CONSISTENCY", "SH_SPITE_CHECK", "SH_PARENTING_PLAN"}
    cited = [citations()[s] for s in sources(result)]
    assert not [c for c in cited if c.is_article and c.id[:4] in ("A000", "A001")]
    text = said(result).lower()
    assert "other parent" not in text and "both homes" not in text


def test_co_parents_get_co_parenting_steps_from_the_co_parenting_guides() -> None:
    result = assess(vignette("coparent_ex", G0_2="yes", D2=3, D5=3, D8=2, E5="yes"))
    assert {"SH_FACTS_DECISIONS", "SH_KIDS_OUT"} <= {s.code for s in result.selfhelp}
    assert {"A001-02", "A001-05"} <= sources(result)


def test_a_mother_and_adult_daughter_never_cite_the_co_parenting_or_pregnancy_articles() -> None:
    for rel in ("my_parent", "my_adult_child"):
        tried = ["calm_time", "breaks", "apology"]
        result = assess(vignette(rel, D3=3, D9=3, D6=3, I4="no", T1=tried, T2="same"))
        for source in sources(result):
            assert not source.startswith(("A000", "A001", "A002", "A004")), (rel, source)


def test_no_claim_that_self_help_has_a_good_chance_of_helping() -> None:
    every_text = json.dumps(messages()).lower()
    assert "good chance" not in every_text
    low = assess(vignette("partner", D3=1))
    band = next(r for r in low.reasons if r.code == "BAND_LOW")
    assert band.source == "OURS" and band.citation.is_ours


def test_the_20_minute_break_cites_gottman_not_an_article() -> None:
    for group in ("selfhelp", "reasons"):
        for code, entry in messages()[group].items():
            variants = [entry, *entry.get("by_group", {}).values()]
            for v in variants:
                if "20 minutes" in v.get("text", entry["text"]):
                    source = citations()[v.get("source", entry["source"])]
                    assert not source.is_article and "Gottman" in (source.publisher or ""), code


def test_couples_evidence_names_eft_ibct_and_behavioral_couples_therapy() -> None:
    text = messages()["help_kinds"]["HK_COUPLES"]["text"]
    for name in ("Emotionally Focused", "Integrative Behavioral Couple", "behavioral couples"):
        assert name in text
    assert "Gottman" not in citations()["EXT-EFT-EVIDENCE"].title


def test_no_text_assumes_spite() -> None:
    every_text = json.dumps(messages()).lower()
    for phrase in ("get back at", r"\bspite", "revenge", "to hurt him", "to hurt her"):
        assert not re.search(phrase, every_text), phrase


def test_articles_are_cited_by_plain_names_with_the_original_titles_kept() -> None:
    raw = json.loads(CRITERIA_FILE.read_text())
    names = {k: a["name"] for k, a in raw["articles"].items()}
    assert names["000"] == "a guide for co-parents"
    assert names["002"] == "a couples repair guide"
    assert names["003"] == "a guide for mothers and daughters"
    assert raw["articles"]["000"]["original_title"].endswith("Baby Mama?")
    assert raw["articles"]["002"]["original_title"] is None
    for citation in citations().values():
        short = citation.short
        assert "[untitled" not in short and "(opening" not in short, citation.id
        assert "Baby Mama" not in short and "Baby Daddy" not in short, citation.id


def test_the_step_pages_draw_no_joint_question_after_a_safety_answer() -> None:
    from portal.web.readiness import step_fields

    def drawn(step: str, answers: dict) -> set[str]:
        return {f["item"].id for f in step_fields(Q.step(step), answers)}

    worried = visible_answers({**QUIET, "G0.1": "coparent_ex", "S5a": "once"})
    assert "E3" not in drawn("tried_hopes", worried)
    assert "P6" not in drawn("practical", worried)
    calm = visible_answers({**QUIET, "G0.1": "coparent_ex"})
    assert "E3" in drawn("tried_hopes", calm) and "P6" in drawn("practical", calm)
