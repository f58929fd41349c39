"""Clinical profiles ("roles"): who a clinician sees, what they treat, how.

Each role is one function that draws, in a fixed order, the specialties (primary first), who
the clinician sees and the modalities; trainings follow from those, then a few coherence rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from portal.generate.rules import pick_weighted, sample

COUPLES_MODALITIES = ("eft", "gottman", "ibct", "discernment")
COPARENT_MODALITIES = ("co-parenting-counseling", "parenting-coordination", "family-mediation")

Draw = tuple[list[str], set[str], set[str]]  # specialties, sees, modalities


@dataclass
class Clinical:
    sees: set[str]
    specialties: list[str]  # first = primary, drives the bio opener
    modalities: set[str]
    trainings: set[str]


def _couples(rng: random.Random, role: str) -> Draw:
    primary = (
        "lgbtq"
        if role == "lgbtq-couples"
        else pick_weighted(
            rng,
            (
                ("couples-communication", 5),
                ("trust-infidelity", 3),
                ("separation-divorce", 1),
                ("faith", 1),
            ),
        )
    )
    extra = sample(
        rng,
        (
            "couples-communication",
            "trust-infidelity",
            "separation-divorce",
            "grief",
            "substance-use",
            "trauma",
            "lgbtq",
            "blended-families",
            "faith",
            "perinatal",
        ),
        1,
        3,
    )
    sees = {"couples"} | ({"individuals"} if rng.random() < 0.5 else set())
    mods = {pick_weighted(rng, (("eft", 4), ("gottman", 4), ("ibct", 1)))}
    if rng.random() < 0.35:
        mods.add(rng.choice(("eft", "gottman", "ibct", "narrative", "cbt", "discernment")))
    return [primary, *extra], sees, mods


def _discernment(rng: random.Random, role: str) -> Draw:
    specs = [
        "separation-divorce",
        *sample(rng, ("trust-infidelity", "couples-communication", "co-parenting", "grief"), 1, 2),
    ]
    sees = {"couples", "individuals"} if rng.random() < 0.6 else {"couples"}
    mods = {"discernment", rng.choice(("eft", "gottman", "ibct", "solution-focused"))}
    return specs, sees, mods


def _coparent(rng: random.Random, role: str) -> Draw:
    specs = [
        "co-parenting",
        *sample(
            rng,
            (
                "separation-divorce",
                "blended-families",
                "single-parenting",
                "parent-child-conflict",
                "domestic-violence",
                "anger-accountability",
            ),
            1,
            3,
        ),
    ]
    sees = {"co-parents"} | set(sample(rng, ("families", "individuals"), 0, 2))
    mods = {"co-parenting-counseling"}
    if rng.random() < 0.4:
        mods.add("parenting-coordination")
    if rng.random() < 0.35:
        mods.add("family-mediation")
    if rng.random() < 0.5:
        mods.add(rng.choice(("solution-focused", "narrative", "cbt", "structural-family")))
    return specs, sees, mods


def _blended(rng: random.Random, role: str) -> Draw:
    specs = [
        "blended-families",
        *sample(
            rng,
            (
                "co-parenting",
                "parent-child-conflict",
                "couples-communication",
                "separation-divorce",
            ),
            1,
            2,
        ),
    ]
    sees = {"couples", "families"} | ({"co-parents"} if "co-parenting" in specs else set())
    mods = {rng.choice(("structural-family", "gottman", "narrative", "bowen"))}
    if "co-parenting" in specs:
        mods.add("co-parenting-counseling")
    return specs, sees, mods


def _family(rng: random.Random, role: str) -> Draw:
    specs = [
        rng.choice(
            (
                "parent-child-conflict",
                "parent-child-conflict",
                "blended-families",
                "substance-use",
                "grief",
            )
        ),
        *sample(
            rng,
            (
                "parent-child-conflict",
                "estrangement",
                "grief",
                "substance-use",
                "single-parenting",
                "crisis-support",
                "trauma",
            ),
            1,
            3,
        ),
    ]
    sees = {"families"} | set(sample(rng, ("parent-adult-child", "individuals"), 0, 2))
    mods = set(
        sample(rng, ("structural-family", "bowen", "narrative", "solution-focused", "cbt"), 1, 3)
    )
    return specs, sees, mods


def _estrangement(rng: random.Random, role: str) -> Draw:
    specs = [
        "estrangement",
        *sample(
            rng, ("parent-child-conflict", "grief", "trauma", "blended-families", "faith"), 1, 2
        ),
    ]
    sees = {"parent-adult-child"} | set(sample(rng, ("families", "individuals"), 1, 2))
    mods = set(sample(rng, ("bowen", "narrative", "eft", "solution-focused"), 1, 2))
    if "eft" in mods:
        sees.add("couples")
    return specs, sees, mods


def _dv(rng: random.Random, role: str) -> Draw:
    specs = [
        "domestic-violence",
        "trauma",
        *sample(
            rng,
            ("co-parenting", "crisis-support", "grief", "substance-use", "separation-divorce"),
            0,
            2,
        ),
    ]
    sees = {"individuals"} | ({"families"} if rng.random() < 0.3 else set())
    if "co-parenting" in specs:
        sees.add("co-parents")
    mods = set(sample(rng, ("trauma-focused", "emdr", "cbt", "narrative"), 1, 3))
    return specs, sees, mods


def _perinatal(rng: random.Random, role: str) -> Draw:
    specs = [
        "perinatal",
        *sample(
            rng, ("couples-communication", "grief", "trauma", "single-parenting", "lgbtq"), 1, 2
        ),
    ]
    return specs, {"couples", "individuals"}, {rng.choice(("gottman", "eft", "cbt", "cbt"))}


def _accountability(rng: random.Random, role: str) -> Draw:
    specs = [
        "anger-accountability",
        *sample(
            rng,
            ("domestic-violence", "substance-use", "couples-communication", "co-parenting"),
            1,
            2,
        ),
    ]
    sees = {"individuals"} | ({"couples"} if rng.random() < 0.3 else set())
    mods = set(sample(rng, ("cbt", "narrative", "solution-focused"), 1, 2))
    return specs, sees, mods


def _crisis(rng: random.Random, role: str) -> Draw:
    # individual support after suicidal thoughts or a crisis; never joint sessions
    specs = [
        "crisis-support",
        *sample(rng, ("trauma", "grief", "domestic-violence", "perinatal"), 1, 2),
    ]
    mods = set(sample(rng, ("cbt", "trauma-focused", "solution-focused", "emdr"), 1, 2))
    return specs, {"individuals"}, mods


def _trauma_grief(rng: random.Random, role: str) -> Draw:
    specs = [
        rng.choice(("trauma", "grief", "crisis-support")),
        *sample(
            rng,
            (
                "trauma",
                "grief",
                "substance-use",
                "crisis-support",
                "parent-child-conflict",
                "faith",
            ),
            1,
            2,
        ),
    ]
    sees = {"individuals"} | set(sample(rng, ("families", "couples"), 0, 1))
    mods = set(sample(rng, ("emdr", "trauma-focused", "cbt", "narrative"), 1, 3))
    if "couples" in sees:
        mods.add("eft")
    return specs, sees, mods


ROLES: dict[str, Callable[[random.Random, str], Draw]] = {
    "couples": _couples,
    "lgbtq-couples": _couples,
    "discernment": _discernment,
    "coparent": _coparent,
    "blended": _blended,
    "family": _family,
    "estrangement": _estrangement,
    "dv": _dv,
    "perinatal": _perinatal,
    "accountability": _accountability,
    "crisis": _crisis,
    "trauma-grief": _trauma_grief,
}


def _unique(specs: list[str]) -> list[str]:
    """Each specialty once, the primary first."""
    seen: list[str] = []
    for s in specs:
        if s not in seen:
            seen.append(s)
    return seen


def _trainings(rng: random.Random, specialties: list[str], mods: set[str]) -> set[str]:
    trainings: set[str] = set()
    if "gottman" in mods:
        level = pick_weighted(rng, (("1", 35), ("2", 30), ("3", 20), ("c", 15)))
        trainings.add("gottman-level-1")
        if level in ("2", "3", "c"):
            trainings.add("gottman-level-2")
        if level in ("3", "c"):
            trainings.add("gottman-level-3")
        if level == "c":
            trainings.add("gottman-certified")
    if "eft" in mods:
        trainings.add("eft-externship")
        if rng.random() < 0.3:
            trainings.add("iceeft-certified")
    if "discernment" in mods:
        trainings.add("discernment-trained")
    if "parenting-coordination" in mods:
        trainings.add("parenting-coordinator")
    if "family-mediation" in mods:
        trainings.add("family-mediator")
    if "domestic-violence" in specialties and rng.random() < 0.75:
        trainings.add("dv-advocacy")
    if "perinatal" in specialties and rng.random() < 0.8:
        trainings.add("perinatal-certificate")
    return trainings


def _enforce_coherence(c: Clinical) -> None:
    """Make the clinical profile internally consistent (the tests check these rules)."""
    if c.modalities & set(COUPLES_MODALITIES):
        c.sees.add("couples")
    if c.modalities & set(COPARENT_MODALITIES) or "co-parenting" in c.specialties:
        c.sees.add("co-parents")
    if "structural-family" in c.modalities:
        c.sees.add("families")
    if "estrangement" in c.specialties:
        c.sees.add("parent-adult-child")
    if "perinatal-certificate" in c.trainings and "perinatal" not in c.specialties:
        c.specialties.append("perinatal")


def clinical_profile(rng: random.Random, role: str) -> Clinical:
    specs, sees, mods = ROLES[role](rng, role)
    specialties = _unique(specs)
    profile = Clinical(sees, specialties, mods, _trainings(rng, specialties, mods))
    _enforce_coherence(profile)
    return profile
