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
