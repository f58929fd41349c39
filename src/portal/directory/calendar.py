"""Calendar files (iCalendar, RFC 5545) for a booked appointment and a "check in again" date.

A calendar is often shared, synced to other devices or glanced at on a lock screen, and the
title is what shows there. So the title is neutral ("Appointment", "Check in again"): a
counselor's name next to the word "counseling" would tell anyone looking what the appointment
is. The counselor's name and phone go into the event's notes only when the person asks for
them. The events are all-day (only the date is known) with a reminder the day before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.directory.outreach import words

PRODID = "-//Portal//Shortlist//EN"
_LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    title: str
    day: date
    description: str = ""
    key: str = ""
    """What makes the event the same one when saved again (its UID is a hash of it, so the
    calendar updates the event instead of adding a second)."""


def _same(text: str) -> str:
    return text


def appointment(
    day: date,
    *,
    name: str = "",
    phone: str = "",
    key: str = "",
    say: Callable[[str], str] = _same,
) -> Event:
    """A booked appointment. ``name`` and ``phone`` are put in the notes only if given;
    ``say`` translates the words."""
    cal = words()["calendar"]
    note = say(cal["appointment_with"]).format(name=name, phone=phone) if name else ""
    return Event(say(cal["appointment"]), day, note, f"appointment:{key}")


def check_in(day: date, *, say: Callable[[str], str] = _same) -> Event:
    cal = words()["calendar"]
    return Event(say(cal["check_in"]), day, say(cal["check_in_note"]), "check-in")


def ics(event: Event, *, now: datetime) -> str:
    """The event as an iCalendar file: CRLF line ends, text escaped, long lines folded."""
    uid = hashlib.sha256(f"{event.key}:{event.day.isoformat()}".encode()).hexdigest()[:32]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@portal.invalid",
        f"DTSTAMP:{now.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(event.day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(event.title)}",
        *([f"DESCRIPTION:{escape(event.description)}"] if event.description else []),
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(event.title)}",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = _LINE_OCTETS
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = char, n, _LINE_OCTETS - 1  # a continuation starts with a space
        else:
            current += char
            size += n
    out.append(current)
    return "\r\n ".join(out)
