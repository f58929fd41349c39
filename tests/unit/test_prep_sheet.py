"""Composing the session-prep sheet: which answers land where, discreet mode, footnotes, blank."""

from __future__ import annotations

import re

import pytest

from portal.prep import CounselorInfo, compose, discreet_by_default, estimate_pages, prefill
from portal.readiness import D_SAFETY, assess, crisis_lines
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
    assert sheet.helped == "Since then, things are about the same."


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
    assert background["Pregnancy or postpartum"] == ""


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
        assert notes[printed.note] == reason.citation.short
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
    assert "TLC-MAMA" in footer
    assert sheet.not_advice == "This sheet is not medical advice."
    assert sheet.title == "My first-session notes"


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


def test_a_short_sheet_estimates_two_pages_or_fewer() -> None:
    assert estimate_pages(compose(COPARENTS, assess(COPARENTS), None, None)) <= 2
    long = {**prefill(COPARENTS), **{k: "x " * 200 for k in ("why", "helped", "q_own", "know")}}
    long.update({f"goal{i}": "y " * 100 for i in (1, 2, 3)})
    assert estimate_pages(compose(COPARENTS, assess(COPARENTS), None, long)) >= 3
