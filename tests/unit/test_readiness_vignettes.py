"""The readiness rules, vignette by vignette (readiness.md 3.8 and our own from each article)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from portal.readiness import (
    A_SELFHELP,
    B_LIKELY,
    C_NOW,
    D_SAFETY,
    E_CRISIS,
    T_COPARENT,
    T_COUPLES,
    T_DISCERN,
    T_FAMILY,
    T_INDIV,
    Assessment,
    assess,
    visible_answers,
)
from portal.readiness.rules import JOINT_SEES, JOINT_WORDS, SAFETY_EXPLAINER
from tests.readiness_answers import QUIET, vignette

answers = vignette


def everything_said(result: Assessment) -> str:
    return " ".join(text for code, text in result.texts() if code != SAFETY_EXPLAINER).lower()


def assert_no_joint_help(result: Assessment) -> None:
    said = everything_said(result)
    for word in JOINT_WORDS:
        assert word not in said, f"{word!r} on a {result.outcome} result"
    params = parse_qs(result.directory_query) | parse_qs(result.on_request_query)
    assert not set(params.get("sees", [])) & set(JOINT_SEES)
    assert not set(params.get("modality", [])) & set(result.excluded.get("modality", ()))
    assert result.excluded["modality"], "joint modalities must be listed as excluded"
    assert "screens_individually" not in params
    assert result.track == T_INDIV


# --- the public vignettes (readiness.md 3.8) ------------------------------------------------


def test_v1_phone_line_cut_off_in_late_pregnancy_is_safety_first_not_urgent() -> None:
    result = assess(
        answers("coparent_ex", G0_3="yes", S5b="once", E1="work_on_it", E2="left", E3="no")
    )
    assert result.outcome == D_SAFETY
    assert result.urgent is False
    assert result.track == T_INDIV
    assert result.addons == ("PERINATAL",)
    assert_no_joint_help(result)
    assert "perinatal" in parse_qs(result.directory_query)["specialty"]
    assert "SAFETY_LIFELINES" in result.reason_codes
    assert result.resources[0] == "dv-hotline"
    assert "tlc-mama" in result.resources


def test_v2_disclosed_beating_is_safety_first_even_when_she_wants_to_reconcile() -> None:
    result = assess(
        answers(
            "coparent_ex",
            G0_3="yes",
            S1="once",
            E1="work_on_it",
            E2="not_sure",
            D1=2,
            D3=3,
            D4=3,
            D9=3,
            F1="Then I later found out that he's been beating on me this whole..",
        )
    )
    assert result.outcome == D_SAFETY
    assert result.urgent is False
    assert result.track == T_INDIV
    assert result.addons == ("PERINATAL",)
    assert {"SAFETY_PHYSICAL", "SAFETY_DISCLOSURE", SAFETY_EXPLAINER} <= set(result.reason_codes)
    assert_no_joint_help(result)
    assert result.selfhelp == ()


def test_v6_separated_parents_in_high_conflict_get_coparenting_counseling_now() -> None:
    result = assess(
        answers(
            "coparent_ex",
            G0_2="yes",
            D2=4,
            D3=3,
            D5=3,
            D7=3,
            D8=3,
            D1=2,
            D4=2,
            D9=2,
            T1=["i_statements", "calm_time"],
            T2="same",
            T3="6_24m",
            E1="end",
            E2="end",
            E5="no",
        )
    )
    assert result.outcome == C_NOW
    assert result.track == T_COPARENT
    assert result.parallel_parenting is True
    assert result.band == "high"
    params = parse_qs(result.directory_query)
    assert params["sees"] == ["co-parents"] and "co-parenting" in params["specialty"]
    assert "couples" in result.excluded["sees"]
    assert "CHILD_FOCUS" in result.addons
    assert {"PARALLEL_PARENTING", "NO_PARENTING_PLAN", "CHILDREN_EXPOSED"} <= set(
        result.reason_codes
    )


def test_v7_mild_school_disagreement_gets_a_self_help_plan_and_a_recheck() -> None:
    result = assess(
        answers("coparent_ex", G0_2="yes", D2=1, D3=1, D4=1, E1="end", E2="end", E5="no")
    )
    assert result.outcome == A_SELFHELP
    assert result.urgent is False
    assert result.track == T_COPARENT
    sources = [step.source for step in result.selfhelp]
    assert 2 <= len(sources) <= 3
    assert sources[0] == "A000-13"  # write a parenting plan
    assert set(sources) <= {"A000-13", "A001-02", "A001-06", "A001-05"}
    assert result.recheck_weeks == (4, 6)
    assert result.directory_mode == "collapsed"


def test_v9_married_couple_who_stopped_talking_get_couples_counseling_now() -> None:
    result = assess(
        answers(
            "partner",
            D6=4,
            D1=3,
            D3=3,
            T1=["positive_time", "breaks", "apology"],
            T2="same",
            T3="over_2y",
        )
    )
    assert result.outcome == C_NOW
    assert result.track == T_COUPLES
    params = parse_qs(result.directory_query)
    assert params["sees"] == ["couples"]
    assert {"eft", "gottman"} <= set(params["modality"])
    assert params["screens_individually"] == ["1"]
    assert {"TRIED_NO_CHANGE", "COMMUNICATION_BROKEN", "LONG_DURATION"} <= set(result.reason_codes)


def test_v11_absent_other_parent_means_individual_support_not_coparenting_repair() -> None:
    result = assess(answers("coparent_ex", G0_2="yes", E4="absent", E1="end", E2="left", D7=1))
    assert result.outcome in (A_SELFHELP, B_LIKELY)
    assert result.track == T_INDIV
    assert "COPARENT_NOT_APPLICABLE" in result.reason_codes
    sources = {step.source for step in result.selfhelp}
    assert "A004-06" in sources  # support network
    assert not sources & {"A000-13", "A001-02", "A001-06", "A001-05"}
    assert "single-parenting" in parse_qs(result.directory_query)["specialty"]


# --- our own vignettes, one per article situation --------------------------------------------


def test_father_in_a_coparenting_standoff_gets_coparenting_help() -> None:
    result = assess(
        answers("coparent_ex", G0_2="yes", D1=3, D2=3, D3=2, D4=2, D9=2, E1="end", E2="not_sure")
    )
    assert result.outcome == B_LIKELY
    assert result.track == T_COPARENT
    assert result.parallel_parenting is True
    assert len(result.selfhelp) >= 2


def test_couple_whose_talking_stopped_with_one_leaning_out_gets_discernment() -> None:
    result = assess(answers("partner", D6=3, D3=3, D9=3, E1="work_on_it", E2="not_sure"))
    assert result.outcome == B_LIKELY
    assert result.track == T_DISCERN
    assert parse_qs(result.directory_query)["modality"] == ["discernment"]


def test_unmarried_partner_with_mixed_agenda_gets_an_individual_decision_consult() -> None:
    result = assess(answers("partner", G0_7="no", D3=3, D9=3, E1="work_on_it", E2="not_sure"))
    assert result.track == T_INDIV
    assert "TRACK_DECISION" in result.reason_codes


def test_daughter_estranged_from_her_mother_gets_individual_estrangement_support() -> None:
    result = assess(answers("my_parent", D6=4, D9=4, D3=3, E6="not_sure", E3="no"))
    assert result.outcome in (B_LIKELY, C_NOW)
    assert result.track == T_INDIV
    assert "estrangement" in parse_qs(result.directory_query)["specialty"]
    assert "E1" not in visible_answers({**QUIET, "G0.1": "my_parent"})


ROBERT = {"D6": 4, "D4": 2, "D9": 3, "T3": "over_2y", "E6": "reconnect", "E3": "no"}
"""A father who has not spoken to his adult son for three years and hopes to reconnect."""


def test_a_father_who_hopes_to_reconnect_is_told_only_what_he_said() -> None:
    result = assess(answers("my_adult_child", **ROBERT))
    assert (result.outcome, result.track) == (B_LIKELY, T_INDIV)
    assert "TRACK_INDIV_RECONNECT_NOT_YET" in result.reason_codes
    said = everything_said(result)
    assert "hope to reconnect" in said
    for other_answer in ("unsure", "not sure", "distance"):
        assert other_answer not in said, other_answer
    # No contact, so no advice about keeping promises to them.
    assert "SH_FOLLOW_THROUGH" not in {s.code for s in result.selfhelp}
    assert "promise" not in said


def test_a_low_conflict_score_never_argues_against_the_result() -> None:
    result = assess(answers("my_adult_child", **{**ROBERT, "D6": 2, "D4": 1, "D9": 1}))
    assert result.band == "low" and result.outcome == B_LIKELY
    assert "BAND_LOW_OTHER" in result.reason_codes and "BAND_LOW" not in result.reason_codes
    assert "reasonable place to start" not in everything_said(result)


@pytest.mark.parametrize(
    ("hope", "e3", "code", "words"),
    [
        ("reconnect", "no", "TRACK_INDIV_RECONNECT_NOT_YET", "hope to reconnect"),
        ("not_sure", "yes", "TRACK_INDIV_UNSURE", "not sure yet"),
        ("not_sure", "no", "TRACK_INDIV_UNSURE", "not sure yet"),
        ("distance", "yes", "TRACK_INDIV_DISTANCE", "some distance"),
        ("distance", "maybe", "TRACK_INDIV_DISTANCE", "some distance"),
    ],
)
def test_the_reason_for_individual_family_help_says_the_answer_given(
    hope: str, e3: str, code: str, words: str
) -> None:
    result = assess(answers("my_parent", D6=3, E6=hope, E3=e3))
    assert result.track == T_INDIV
    reason = next(r for r in result.reasons if r.code == code)
    assert words in reason.text.lower()
    if hope != "reconnect":
        assert "come" not in reason.text and "reconnect" not in reason.text


@pytest.mark.parametrize("relationship", ["my_adult_child", "my_parent", "other_family"])
@pytest.mark.parametrize(
    "named",
    [
        ROBERT,
        {
            "D1": 4,
            "D3": 4,
            "D9": 4,
            "D10": 4,
            "T1": ["boundaries"],
            "T2": "worse",
            "E6": "not_sure",
        },
        {"D6": 2, "D9": 2, "D10": 2, "E6": "distance", "E3": "no"},
    ],
)
def test_a_parent_and_adult_child_of_any_gender_are_not_sent_to_a_mother_daughter_guide(
    relationship: str, named: dict
) -> None:
    result = assess(answers(relationship, **named))
    cited = [r.citation for r in result.reasons] + [s.citation for s in result.selfhelp]
    assert not [c.id for c in cited if c.article_file and c.article_file.startswith("003")]
    assert "mother" not in everything_said(result) and "daughter" not in everything_said(result)


def test_parent_and_adult_child_both_willing_get_family_therapy() -> None:
    result = assess(answers("my_adult_child", D3=3, D9=3, D4=2, E6="reconnect", E3="yes"))
    assert result.outcome == B_LIKELY
    assert result.track == T_FAMILY
    params = parse_qs(result.directory_query)
    assert params["sees"] == ["parent-adult-child"]
    assert "A003-06" in {r.source for r in result.reasons}


def test_pregnant_woman_whose_partner_left_and_cut_off_her_phone_is_safety_first() -> None:
    result = assess(answers("partner", G0_3="yes", S5b="once", E2="left", E3="no", I5="yes", D6=4))
    assert result.outcome == D_SAFETY
    assert result.addons == ("PERINATAL",)
    assert_no_joint_help(result)


def test_own_harmful_behaviour_routes_to_support_to_stop_it() -> None:
    result = assess(answers("partner", U1="yes", D1=4, D3=4))
    assert result.outcome == D_SAFETY
    assert result.subroute == "stop_harm"
    assert "anger-accountability" not in parse_qs(result.directory_query)["specialty"]
    assert "STOP_HARM" in result.reason_codes
    assert "HK_STOP_HARM" in {h.code for h in result.help_kinds}
    assert_no_joint_help(result)


def test_child_at_risk_adds_childhelp_and_911() -> None:
    result = assess(answers("coparent_ex", G0_2="yes", K1="yes"))
    assert result.outcome == D_SAFETY
    assert {"childhelp", "911"} <= set(result.resources)


def test_danger_right_now_is_an_urgent_crisis_with_911_first() -> None:
    result = assess(answers("partner", C3="yes"))
    assert result.outcome == E_CRISIS
    assert result.urgent is True
    assert result.resources == ("911", "dv-hotline")
    assert result.directory_filters == {}
    assert parse_qs(result.on_request_query)["specialty"] == ["crisis-support"]


def test_red_flag_makes_safety_urgent_with_911_before_the_hotline() -> None:
    result = assess(answers("partner", S1="sometimes", R1="yes"))
    assert result.outcome == D_SAFETY and result.urgent is True
    assert result.resources[:2] == ("911", "dv-hotline")


def test_under_18_gets_youth_lines_and_no_directory() -> None:
    result = assess({"G0.5": "yes", "G0.6": "no"})
    assert result.youth is True and result.short_screen is True
    assert result.resources[:2] == ("loveisrespect", "childhelp")
    assert result.directory_filters == {} and result.directory_query == ""
    assert result.directory_mode == "none"
    assert result.selfhelp == ()


def test_not_private_gets_the_short_safe_screen() -> None:
    result = assess({"G0.5": "no"})
    assert result.not_private is True and result.short_screen is True
    assert result.resources == ("911", "dv-hotline", "988")
    assert result.directory_query == ""


@pytest.mark.parametrize("item", ["I2"])
def test_hopeless_most_days_ensures_counseling_now_with_individual_support(item: str) -> None:
    result = assess(answers("partner", **{item: "yes"}))
    assert result.outcome == C_NOW
    assert result.extra_tracks == (T_INDIV,)


def test_a_quiet_relationship_gets_self_help() -> None:
    result = assess(answers("partner", D3=1))
    assert result.outcome == A_SELFHELP
    assert result.track == T_COUPLES


def test_result_texts_never_repeat_manipulative_tactics_or_promise_restoration() -> None:
    from portal.readiness.texts import messages

    every_text = json.dumps(messages()).lower()
    for phrase in (
        "curiosity",
        "jealous",
        "facebook",
        "social media",
        "watch the baby",
        "watch over the baby",
        "any relationship can be restored",
        "any broken relationship",
        "win him back",
        "get him back",
    ):
        assert phrase not in every_text, phrase
    recovery = messages()["selfhelp"]["SH_RECOVERY_BOUNDARY"]["text"].lower()
    assert "not a way to win" in recovery and "order" in recovery


def test_forgiveness_and_kept_visits_never_follow_a_safety_answer() -> None:
    result = assess(answers("my_parent", S3="sometimes", D9=4, D4=4, E6="reconnect"))
    assert result.outcome == D_SAFETY
    assert not {s.source for s in result.selfhelp} & {"A003-04", "A001-06"}


def test_every_reason_cites_an_article_section_or_named_guidance() -> None:
    result = assess(answers("partner", D6=4, T3="over_2y"))
    for reason in result.reasons:
        citation = reason.citation
        assert citation.title
        assert citation.section if citation.is_article else citation.publisher or citation.is_ours


def test_parallel_parenting_for_a_middle_range_says_what_happens_often() -> None:
    coparents = vignette("coparent_ex", G0_2="yes", E1="end", D1=1, D2=4, D3=2, D4=2, D9=2)
    result = assess(coparents)
    assert "middle range" in " ".join(r.text for r in result.reasons)
    codes = [r.code for r in result.reasons]
    assert "PARALLEL_PARENTING_OFTEN" in codes and "PARALLEL_PARENTING" not in codes
    said = next(r for r in result.reasons if r.code == "PARALLEL_PARENTING_OFTEN")
    assert "D2" in said.items and "is high" not in said.text
