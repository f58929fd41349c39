"""The people the readiness result hands over to the directory, in the cities the seed must
serve: complete answer sets built like the public vignettes."""

from __future__ import annotations

from typing import Any

from tests.readiness_answers import vignette

CITIES = {
    "Chicago": "60614",
    "Austin": "78701",
    "Phoenix": "85004",
    "Los Angeles": "90033",
    "Atlanta": "30303",
    "Seattle": "98101",
    "Denver": "80202",
}

_CONFLICT = {"D1": 3, "D2": 3, "D3": 3, "D4": 3, "D9": 3, "T1": ["i_statements"], "T2": "same"}
_CONFLICT.update(T3="6_24m")


def safety_pregnant(zip_code: str) -> dict[str, Any]:
    """Pregnant, and hit by the other parent: a safety result."""
    return vignette("coparent_ex", G0_3="yes", S1="sometimes", P1=zip_code)


def crisis(zip_code: str) -> dict[str, Any]:
    """Has wished to be dead; asks to see counselors after the crisis help."""
    return vignette("partner", C1="yes", P1=zip_code)


def estranged_mother(zip_code: str) -> dict[str, Any]:
    """A mother whose adult daughter stopped talking to her; both might work on it."""
    return vignette(
        "my_adult_child", E1="work_on_it", E2="not_sure", P1=zip_code, **_named(_CONFLICT)
    )


def spanish_father(zip_code: str) -> dict[str, Any]:
    """A separated father co-parenting, who wants sessions in Spanish."""
    return vignette(
        "coparent_ex", G0_2="yes", E1="end", E2="end", P1=zip_code, P3="es", **_named(_CONFLICT)
    )


def couple_video(zip_code: str) -> dict[str, Any]:
    """A couple who both want to work on it, by video."""
    return vignette(
        "partner", E1="work_on_it", E2="work_on_it", P1=zip_code, P2=["video"], **_named(_CONFLICT)
    )


def spanish_mother_afraid(zip_code: str) -> dict[str, Any]:
    """A co-parent afraid of the other parent, who checks her phone and screams at her; wants
    sessions in Spanish, in person or by video, on a sliding scale, in the evening."""
    return vignette(
        "coparent_ex",
        S3="often",
        S5a="often",
        S7="often",
        P1=zip_code,
        P2=["in-person", "video"],
        P3="es",
        P4="sliding_scale",
        P5="yes",
    )


def pregnant_couple(zip_code: str) -> dict[str, Any]:
    """A pregnant woman and her partner who both want to work on it, with her insurance, in
    the evening."""
    return vignette(
        "partner",
        G0_3="yes",
        E1="work_on_it",
        E2="work_on_it",
        P1=zip_code,
        P4="blue-cross",
        P5="yes",
        **_named(_CONFLICT),
    )


PERSONAS = {
    "safety result, pregnant": safety_pregnant,
    "crisis result": crisis,
    "mother estranged from her adult daughter": estranged_mother,
    "Spanish-speaking father co-parenting": spanish_father,
    "couple by video": couple_video,
    "Spanish-speaking mother afraid of the other parent": spanish_mother_afraid,
    "pregnant couple with her insurance": pregnant_couple,
}


def _named(answers: dict[str, Any]) -> dict[str, Any]:
    return {key.replace(".", "_"): value for key, value in answers.items()}
