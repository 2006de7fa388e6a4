"""How desks are shown, on the locator's pages, in the workspace and in printed guides: week rows,
coming closures and notices, times, days and language names in the reader's locale."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_time
from flask_babel import gettext as _

from portal.clock import PARIS
from portal.desks.loader import WEEKDAYS
from portal.i18n import locale_info


def week_rows(desk, moment: dt.datetime) -> list[dict]:
    """Monday to Sunday with their opening periods; today's row is marked."""
    today = moment.astimezone(PARIS).weekday()
    rows = []
    for weekday, code in enumerate(WEEKDAYS):
        spans = [(slot.opens, slot.closes) for slot in desk.slots if slot.weekday == weekday]
        rows.append({"weekday": weekday, "code": code, "spans": spans, "today": weekday == today})
    return rows


def upcoming(periods, moment: dt.datetime, started: bool = False) -> list:
    """Closures (or notices) that are not over; notices only once they have started."""
    today = moment.astimezone(PARIS).date()
    return [item for item in periods if item.ends_on >= today and (not started or item.starts_on <= today)]


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def desk_time(moment: dt.datetime | dt.time) -> str:
    """A time of day in the reader's locale (14:30, 2:30 PM…), Paris time."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(PARIS).time()
    return format_time(moment, "short")


def desk_day(day: dt.date) -> str:
    """Weekday and date in the reader's own pattern: "lundi 30 novembre 2026", "lunes, 30 de noviembre…"."""
    return format_date(day, "full")


def desk_when(opening: dt.datetime, moment: dt.datetime) -> str:
    """ "today at 13:30", "tomorrow at 09:00" or "Monday 30 November at 09:00"."""
    local, today = opening.astimezone(PARIS), moment.astimezone(PARIS).date()
    time = desk_time(local)
    if local.date() == today:
        return _("today at %(time)s", time=time)
    if local.date() == today + dt.timedelta(days=1):
        return _("tomorrow at %(time)s", time=time)
    return _("%(day)s at %(time)s", day=desk_day(local.date()), time=time)


def weekday_name(weekday: int) -> str:
    """Monday … Sunday in the reader's locale (2026-11-30 is a Monday)."""
    return format_date(dt.date(2026, 11, 30) + dt.timedelta(days=weekday), "EEEE").capitalize()


def language_name(code: str) -> str:
    """A language's own name, so that a speaker recognises it whatever the page's language."""
    try:
        return locale_info(code).autonym
    except ValueError:
        return code
