"""The free-text screening: crisis and abuse language read in what a person writes."""

from __future__ import annotations

import pytest

from portal.readiness.lexicon import find_disclosures, screen
from tests.unit import screening_cases_en as en


def kinds(text: str, lang: str | None = None) -> set[str]:
    return {d.kind for d in screen(text, lang)}


@pytest.mark.parametrize(("text", "kind"), en.CRISIS)
def test_crisis_language_is_read_as_crisis(text: str, kind: str) -> None:
    found = screen(text, "en")
    assert kind in {d.kind for d in found}, found
    assert any(d.crisis for d in found)
    assert find_disclosures(text)


@pytest.mark.parametrize(("text", "kind"), en.ABUSE)
def test_abuse_and_coercive_control_are_read(text: str, kind: str) -> None:
    found = screen(text, "en")
    assert kind in {d.kind for d in found}, found
    assert not any(d.crisis for d in found), found
    assert find_disclosures(text)


@pytest.mark.parametrize("text", en.ORDINARY)
def test_ordinary_conflict_stays_ordinary(text: str) -> None:
    assert screen(text) == []
    assert find_disclosures(text) == []


@pytest.mark.parametrize("text", en.DENIALS)
def test_a_plain_denial_is_not_a_disclosure(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(("text", "kind"), en.NOT_DENIALS)
def test_a_denial_that_leaves_the_door_open_still_counts(text: str, kind: str) -> None:
    assert kind in kinds(text)
