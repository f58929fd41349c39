"""Self-help steps that fit: chosen by the relationship, what was already tried and for how
long, and whether the two are in contact."""

from __future__ import annotations

import pytest

from portal.readiness import assess, load_questionnaire
from portal.readiness.rules import CONVERSATION_STEPS
from tests.readiness_answers import vignette

ESTRANGED_MOTHER = vignette("my_adult_child", D1=3, D6=4, D9=3, T3="6_24m", E6="reconnect", E3="no")
"""A mother whose adult daughter has not spoken to her in eight months."""
DATE_NIGHTS = dict(
    D1=2, D3=2, D6=3, D9=2, T1=["positive_time", "i_statements"], T2="same", T3="6_24m"
)
"""A couple who planned time together and used "I" statements, and things stayed the same."""


def codes(answers: dict) -> list[str]:
    return [step.code for step in assess(answers).selfhelp]


def test_an_estrangement_gets_a_first_contact_step_not_rules_for_conversations() -> None:
    steps = codes(ESTRANGED_MOTHER)
    assert steps[0] == "SH_FIRST_CONTACT"
    assert not set(steps) & CONVERSATION_STEPS
    assert "SH_CALM_TALK" not in steps  # "before the next hard conversation, agree on..."
    assert len(steps) >= 2


def test_someone_who_wants_distance_is_not_pushed_to_make_contact() -> None:
    wants_distance = vignette("my_parent", D1=3, D6=4, D9=3, E6="distance")
    steps = codes(wants_distance)
    assert "SH_FIRST_CONTACT" not in steps
    assert not set(steps) & CONVERSATION_STEPS
    assert len(steps) >= 2


def test_a_family_still_in_touch_keeps_its_conversation_steps() -> None:
    talking = vignette("my_adult_child", D1=3, D6=1, D9=3)
    steps = codes(talking)
    assert "SH_FIRST_CONTACT" not in steps
    assert "SH_CALM_TALK" in steps


def test_co_parents_who_stopped_talking_are_not_treated_as_estranged() -> None:
    coparents = vignette("coparent_ex", G0_2="yes", D1=2, D6=4, D2=3)
    assert "SH_FIRST_CONTACT" not in codes(coparents)


def test_steps_kept_up_for_months_are_not_offered_again() -> None:
    couple = vignette("partner", T4="over_6m", **DATE_NIGHTS)
    steps = codes(couple)
    assert "SH_OPEN_QUESTIONS" not in steps  # "Restart with ... How has your week been?"
    assert not {"SH_POSITIVE_TIME", "SH_I_STATEMENTS"} & set(steps)
    assert steps[0] == "SH_TAKE_STOCK"


def test_steps_that_did_not_help_are_not_offered_again_whatever_how_long() -> None:
    steps = codes(vignette("partner", **DATE_NIGHTS))
    assert "SH_OPEN_QUESTIONS" not in steps and "SH_TAKE_STOCK" not in steps


def test_a_few_weeks_that_helped_are_worth_keeping_up() -> None:
    helping = vignette(
        "partner", D1=2, D6=2, T1=["positive_time"], T2="better", T4="weeks", T3="1_6m"
    )
    assert "SH_OPEN_QUESTIONS" in codes(helping)


def test_nothing_tried_changes_nothing() -> None:
    fresh = vignette("partner", D1=2, D6=3, D3=2)
    assert "SH_OPEN_QUESTIONS" in codes(fresh) and "SH_TAKE_STOCK" not in codes(fresh)


def test_how_long_the_steps_were_kept_up_is_asked_only_after_some_were_tried() -> None:
    item = load_questionnaire().item("T4")
    assert not item.required
    assert "T4" not in vignette("partner", T4="over_6m")  # T1 = none: not asked
    assert vignette("partner", T1=["breaks"], T2="same", T4="months")["T4"] == "months"


@pytest.mark.parametrize(
    ("relationship", "hopes"),
    [
        ("my_adult_child", {"E6": "reconnect"}),
        ("partner", {"E1": "work_on_it", "E2": "work_on_it"}),
        ("coparent_ex", {"G0_2": "yes", "E1": "work_on_it", "E2": "work_on_it"}),
    ],
)
@pytest.mark.parametrize(
    ("e3", "said"),
    [("yes", "they would come to a session"), ("maybe", "they might come to a session")],
)
def test_the_result_says_only_what_was_answered_about_the_other_coming(
    relationship: str, hopes: dict, e3: str, said: str
) -> None:
    answers = vignette(relationship, D1=3, D3=3, D9=3, E3=e3, **hopes)
    reasons = " ".join(r.text for r in assess(answers).reasons)
    assert said in reasons, reasons
