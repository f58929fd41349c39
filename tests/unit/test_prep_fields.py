"""The prep form's fields: parsing, caps, the session budget, and what is kept."""

from __future__ import annotations

import json

from portal.prep import BUDGET_BYTES, TEXTS, from_session, parse_form, to_session
from portal.prep.fields import TEXT_BY_NAME


def form(**fields: str | list[str]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


def test_text_is_trimmed_and_kept_as_typed() -> None:
    parsed = parse_form(
        form(why="  I want us to talk\r\nwithout shouting.  ", t_name=" Dana  Park ")
    )
    assert parsed.ok
    assert parsed.values["why"] == "I want us to talk\nwithout shouting."
    assert parsed.values["t_name"] == "Dana Park"


def test_a_too_long_field_is_capped_but_the_typed_text_is_kept_for_the_form() -> None:
    typed = "a" * 10_000
    parsed = parse_form(form(why=typed))
    cap = TEXT_BY_NAME["why"].cap
    assert parsed.too_long == {"why": cap}
    assert parsed.values["why"] == "a" * (cap - 1) + "…"  # marked as cut
    assert parsed.typed["why"] == typed
    assert not parsed.ok


def test_a_shortened_text_ends_at_a_word_and_says_it_was_cut() -> None:
    from portal.prep.fields import shortened

    text = "I want to learn to parent together without fighting in front of our daughter"
    cut = shortened(text, 40)
    assert cut == "I want to learn to parent together…" and len(cut) <= 40
    assert shortened(text, len(text)) == text
    sized = shortened("ñandú " * 20, 30, in_bytes=True)
    assert len(sized.encode()) <= 30 and sized.endswith("ú…")
    assert shortened("abc", 1) == ""  # no room for a letter and the mark


def test_markup_emoji_and_right_to_left_text_are_kept_verbatim() -> None:
    payload = "<script>alert(1)</script> 👨‍👩‍👧 مرحبا שלום"
    parsed = parse_form(form(goal1=payload))
    assert parsed.values["goal1"] == payload


def test_control_characters_are_dropped() -> None:
    assert parse_form(form(who="me\x00\x07 and\u2028 them")).values["who"] == "me and them"


def test_unknown_choices_and_fields_are_ignored() -> None:
    parsed = parse_form(
        form(hap=["comm", "nonsense"], q=["cred_state", "x"], mode="teleport", admin="1")
    )
    assert parsed.values["hap"] == ["comm"]
    assert parsed.values["q"] == ["cred_state"]
    assert parsed.values["mode"] == ""
    assert "admin" not in parsed.values


def test_no_counselor_is_an_empty_slug() -> None:
    assert parse_form(form(counselor="none")).values["counselor"] == ""
    assert parse_form(form(counselor="dana-park")).values["counselor"] == "dana-park"


def test_every_field_at_its_cap_in_four_byte_characters_still_fits_the_cookie_budget() -> None:
    everything = form(**{t.name: "😀" * t.cap for t in TEXTS})
    parsed = parse_form(everything)
    stored = to_session(parsed.values)
    size = sum(len(v.encode()) for v in stored.values() if isinstance(v, str))
    assert size <= BUDGET_BYTES
    assert len(json.dumps(stored, ensure_ascii=False).encode()) < BUDGET_BYTES + 1500
    assert parsed.too_long, "the person is told that some text was shortened"


def test_the_session_keeps_only_what_is_set_and_reads_back_the_same() -> None:
    parsed = parse_form(form(why="Because.", inc_bg="1", hap=["money"], discreet="1"))
    stored = to_session(parsed.values)
    assert stored == {"why": "Because.", "inc_bg": 1, "hap": ["money"], "discreet": 1}
    assert from_session(stored) == parsed.values


def test_a_tampered_or_old_session_is_checked_again() -> None:
    values = from_session({"why": "x" * 5000, "hap": ["comm", 3, "bad"], "mode": ["x"], 7: 1})
    assert len(values["why"]) == TEXT_BY_NAME["why"].cap
    assert values["hap"] == ["comm"]
    assert values["mode"] == ""


def test_text_shortened_for_want_of_room_is_told_apart_from_text_past_its_limit() -> None:
    over_its_limit = parse_form(form(why="a" * 10_000))
    assert over_its_limit.no_room == set()
    crowded = parse_form(form(why="Because we keep fighting.", goal1="b" * 150), budget=120)
    assert crowded.no_room == {"goal1"} and set(crowded.too_long) == {"goal1"}
    assert crowded.values["why"] == "Because we keep fighting."
