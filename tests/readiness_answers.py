"""Complete answer sets for the public vignettes, shared by route and browser tests."""

from __future__ import annotations

from typing import Any

from portal.readiness import validate_all, visible_answers

QUIET: dict[str, Any] = {
    "G0.5": "yes",
    "G0.6": "yes",
    "G0.7": "yes",
    "G0.2": "no",
    "G0.2a": [],
    "G0.3": "no",
    "G0.4": ["none"],
    **{c: "no" for c in ("C1", "C2", "C3", "C4", "C5", "C6", "C7")},
    "C5a": "not_at_all",
    "C5b": "not_at_all",
    **{s: "never" for s in ("S1", "S2", "S3", "S4", "S5a", "S5b", "S6", "S7")},
    **{r: "no" for r in ("R1", "R2", "R3", "R4", "R5", "U1", "K1")},
    **{f"D{i}": 0 for i in range(1, 11)},
    "T1": ["none"],
    "T3": "1_6m",
    "T4": "",
    "E1": "work_on_it",
    "E2": "work_on_it",
    "E3": "yes",
    "E4": "involved",
    "E5": "yes",
    "E6": "reconnect",
    "I1": "not_at_all",
    "I2": "no",
    "I3": "no",
    "I3a": "me",
    "I4": "yes",
    "I5": "no",
    "F1": "",
    **{p: "" for p in ("P1", "P3", "P4", "P5", "P6")},
    "P2": [],
}


def vignette(relationship: str, **named: Any) -> dict[str, Any]:
    """A valid, complete answer set (keyword ``G0_3`` means item ``G0.3``)."""
    raw = {**QUIET, "G0.1": relationship}
    raw.update({key.replace("_", "."): value for key, value in named.items()})
    shown = visible_answers(raw)
    assert validate_all(shown) == {}, validate_all(shown)
    return shown


V1 = vignette("coparent_ex", G0_3="yes", S5b="once", E1="work_on_it", E2="left", E3="no")
V2 = vignette(
    "coparent_ex",
    G0_2="yes",
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
V6 = vignette(
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
    E3="maybe",
    E5="no",
    P1="60614",
)
