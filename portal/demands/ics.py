"""The renewal deadline as an iCalendar file (RFC 5545), made on the fly for the applicant's own device and
stored nowhere: the last day of the demand and a reminder a month before, each at 9:00 in Paris (written
in UTC, so every calendar shows the right hour wherever it is) with an alarm."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from portal.clock import PARIS, months_before

HOUR = dt.time(9, 0)
LENGTH = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class CalendarEvent:
    day: dt.date
    summary: str
    description: str


def escape(text: str) -> str:
    """A TEXT value: backslashes, semicolons, commas and line breaks escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets go on, after CRLF and a space (never inside a UTF-8 character)."""
    encoded, parts, start = line.encode(), [], 0
    limit = 75
    while len(encoded) - start > limit:
        end = start + limit
        while end > start and (encoded[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, 74  # the following lines start with a space
    parts.append(encoded[start:].decode())
    return "\r\n ".join(parts)


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def renewal_events(deadline: dt.date, texts: dict[str, str]) -> list[CalendarEvent]:
    """The deadline and the reminder a month before; `texts` holds the translated words."""
    return [
        CalendarEvent(months_before(deadline, 1), texts["reminder"], texts["reminder_description"]),
        CalendarEvent(deadline, texts["deadline"], texts["deadline_description"]),
    ]


def calendar_file(events: list[CalendarEvent], uid_seed: str, host: str, url: str, now: dt.datetime) -> bytes:
    """The VCALENDAR of `events`; their UIDs derive from `uid_seed` (a keyed hash, never the number), so
    importing the file again updates the same events rather than adding copies."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{host}//renewal reminder//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for index, event in enumerate(events):
        start = dt.datetime.combine(event.day, HOUR, PARIS)
        uid = hashlib.sha256(f"{uid_seed}|{index}".encode()).hexdigest()[:32]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@{host}",
            f"DTSTAMP:{utc_stamp(now)}",
            f"DTSTART:{utc_stamp(start)}",
            f"DTEND:{utc_stamp(start + LENGTH)}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description)}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT0M",
            f"DESCRIPTION:{escape(event.summary)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
