"""Opening status of a desk at a moment: a pure function over plain data (no Flask, no database).

Times are local to Europe/Paris, daylight saving included; French public holidays close every desk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import holidays

from portal.clock import PARIS

CLOSING_SOON = dt.timedelta(minutes=30)
UNCONFIRMED_AFTER = dt.timedelta(days=365)  # hours not confirmed for 12 months are not trusted
LOOK_AHEAD_DAYS = 62


class State(StrEnum):
    OPEN = "open"
    CLOSING_SOON = "closing_soon"
    CLOSED = "closed"
    TEMPORARILY_CLOSED = "temporarily_closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 Monday … 6 Sunday
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class DateRange:
    starts_on: dt.date
    ends_on: dt.date  # included

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Hours:
    slots: tuple[Slot, ...]
    closures: tuple[DateRange, ...] = ()
    confirmed_on: dt.date | None = None


@dataclass(frozen=True)
class Status:
    state: State
    closes_at: dt.datetime | None = None  # when open: the end of the current slot
    next_opening: dt.datetime | None = None  # when not open: the start of the next slot
    reopens_on: dt.date | None = None  # when temporarily closed: the day it opens again


@lru_cache(maxsize=32)
def french_holidays(year: int) -> frozenset[dt.date]:
    """Public holidays of metropolitan France for a year."""
    return frozenset(holidays.France(years=year))


class FrenchHolidays(Container):
    """Any date's holiday status, looked up by year on demand."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day in french_holidays(day.year)


FRENCH_HOLIDAYS = FrenchHolidays()


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=PARIS)


def _is_closed_day(hours: Hours, day: dt.date, closed_days: Container) -> bool:
    return day in closed_days or any(closure.covers(day) for closure in hours.closures)


def _day_slots(hours: Hours, day: dt.date) -> Iterable[Slot]:
    """The day's periods in order, periods that touch or overlap merged (9-12 and 12-17 is 9-17)."""
    merged: list[Slot] = []
    for slot in sorted(
        (slot for slot in hours.slots if slot.weekday == day.weekday()), key=lambda slot: slot.opens
    ):
        if merged and slot.opens <= merged[-1].closes:
            merged[-1] = Slot(slot.weekday, merged[-1].opens, max(merged[-1].closes, slot.closes))
        else:
            merged.append(slot)
    return merged


def next_opening(
    hours: Hours, after: dt.datetime, closed_days: Container = FRENCH_HOLIDAYS
) -> dt.datetime | None:
    """The start of the first slot strictly after a moment, skipping holidays and closures."""
    local = after.astimezone(PARIS)
    for offset in range(LOOK_AHEAD_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        if _is_closed_day(hours, day, closed_days):
            continue
        for slot in _day_slots(hours, day):
            start = _at(day, slot.opens)
            if start > local:
                return start
    return None


def status(hours: Hours, moment: dt.datetime, closed_days: Container = FRENCH_HOLIDAYS) -> Status:
    """Open, closing soon, closed (and when it opens next), temporarily closed, or unknown."""
    if moment.tzinfo is None:
        raise ValueError("the moment must carry its time zone")
    local = moment.astimezone(PARIS)
    today = local.date()
    too_old = hours.confirmed_on is None or local - _at(hours.confirmed_on, dt.time()) > UNCONFIRMED_AFTER
    if too_old or not hours.slots:
        return Status(State.UNKNOWN)  # hours too old, or none (by appointment or by phone only)
    closure = next((closure for closure in hours.closures if closure.covers(today)), None)
    if closure is not None:
        reopening = next_opening(hours, local, closed_days)
        return Status(
            State.TEMPORARILY_CLOSED,
            next_opening=reopening,
            reopens_on=reopening.date() if reopening else None,
        )
    if today not in closed_days:
        for slot in _day_slots(hours, today):
            start, end = _at(today, slot.opens), _at(today, slot.closes)
            if start <= local < end:
                state = State.CLOSING_SOON if end - local <= CLOSING_SOON else State.OPEN
                return Status(state, closes_at=end)
    return Status(State.CLOSED, next_opening=next_opening(hours, local, closed_days))
