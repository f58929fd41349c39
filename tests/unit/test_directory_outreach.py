"""A first message to a counselor: only what the person chose to share, and nothing about the
situation after a safety or crisis result."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from portal.directory import outreach
from portal.directory.outreach import Choices, Counselor, build, help_kind, suggested, words
from portal.directory.taxonomy import taxonomy
from portal.i18n import translate

ANA = Counselor(name="Ana Ruiz", formats=("in-person", "video"))
EVERYTHING = Choices(
    help="coparent",
    formats=("in-person", "video"),
    evenings=True,
    payment="aetna",
    language="es",
    sender="Sam",
)


TITLES = {words()["subject"], words()["calendar"]["appointment"], words()["calendar"]["check_in"]}


def label(facet: str, slug: str) -> str:
    return taxonomy().label(facet, slug)


def every_sentence() -> list[str]:
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key != "_about":
                    walk(inner)

    walk(words())
    return found


def test_nothing_chosen_gives_a_short_plain_request() -> None:
    message = build(ANA, Choices(), safe=False)
    assert message.body == (
        "Hello Ana Ruiz,\n\n"
        "I found your listing and I am looking for a counselor.\n\n"
        "Are you taking new clients, and when could a first appointment be?\n\n"
        "Thank you,"
    )
    assert message.shared == ()
    assert message.subject == "New client inquiry"


def test_each_choice_adds_its_own_whole_sentence() -> None:
    message = build(ANA, EVERYTHING, safe=False, label=label)
    w = words()
    for sentence in (
        w["help"]["coparent"],
        w["formats"]["in-person,video"],
        w["evenings"],
        "I have Aetna insurance. Could I use it for sessions with you?",
        "I would like to have sessions in Spanish.",
    ):
        assert sentence in message.body
        assert sentence in message.phone_script
    assert message.body.endswith("Thank you,\nSam")
    assert message.phone_script[0] == "Hello, my name is Sam."
    assert message.shared == ("help", "formats", "evenings", "payment", "language")


def test_formats_are_only_those_the_counselor_offers() -> None:
    message = build(ANA, Choices(formats=("phone", "video")), safe=False)
    assert "I would like to meet by video." in message.body
    assert "phone" not in message.body.lower().replace("phone number", "")
    assert "formats" not in build(ANA, Choices(formats=("phone",)), safe=False).shared


@pytest.mark.parametrize("payment", ["sliding_scale", "self_pay"])
def test_other_ways_to_pay(payment: str) -> None:
    assert words()["payment"][payment] in build(ANA, Choices(payment=payment), safe=False).body


@pytest.mark.parametrize("safe_time", ["", "after 6"])
def test_the_safe_message_shares_nothing_about_the_situation(safe_time: str) -> None:
    message = build(ANA, replace(EVERYTHING, safe_time=safe_time), safe=True, label=label)
    said = " ".join([message.subject, message.body, *message.phone_script, message.phone_tip])
    for sentence in [
        *words()["help"].values(),
        *words()["formats"].values(),
        words()["evenings"],
        "Aetna",
        "Spanish",
        words()["opening"],
    ]:
        assert sentence not in said
    for word in ("couple", "partner", "parent", "family", "relationship", "co-parent", "safe"):
        assert word not in said.lower()
    assert "Please do not leave a detailed message." in message.body
    assert "Please reply only to this email address." in message.body
    assert message.safe and message.shared == (("safe_time",) if safe_time else ())


def test_the_safe_message_asks_for_the_time_and_way_typed() -> None:
    message = build(
        ANA,
        Choices(sender="Sam", safe_time="weekdays 10 to 12.", safe_way="text 555-0100 first"),
        safe=True,
    )
    assert "The best time to reach me is weekdays 10 to 12." in message.body
    assert "Please reach me only this way: text 555-0100 first." in message.body
    assert "reply only to this email" not in message.body
    assert message.phone_script == (
        "Hello, my name is Sam.",
        words()["safe"]["phone_ask"],
        "The best time to reach me is weekdays 10 to 12.",
        "Please reach me only this way: text 555-0100 first.",
        "Please do not leave a detailed message.",
    )
    assert message.shared == ("safe_time", "safe_way")


def test_typed_text_is_one_short_line() -> None:
    message = build(ANA, Choices(sender="Sam\r\nBcc: x@example.org" + "y" * 100), safe=False)
    assert message.body.endswith("Thank you,\nSam Bcc: x@example.org" + "y" * 18)


def test_the_mailto_link_carries_subject_and_body() -> None:
    message = build(ANA, EVERYTHING, safe=False, label=label)
    href = message.mailto("ana.ruiz@example.org")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "ana.ruiz@example.org"
    assert " " not in href and "\n" not in href
    query = parse_qs(parts.query)
    assert query["subject"] == ["New client inquiry"]
    assert query["body"] == [message.body.replace("\n", "\r\n")]
    assert "%0D%0A%0D%0A" in href and unquote(href).count("&") == 1  # no stray parameter


@pytest.mark.parametrize(
    ("track", "relationship", "kind"),
    [
        ("T_COUPLES", "partner", "couples"),
        ("T_DISCERN", "partner", "discernment"),
        ("T_COPARENT", "coparent_ex", "coparent"),
        ("T_FAMILY", "my_parent", "with_parent"),
        ("T_FAMILY", "my_adult_child", "with_adult_child"),
        ("T_FAMILY", "other_family", "family"),
        ("T_INDIV", "ex_no_children", "individual"),
        (None, None, None),
    ],
)
def test_the_kind_of_help_follows_the_track(
    track: str | None, relationship: str | None, kind: str | None
) -> None:
    assert help_kind(track, relationship) == kind


def test_suggested_choices_come_from_the_practical_answers() -> None:
    answers = {"G0.1": "my_adult_child", "P2": ["video", "bogus"], "P3": "es", "P4": "not_sure"}
    assert suggested({**answers, "P5": "yes"}, "T_FAMILY") == Choices(
        help="with_adult_child", formats=("video",), evenings=True, payment="", language="es"
    )
    assert suggested({"P3": "en", "P4": "cigna"}, None) == Choices(payment="cigna")


def test_safe_mode_follows_the_outcome_and_the_short_screen() -> None:
    assert outreach.is_safe_mode("D_SAFETY") and outreach.is_safe_mode("E_CRISIS")
    assert outreach.is_safe_mode("B_LIKELY", short_screen=True)
    assert not outreach.is_safe_mode("C_NOW") and not outreach.is_safe_mode(None)


def test_every_sentence_is_whole() -> None:
    """Translators get whole sentences: each starts with a capital (or a placeholder) and ends
    with a full stop, a question mark or a comma (the greeting and closing)."""
    for sentence in every_sentence():
        if sentence in TITLES:
            continue
        assert re.match(r"^[A-Z{]", sentence), sentence
        assert sentence[-1] in ".?,", sentence


@pytest.mark.parametrize("sender", ["M.", "M"])
def test_a_name_signed_with_an_initial_ends_the_sentence_once(sender: str) -> None:
    message = build(ANA, Choices(sender=sender), safe=False)
    assert message.phone_script[0] == "Hello, my name is M."
    assert message.body.endswith(f"Thank you,\n{sender}")
    spanish = build(ANA, Choices(sender=sender), safe=False, say=lambda s: translate(s, "es"))
    assert spanish.phone_script[0] == "Hola, me llamo M."
