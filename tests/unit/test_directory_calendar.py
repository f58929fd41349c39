"""Calendar files for a booked appointment and a check-in: valid RFC 5545, neutral titles."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.directory.calendar import Event, appointment, check_in, escape, fold, ics

NOW = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def props(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in unfold(text):
        if ":" in line:
            name, value = line.split(":", 1)
            found.setdefault(name, value)
    return found


def test_an_appointment_is_an_all_day_event_with_a_neutral_title() -> None:
    text = ics(appointment(date(2026, 12, 14), key="ana"), now=NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    p = props(text)
    assert p["SUMMARY"] == "Appointment"
    assert p["DTSTART;VALUE=DATE"] == "20261214" and p["DTEND;VALUE=DATE"] == "20261215"
    assert p["DTSTAMP"] == "20261207T033000Z"
    assert p["UID"].endswith("@portal.invalid")
    assert "DESCRIPTION:With" not in text  # no name unless asked for
    assert "TRIGGER:-P1D" in text
    for word in ("counsel", "therap", "ana"):
        assert word not in text.lower()


def test_the_name_and_phone_go_in_the_notes_only_when_asked() -> None:
    text = ics(
        appointment(date(2026, 12, 14), name="Ana Ruiz, LMFT", phone="718-555-0188"), now=NOW
    )
    assert props(text)["SUMMARY"] == "Appointment"
    assert "DESCRIPTION:With Ana Ruiz\\, LMFT\\, phone 718-555-0188." in unfold(text)


def test_saving_again_keeps_the_same_event() -> None:
    first = props(ics(appointment(date(2026, 12, 14), key="ana"), now=NOW))["UID"]
    again = props(ics(appointment(date(2026, 12, 14), key="ana", name="Ana"), now=NOW))["UID"]
    other = props(ics(appointment(date(2026, 12, 14), key="bo"), now=NOW))["UID"]
    assert first == again != other


def test_a_check_in_says_nothing_sensitive() -> None:
    text = ics(check_in(date(2027, 1, 4)), now=NOW)
    p = props(text)
    assert p["SUMMARY"] == "Check in again"
    assert p["DTSTART;VALUE=DATE"] == "20270104"
    for word in ("counsel", "therap", "readiness", "relationship", "portal"):
        assert word not in p["SUMMARY"].lower() + p["DESCRIPTION"].lower()


def test_text_is_escaped() -> None:
    assert escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    text = ics(Event("x", date(2026, 1, 1), "line one\nline; two"), now=NOW)
    assert "DESCRIPTION:line one\\nline\\; two" in unfold(text)


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SUMMARY:short") == "SUMMARY:short"
