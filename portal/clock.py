"""The portal's clock: every "now" and "today" is Paris time, whatever the server's time zone.

Tests freeze it by replacing `now` (monkeypatch.setattr(clock, "now", …)); `today` follows.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> dt.datetime:
    return dt.datetime.now(PARIS)


def today() -> dt.date:
    return now().date()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of the month when it has fewer days)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def utcnow() -> dt.datetime:
    """Now in UTC, for the timestamps stored in the database."""
    return dt.datetime.now(dt.UTC)
