"""Composing the session-prep sheet: which answers land where, discreet mode, footnotes, blank."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from portal.prep import (
    Applies,
    CounselorInfo,
    applies,
    attending_alone,
    audience,
    compose,
    discreet_by_default,
    estimate_pages,
    prefill,
    question_choices,
)
from portal.readiness import D_SAFETY, E_CRISIS, T_COPARENT, assess, crisis_lines
from tests.readiness_answers import vignette as answers

COPARENTS = answers(
    "coparent_ex",
    G0_2="yes",
    G0_2a=["1_5", "6_12"],
    G0_4=["parenting_order"],
    D1=3,
    D2=3,
    D3=4,
    D4=2,
    D5=1,
    D7=0,
    D8=3,
    D9=2,
    T1=["calm_time", "breaks"],
    T2="same",
    T3="6_24m",
    E5="no",
    I3="yes",
)
SAFETY = answers(
    "coparent_ex",
    G0_3="yes",
    G0_4=["protective_order"],
    S1="once",
    S5b="once",
    E1="work_on_it",
    E2="left",
    E3="no",
    D1=3,
    D9=3,
    D10=4,
    F1="Then I later found out that he's been beating on me.",
)
CRISIS = answers("partner", C1="yes", C2="no", D1=2, D3=2, P6="me_and_them")
"""Wished they were dead in the past weeks (a crisis result), would have come as a couple."""
DANGER_NOW = answers("coparent_ex", G0_2="yes", C3="yes", D1=3, P6="me_and_them")
"""In danger right now (the urgent crisis result)."""
COPARENTING = answers(
    "coparent_ex",
    G0_2="yes",
    G0_2a=["6_12"],
    E1="end",
    E2="end",
    E3="maybe",
    D1=3,
    D2=3,
    D3=2,
    D5=2,
    E5="no",
    P6="me_and_them",
)
"""An ordinary co-parenting result: separated parents in conflict, nothing unsafe."""
GUARDED = {"safety": SAFETY, "crisis": CRISIS, "danger now": DANGER_NOW}
JOINT_TEXT = (
    "both people",
    "the other person",
    "each person",
    "couple",
    "co-parent",
    "discernment",
    "mediat",
    "joint",
    "secrets",
    "90847",
    "90846",
    "gottman",
)
"""Words of sessions together, which a sheet after a safety or crisis result never prints
(the full version may say the other person is not told anything: checked separately)."""
JOINT_QUESTIONS = {"appr_heard", "appr_model", "exp_share", "exp_like", "safe_indiv", "log_billing"}
INDIVIDUAL_QUESTIONS = {"conf_private", "plan_safety", "exp_abuse", "reach_how", "appr_alone"}
ORIGINAL_TITLES = (
    "Baby Mama",
    "Rebuilding Trust With Your Ex",
    "Mother-Daughter Relationships",
    "untitled",
    "before the first heading",
    "section “",
)
DISCREET_WORDS = (
    "abuse",
    "violen",
    "safety",
    "safe ",
    "hotline",
    "domestic",
    "hurt",
    "threat",
    "danger",
    "protective",
    "restraining",
    "afraid",
    "fear",
    "crisis",
    "suicide",
    "self-harm",
    "emergency",
    "911",
    "7233",
    "beating",
    "advocate",
    "shelter",
    "dead",
    "wished",
    "suicid",
    "kill",
    "ending your life",
    "lifeline",
    "coerc",
    "stalk",
    "sexual",
    "assault",
    "weapon",
    "police",
)
COUNSELOR = CounselorInfo(
    slug="dana-park", name="Dana Park", credential="LMFT", licence="LMFT 12345"
)


def sheet_text(sheet) -> str:
    return " ".join(sheet.texts()).lower()


def ticked(sheet) -> set[str]:
    return {c.label for c in sheet.happening if c.ticked}


# --- which answers land where ----------------------------------------------------------------


def test_conflict_items_scored_two_or_more_pre_tick_whats_been_happening() -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None)
    assert ticked(sheet) == {
        "Communication has broken down",  # D1 = 3
        "The same fights keep repeating",  # D3 = 4
        "Trust / broken promises",  # D4 = 2
        "Parenting differences",  # D2, D8 = 3
        "Old hurts / resentment",  # D9 = 2
    }
    assert "Children caught in the middle" not in ticked(sheet)  # D5 = 1
    assert "Money" not in ticked(sheet)  # D7 = 0
    assert sheet.since == "6 months to 2 years ago"


def test_steps_tried_and_how_it_went_fill_the_tried_section() -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None)
    assert sheet.tried == (
        "Picked a calm time and place to talk",
        "Agreed time limits, or took breaks when things got heated",
    )
    assert sheet.helped == "Since trying these, things are about the same."


def test_nothing_tried_leaves_write_in_lines() -> None:
    quiet = answers("partner", D1=2)
    sheet = compose(quiet, assess(quiet), None, None)
    assert sheet.tried == () and sheet.helped == ""


def test_childrens_ages_orders_and_substance_go_to_background() -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None)
    background = {e.label: e.text for e in sheet.background}
    assert background["Children and their ages"] == "Ages: 1 to 5, 6 to 12"
    assert background["Custody, parenting or protective orders"] == ("A custody or parenting order")
    assert sheet.orders_copies is True
    assert background["Alcohol or drug use"]
    assert "Pregnancy or postpartum" not in background  # G0.3 = no


def test_the_suggestion_shows_the_outcome_label_with_footnotes_matching_the_reasons() -> None:
    result = assess(COPARENTS)
    sheet = compose(COPARENTS, result, None, None)
    assert sheet.suggestion is not None
    assert sheet.suggestion.label == result.label
    used = [r for r in result.reasons if r.code != "SAFETY_NO_JOINT"][:3]
    assert len(sheet.suggestion.reasons) == len(used) > 0
    notes = {f.number: f.text for f in sheet.footnotes}
    for printed, reason in zip(sheet.suggestion.reasons, used, strict=True):
        assert reason.text.startswith(printed.text)
        assert notes[printed.note] == reason.citation.title
    assert sorted(notes) == list(range(1, len(notes) + 1))


def test_the_chosen_counselor_fills_the_appointment_block() -> None:
    fields = {**prefill(COPARENTS), "t_name": "Someone I typed"}
    sheet = compose(COPARENTS, assess(COPARENTS), COUNSELOR, fields)
    assert sheet.appointment.name == "Dana Park"
    assert sheet.appointment.credential == "LMFT"
    assert sheet.appointment.licence == "LMFT 12345"
    without = compose(COPARENTS, assess(COPARENTS), None, fields)
    assert without.appointment.name == "Someone I typed"


def test_an_unticked_section_prints_blank() -> None:
    fields = {**prefill(COPARENTS), "inc_happen": False, "inc_tried": False, "inc_bg": False}
    fields["inc_suggest"] = False
    sheet = compose(COPARENTS, assess(COPARENTS), None, fields)
    assert ticked(sheet) == set()
    assert sheet.tried == () and sheet.since == ""
    assert all(e.text == "" for e in sheet.background)
    assert sheet.suggestion is None and sheet.footnotes == ()


def test_ticked_questions_and_checklist_narrow_what_is_printed() -> None:
    fields = {**prefill({}), "q": ["cred_state", "fit_not"], "bring": ["id"]}
    sheet = compose(None, None, None, fields)
    assert [q for g in sheet.questions for q in g.questions] == [
        "Are you licensed in this state?",
        "What happens if it isn't a good fit?",
    ]
    assert [c.label for c in sheet.bring] == ["ID"]
    everything = compose(None, None, None, prefill({}))
    assert sum(len(g.questions) for g in everything.questions) > 20
    assert len(everything.bring) == 8


def test_the_standard_footer_lists_the_support_lines_and_the_disclaimer() -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None)
    footer = " ".join(sheet.footer)
    assert "988" in footer and "1-800-799-7233" in footer and "911" in footer
    assert sheet.not_advice == "This sheet is not medical advice."
    assert sheet.title == "My first-session notes"


def test_the_maternal_line_is_printed_for_a_pregnancy_or_a_baby_and_on_a_blank_sheet() -> None:
    assert "TLC-MAMA" not in " ".join(compose(COPARENTS, assess(COPARENTS), None, None).footer)
    pregnant = {**COPARENTS, "G0.3": "yes"}
    assert "maternal" in " ".join(compose(pregnant, assess(pregnant), None, None).footer).lower()
    assert "TLC-MAMA" in " ".join(compose({}, None, None, None, blank=True).footer)


# --- discreet mode ---------------------------------------------------------------------------


def test_discreet_mode_is_the_default_after_a_safety_result() -> None:
    result = assess(SAFETY)
    assert result.outcome == D_SAFETY
    assert discreet_by_default(result)
    assert not discreet_by_default(assess(COPARENTS))
    assert not discreet_by_default(None)
    sheet = compose(SAFETY, result, None, None)
    assert sheet.discreet and sheet.title == "Appointment notes"


def test_a_discreet_safety_sheet_has_no_outcome_label_and_no_abuse_wording() -> None:
    result = assess(SAFETY)
    sheet = compose(SAFETY, result, None, None)
    said = sheet_text(sheet)
    assert sheet.suggestion is None and sheet.footnotes == ()
    assert result.label.lower() not in said
    for word in DISCREET_WORDS:
        assert word not in said, f"{word!r} on a discreet sheet"
    assert sheet.footer == (f"{crisis_lines()['988'].discreet_label} · 24/7",)
    # pre-filled details that are not sensitive are still there
    assert "Old grievances / resentment" in ticked(sheet)
    assert {e.label: e.text for e in sheet.background}["Court orders or parenting plan"] == (
        "A court order"
    )


def test_the_same_safety_answers_without_discreet_mode_do_say_what_was_found() -> None:
    result = assess(SAFETY)
    sheet = compose(SAFETY, result, None, None, discreet=False)
    said = sheet_text(sheet)
    assert sheet.suggestion is not None and sheet.suggestion.label == result.label
    assert "safety" in said and "1-800-799-7233" in said
    assert all(r.text for r in sheet.suggestion.reasons)


@pytest.mark.parametrize("blank", [True, False])
def test_discreet_is_one_switch_for_everyone(blank: bool) -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None, discreet=True, blank=blank)
    said = sheet_text(sheet)
    for word in DISCREET_WORDS:
        assert word not in said, word
    assert sheet.title == "Appointment notes"


# --- after a safety or crisis result ---------------------------------------------------------


@pytest.mark.parametrize("case", GUARDED)
def test_a_safety_or_crisis_result_makes_the_sheet_discreet_by_default(case: str) -> None:
    result = assess(GUARDED[case])
    assert result.outcome in (D_SAFETY, E_CRISIS)
    if case == "danger now":
        assert result.outcome == E_CRISIS and result.urgent
    assert discreet_by_default(result)
    sheet = compose(GUARDED[case], result, None, None)
    assert sheet.discreet and sheet.title == "Appointment notes"
    assert sheet.suggestion is None and sheet.footnotes == ()


@pytest.mark.parametrize("case", GUARDED)
def test_nothing_on_the_discreet_sheet_says_what_the_answers_were(case: str) -> None:
    result = assess(GUARDED[case])
    sheet = compose(GUARDED[case], result, None, None)
    for text in sheet.texts():
        lowered = text.lower()
        for word in DISCREET_WORDS:
            assert word not in lowered, f"{word!r} in {text!r}"
        assert result.label.lower() not in lowered
        for _code, said in result.texts():
            assert said.lower() not in lowered or not said, said
    assert sheet.footer == (f"{crisis_lines()['988'].discreet_label} · 24/7",)


@pytest.mark.parametrize("case", GUARDED)
@pytest.mark.parametrize("discreet", [True, False])
def test_after_a_safety_or_crisis_result_the_person_attends_alone(
    case: str, discreet: bool
) -> None:
    result = assess(GUARDED[case])
    assert prefill(GUARDED[case], assessment=result)["who"] == "Just me"
    sheet = compose(GUARDED[case], result, None, None, discreet=discreet)
    assert sheet.appointment.who == attending_alone() == "Just me"
    typed = {**prefill(GUARDED[case], assessment=result), "who": "Me and the other person"}
    saved = compose(GUARDED[case], result, None, typed, discreet=discreet)
    assert saved.appointment.who == "Just me"


@pytest.mark.parametrize("case", GUARDED)
def test_after_a_safety_or_crisis_result_no_goals_assume_working_with_the_other_parent(
    case: str,
) -> None:
    result = assess(GUARDED[case])
    typed = {**prefill(GUARDED[case], assessment=result), "cp": ["handover", "channel"]}
    sheet = compose(GUARDED[case], result, None, typed, discreet=False)
    assert sheet.coparent_goals == ()


@pytest.mark.parametrize("case", GUARDED)
@pytest.mark.parametrize("discreet", [True, False])
def test_after_a_safety_or_crisis_result_the_questions_are_for_an_individual_session(
    case: str, discreet: bool
) -> None:
    result = assess(GUARDED[case])
    offered = {i for g in question_choices(audience(result), discreet=discreet) for i, _ in g.items}
    assert offered >= INDIVIDUAL_QUESTIONS
    assert not offered & JOINT_QUESTIONS
    sheet = compose(GUARDED[case], result, None, None, discreet=discreet)
    # ticking a joint question on an older form does not bring it back
    asked = {**prefill(GUARDED[case], assessment=result), "q": ["appr_heard", "log_billing"]}
    asked["discreet"] = discreet
    for composed in (sheet, compose(GUARDED[case], result, None, asked)):
        printed = " ".join(q for g in composed.questions for q in g.questions).lower()
        for word in (*JOINT_TEXT, "cpt"):
            assert word not in printed, word
    said = sheet_text(sheet)
    assert "what stays private" in said and "between sessions" in said
    assert "how will you contact me" in said
    if not discreet:
        assert "safety plan" in said and "abuse and coercive control" in said
        assert "individual therapy" in said
        assert "you can ask for an individual appointment first" not in said


@pytest.mark.parametrize("case", GUARDED)
def test_no_joint_words_anywhere_on_the_sheet_after_a_safety_or_crisis_result(case: str) -> None:
    result = assess(GUARDED[case])
    sheet = compose(GUARDED[case], result, None, None)
    for text in sheet.texts():
        for word in JOINT_TEXT:
            assert word not in text.lower(), f"{word!r} in {text!r}"


def test_the_perinatal_question_follows_the_result() -> None:
    with_baby = assess(SAFETY)
    assert "perinatal" in audience(with_baby).tags
    said = sheet_text(compose(SAFETY, with_baby, None, None))
    assert "pregnant or have a new baby" in said
    assert "pregnant" not in sheet_text(compose(CRISIS, assess(CRISIS), None, None))


def test_the_full_version_can_still_be_chosen_and_says_what_was_found() -> None:
    result = assess(CRISIS)
    sheet = compose(CRISIS, result, None, {**prefill(CRISIS, assessment=result), "discreet": 0})
    assert not sheet.discreet and sheet.suggestion is not None
    assert sheet.suggestion.label == result.label
    assert "wished you were dead" in sheet_text(sheet)
    assert sheet.appointment.who == "Just me"


# --- an ordinary result ----------------------------------------------------------------------


def test_an_ordinary_co_parenting_result_keeps_the_standard_sheet_and_joint_questions() -> None:
    result = assess(COPARENTING)
    assert result.outcome not in (D_SAFETY, E_CRISIS) and result.track == T_COPARENT
    assert not discreet_by_default(result)
    sheet = compose(COPARENTING, result, None, None)
    assert not sheet.discreet and sheet.title == "My first-session notes"
    assert sheet.appointment.who == "Me and the other person"
    said = sheet_text(sheet)
    assert "how do you make sure both people are heard?" in said
    assert "bill it as couple or family therapy" in said and "safety plan" not in said
    assert sheet.suggestion is not None and sheet.footnotes


# --- sources ---------------------------------------------------------------------------------


def test_sources_are_cited_by_the_catalog_name_without_section_text() -> None:
    result = assess(COPARENTING)
    sheet = compose(COPARENTING, result, None, None)
    titles = {r.citation.title for r in result.reasons}
    for note in sheet.footnotes:
        assert note.text in titles
        assert "section" not in note.text and "(" not in note.text


def test_the_sheet_prints_whatever_plain_name_the_catalog_gives() -> None:
    result = assess(COPARENTING)
    plain = replace(
        result,
        reasons=tuple(
            replace(r, citation=replace(r.citation, title=f"plain name {i}"))
            for i, r in enumerate(result.reasons)
        ),
    )
    said = " ".join(compose(COPARENTING, plain, None, None).texts())
    assert "plain name" in said
    for original in ORIGINAL_TITLES:
        assert original not in said, original


@pytest.mark.parametrize("case", [COPARENTS, COPARENTING])
def test_no_original_article_title_is_printed(case: dict) -> None:
    said = " ".join(compose(case, assess(case), None, None, discreet=False).texts())
    for original in ORIGINAL_TITLES:
        assert original not in said, original


@pytest.mark.parametrize(
    ("relationship", "article_fits"),
    [
        ("my_adult_child", {"003"}),
        ("my_parent", {"003"}),
        ("partner", {"002"}),
        ("coparent_ex", {"000", "001", "002"}),
    ],
)
def test_only_sources_for_this_relationship_are_cited(
    relationship: str, article_fits: set[str]
) -> None:
    extra = {"E6": "reconnect"} if relationship in ("my_adult_child", "my_parent") else {}
    given = answers(relationship, D1=3, D3=3, D9=3, E3="yes", **extra)
    result = assess(given)
    sheet = compose(given, result, None, None)
    assert sheet.suggestion is not None
    by_title = {r.citation.title: r.citation for r in result.reasons}
    for note in sheet.footnotes:
        citation = by_title[note.text]
        if citation.article_file:
            assert citation.article_file[:3] in article_fits, (relationship, note.text)
    for printed in sheet.suggestion.reasons:
        assert printed.note is None or printed.note in {n.number for n in sheet.footnotes}


# --- the blank sheet -------------------------------------------------------------------------


def test_the_blank_sheet_has_no_user_data() -> None:
    fields = {**prefill(COPARENTS), "why": "PRIVATE-WHY", "t_name": "Typed Name"}
    sheet = compose(COPARENTS, assess(COPARENTS), COUNSELOR, fields, blank=True)
    said = " ".join(sheet.texts())
    assert "PRIVATE-WHY" not in said and "Typed Name" not in said and "Dana Park" not in said
    assert sheet.suggestion is None
    assert not any(c.ticked for c in sheet.happening)
    assert sheet.tried == () and all(e.text == "" for e in sheet.background)
    assert sheet.appointment.name == "" and sheet.why == "" and sheet.goals == ("", "", "")
    assert sheet.blank and not sheet.discreet


# --- content rules ---------------------------------------------------------------------------


def test_no_manipulative_tactics_and_no_names_on_a_full_sheet() -> None:
    sheet = compose(COPARENTS, assess(COPARENTS), None, None)
    said = sheet_text(sheet)
    for tactic in ("jealous", "curiosity", "hand the baby", "test them", "make them miss"):
        assert tactic not in said
    assert not re.search(r"\b(?:he|she|his|her)\b", said), "the sheet names or genders no one"


def test_a_sheet_from_the_answers_estimates_one_page_and_a_long_one_more() -> None:
    sparse = MOTHER_AND_DAUGHTER
    assert estimate_pages(compose(sparse, assess(sparse), None, None)) == 1
    assert estimate_pages(compose(COPARENTS, assess(COPARENTS), None, None)) <= 2
    long = {**prefill(COPARENTS), **{k: "x " * 200 for k in ("why", "helped", "q_own", "know")}}
    long.update({f"goal{i}": "y " * 100 for i in (1, 2, 3)})
    assert estimate_pages(compose(COPARENTS, assess(COPARENTS), None, long)) == 2
    lines = {**long, "why": "a\n" * 200, "q_own": "b\n" * 200}
    assert estimate_pages(compose(COPARENTS, assess(COPARENTS), None, lines)) >= 3


# --- the chosen counselor, and only the fields that fit ---------------------------------------

OFFICE_AND_VIDEO = replace(
    COUNSELOR, office="Chicago, IL 60614", video=True, phone="312-555-0147", booked=None
)
MOTHER_AND_DAUGHTER = answers("my_adult_child", D1=2, D6=3, D9=3, T3="6_24m")


def test_the_chosen_counselor_fills_where_phone_and_the_booked_date() -> None:
    booked = replace(OFFICE_AND_VIDEO, booked=date(2026, 3, 17))
    fields = {**prefill(COPARENTS), "mode": "in_person"}
    a = compose(COPARENTS, assess(COPARENTS), booked, fields).appointment
    assert a.where == "Chicago, IL 60614"
    assert a.phone == "312-555-0147"
    assert a.when == "Tuesday, March 17, 2026"
    by_video = compose(COPARENTS, None, booked, {**fields, "mode": "video"}).appointment
    assert by_video.where == "Video: the counselor sends the link"
    undecided = compose(COPARENTS, None, OFFICE_AND_VIDEO, {**fields, "mode": ""}).appointment
    assert undecided.where == "Office in Chicago, IL 60614, or video"
    assert undecided.when == ""
    video_only = replace(OFFICE_AND_VIDEO, office="")
    assert compose(COPARENTS, None, video_only, fields).appointment.where.startswith("Video")


def test_what_the_person_typed_wins_over_the_listing() -> None:
    fields = {**prefill(COPARENTS), "where": "Room 4", "t_phone": "555-0100", "when": "Fri 3pm"}
    booked = replace(OFFICE_AND_VIDEO, booked=date(2026, 3, 17))
    a = compose(COPARENTS, None, booked, fields).appointment
    assert (a.where, a.phone, a.when) == ("Room 4", "555-0100", "Fri 3pm")


def test_a_mother_and_her_adult_daughter_get_no_co_parenting_custody_or_pregnancy_fields() -> None:
    sheet = compose(MOTHER_AND_DAUGHTER, assess(MOTHER_AND_DAUGHTER), None, None)
    labels = {e.label for e in sheet.background} | {c.label for c in sheet.happening}
    labels |= {c.label for c in sheet.bring}
    for absent in (
        "Children and their ages",
        "Custody, parenting or protective orders",
        "Pregnancy or postpartum",
        "Parenting differences",
        "Children caught in the middle",
        "Copies of orders / parenting plan",
    ):
        assert absent not in labels, absent
    assert sheet.coparent_goals == ()
    assert "pregnancy" not in sheet.changed_hint
    assert "Previous therapy (what helped)" in labels


def test_co_parents_and_the_blank_sheet_keep_every_field() -> None:
    for sheet in (
        compose(COPARENTS, assess(COPARENTS), None, None),
        compose(None, None, None, None, blank=True),
    ):
        labels = {e.label for e in sheet.background} | {c.label for c in sheet.bring}
        assert "Custody, parenting or protective orders" in labels
        assert "Children and their ages" in labels
        assert sheet.coparent_goals
    assert applies(COPARENTS) == Applies(pregnancy=False)
    assert applies({}) == Applies()


def test_a_protective_order_keeps_the_orders_line_for_anyone() -> None:
    family = answers("my_parent", G0_4=["protective_order"])
    assert applies(family).orders and not applies(family).children
