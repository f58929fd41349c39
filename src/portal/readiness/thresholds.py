"""Every number and cut-off the readiness rules use, in one place, with where it comes from.

Labels follow shared/design/readiness.md: [FOUND] seen in a cited source, [SECONDARY] second-hand,
[GUESS] a design choice with no source. All [GUESS] values need calibration with a licensed
clinician and a domestic-violence advocate before launch (readiness.md 3.1 principle 6).
"""

from __future__ import annotations

from typing import Final

# --- Safety gate (readiness.md 3.4 step 2) -------------------------------------------------
FREQUENCY_RANK: Final = {"never": 0, "once": 1, "sometimes": 2, "often": 3}
"""Order of the never/once/sometimes/often scale used by S1-S7."""

SAFETY_ITEM_MIN: Final = {
    "S1": "once",  # physical harm, ever by this person
    "S2": "once",  # threats of harm
    "S3": "once",  # fear
    "S4": "once",  # sexual coercion, ever by this person
    "S5a": "once",  # monitoring and control
    "S5b": "once",  # phone / money / accounts cut off (A004-C4)
    "S6": "once",  # stalking
}
"""Lowest answer at which each S item fires the safety gate on its own. Revision 2 (clinical
review): every item counts at ``once``, because coercive control is a pattern built from single
instances and separation is when risk peaks. [GUESS, conservative by design 3.7]"""

S7_GATE_MIN: Final = "sometimes"
S7_GATE_WITH_S3_MIN: Final = "once"
"""S7 (insults, screaming) fires at ``sometimes`` or more together with any fear (S3 at least
``once``). [GUESS] Ordinary shouting without fear is conflict, not a safety signal."""

OTHER_USING: Final = frozenset({"them", "both"})
"""I3a answers meaning the other person drinks or uses more: with any fear (S3 at least
``once``) this is a safety item (Revision 2; drug and alcohol use by the other person is a
Danger Assessment item). [GUESS threshold]"""

RED_FLAG_ITEMS: Final = ("R1", "R2", "R3", "R4", "R5")
"""Any yes makes a safety result urgent (911 first). Lethality indicators [FOUND, WomensLaw /
Maryland screen summary]: the portal does not compute a risk score."""

# --- Crisis and perinatal mood (readiness.md 3.4 step 1, Revision 2) -------------------------
URGENT_CRISIS_ITEMS: Final = ("C1", "C2", "C3", "C7")
"""A yes makes the crisis result urgent. C6 (ever tried to kill yourself, ASQ) gives a crisis
result that is not urgent on its own. [FOUND concept, ASQ / NIMH]"""

PERINATAL_MOOD_ITEMS: Final = ("C5a", "C5b")
PERINATAL_MOOD_SCORE: Final = {
    "not_at_all": 0,
    "several_days": 1,
    "more_than_half": 2,
    "nearly_every_day": 3,
}
PERINATAL_MOOD_MIN: Final = 3
"""C5a + C5b (PHQ-2 concepts, our wording, scored 0-3 each) at or above this, or C5 = yes, gives
at least B_LIKELY with individual perinatal support. The PHQ-2 cut-off is 3. [RECALLED]"""

# --- Conflict & Communication Index (readiness.md 3.2 G3) ---------------------------------
CCI_ITEM_MAX: Final = 4
"""Each D item is scored 0 (never) to 4 (almost always)."""

BAND_MODERATE_MIN: Final = 0.275
BAND_HIGH_MIN: Final = 0.525
"""Bands on distress = CCI total / (4 x items shown): low < 0.275 <= moderate < 0.525 <= high,
i.e. 0-10 / 11-20 / 21-40 when all ten items are shown. Items hidden for a family without
children are left out of both the total and the maximum (rescaling). [GUESS]"""

# --- Urgency points (readiness.md 3.4 step 3) ---------------------------------------------
TRIED_MIN_STEPS: Final = 3
"""Tried at least this many repair steps (T1) with no improvement: A002-12 (b). Count [GUESS]."""

TRIED_NO_CHANGE: Final = frozenset({"same", "worse"})

COMMUNICATION_BROKEN_MIN: Final = 3
"""D6 at or above this = communication has broken down (A002-12 (a)). [GUESS]"""

LONG_DURATION: Final = frozenset({"6_24m", "over_2y"})
"""T3 answers counted as a long delay (people wait years before help). [SECONDARY; cut GUESS]"""

CHILD_EXPOSURE_MIN: Final = 3
"""D5 at or above this with children involved (A000-04/13, A001-05). [GUESS]"""

IMPACT_I1_MIN: Final = "more_than_half"
IMPACT_I1_ORDER: Final = ("not_at_all", "several_days", "more_than_half", "nearly_every_day")
"""I1 at or above this (or I2 = yes) adds a point (state associations' "consider therapy if")."""

PERSONAL_IMPAIRMENT_I1: Final = "nearly_every_day"
"""I1 this high, or I2 = yes, ensures at least C_NOW plus individual support. [GUESS]"""

URGENCY_FOR_C_NOW: Final = 3
URGENCY_FOR_B_LIKELY: Final = 1
"""Urgency points needed for C_NOW / B_LIKELY when the band alone would not reach it. [GUESS]"""

# --- Tracks and add-ons (readiness.md 3.4 step 4) -----------------------------------------
PARALLEL_PARENTING_ITEMS: Final = ("D1", "D2", "D10")
PARALLEL_PARENTING_ITEM_MIN: Final = 3
"""For co-parents: suggest a parallel-parenting structure when the band is high or any of these
items is at or above the minimum. [GUESS]"""

CHILD_FOCUS_D5_MIN: Final = 2
"""+CHILD_FOCUS when children are involved and D5 is at or above this. [GUESS]"""

# --- Self-help plan -------------------------------------------------------------------------
SELFHELP_MAX_STEPS: Final = 3
NO_CONTACT_D6_MIN: Final = 3
"""D6 ("we have basically stopped talking") at "often" or more, in a family: not in contact,
so the plan starts with a first contact instead of rules for conversations. [GUESS]"""
KEPT_UP: Final = frozenset({"months", "over_6m"})
"""T4 answers meaning the steps were kept up long enough not to be offered again. [GUESS]"""
TAKE_STOCK_MIN_TRIED: Final = 2
"""Steps tried and kept up for months from which "take stock" replaces starting over. [GUESS]"""
SELFHELP_MIN_STEPS: Final = 2
RECHECK_WEEKS: Final = (4, 6)
"""A_SELFHELP: take the check again in 4-6 weeks, sooner if things get worse. [GUESS]"""
