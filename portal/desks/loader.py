"""Loading content/desks.yaml: organisations and desks, checked first; one bad entry changes nothing.

A desk is matched by its `key`. The file updates a desk only when its `updated_on` is not older than the
database's, so that what partners change later in the back-office is not overwritten by an old file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.content import ContentError, read_yaml
from portal.desks.models import ACCESS_MODES, LEVELS, Closure, Desk, DeskNotice, OpeningSlot
from portal.partners.models import ORGANISATION_KINDS, Organisation
from portal.territory.models import Commune

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SERVICES = ("on_site", "by_phone", "online")
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


@dataclass
class DeskReport:
    organisations: int = 0
    created: int = 0
    updated: int = 0
    kept: int = 0

    def summary(self) -> str:
        return (
            f"{self.organisations} organisations; desks: {self.created} added, {self.updated} updated, "
            f"{self.kept} kept (newer in the database)"
        )


class _Checker:
    """Collects every problem of the file, each naming the desk and the field."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path}: {where}: {message}")

    def text(self, raw: dict, key: str, where: str, required: bool = False, limit: int = 300) -> str:
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"`{key}` must be text")
            return ""
        if required and not value.strip():
            self.fail(where, f"`{key}` is missing")
        if len(value) > limit:
            self.fail(where, f"`{key}` is longer than {limit} characters")
        return value.strip()

    def date(self, raw: dict, key: str, where: str, required: bool = False) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(where, f"`{key}` is missing")
            return None
        if not isinstance(value, dt.date):
            self.fail(where, f"`{key}` must be a date like 2026-11-28")
            return None
        return value


def _spans(checker: _Checker, raw, where: str) -> list[tuple[int, dt.time, dt.time]]:
    slots = []
    if not isinstance(raw, dict):
        checker.fail(where, '`hours` must map days (mon … sun) to lists like "09:00-12:00"')
        return slots
    for day, spans in raw.items():
        if day not in WEEKDAYS:
            checker.fail(where, f"`hours` has an unknown day `{day}` (mon … sun)")
            continue
        for span in spans or ():
            match = _SPAN.match(str(span))
            if not match:
                checker.fail(where, f"`hours.{day}`: `{span}` is not like 09:00-12:00")
                continue
            opens = dt.time(int(match[1]), int(match[2]))
            closes = dt.time(int(match[3]), int(match[4]))
            if closes <= opens:
                checker.fail(where, f"`hours.{day}`: `{span}` closes before it opens")
                continue
            slots.append((WEEKDAYS.index(day), opens, closes))
    for weekday in range(7):
        day_slots = sorted((opens, closes) for day, opens, closes in slots if day == weekday)
        for (_, first_close), (second_open, _) in pairwise(day_slots):
            if second_open < first_close:
                checker.fail(where, f"`hours.{WEEKDAYS[weekday]}`: two periods overlap")
    return slots


def _periods(
    checker: _Checker, raw, key: str, where: str, text_key: str
) -> list[tuple[dt.date, dt.date, str]]:
    periods = []
    for index, item in enumerate(raw or ()):
        here = f"{where} {key}[{index}]"
        if not isinstance(item, dict):
            checker.fail(here, "must be a mapping with `from` and `to`")
            continue
        start, end = checker.date(item, "from", here, True), checker.date(item, "to", here, True)
        if start and end and end < start:
            checker.fail(here, "`to` is before `from`")
        text = checker.text(item, text_key, here, required=text_key == "text")
        if start and end:
            periods.append((start, end, text))
    return periods


def read_desks_file(path: Path, communes: dict[str, Commune]) -> tuple[list[dict], list[dict]]:
    """The file's organisations and desks as checked plain data; ContentError lists every problem."""
    checker = _Checker(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: must be a mapping with `organisations` and `desks`")
    organisations = []
    for index, item in enumerate(raw.get("organisations") or ()):
        where = f"organisations[{index}]"
        if not isinstance(item, dict):
            checker.fail(where, "must be a mapping")
            continue
        slug = checker.text(item, "slug", where, True, 80)
        if item.get("kind") not in ORGANISATION_KINDS:
            checker.fail(where, f"`kind` must be one of {', '.join(ORGANISATION_KINDS)}")
        organisations.append(
            {"slug": slug, "name": checker.text(item, "name", where, True, 200), "kind": item.get("kind")}
        )
    known = {item["slug"] for item in organisations}
    desks, keys = [], set()
    for index, item in enumerate(raw.get("desks") or ()):
        if not isinstance(item, dict):
            checker.fail(f"desks[{index}]", "must be a mapping")
            continue
        key = checker.text(item, "key", f"desks[{index}]", True, 80)
        where = f"desk `{key}`"
        if key in keys:
            checker.fail(where, "`key` appears twice")
        keys.add(key)
        if item.get("organisation") not in known:
            checker.fail(where, "`organisation` must be the slug of an organisation of the file")
        if item.get("level") not in LEVELS:
            checker.fail(where, "`level` must be 1 (information), 2 (registration) or 3 (support)")
        commune = str(item.get("commune", ""))
        if commune not in communes:
            checker.fail(where, f"`commune` {commune!r} is not a commune of the territory")
        postcode = str(item.get("postcode", ""))
        if not re.fullmatch(r"\d{5}", postcode):
            checker.fail(where, "`postcode` must have 5 digits")
        lat, lon = item.get("lat"), item.get("lon")
        if not (
            isinstance(lat, int | float)
            and isinstance(lon, int | float)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        ):
            checker.fail(where, "`lat` and `lon` must be coordinates in degrees")
        services = item.get("services") or ["on_site"]
        if not isinstance(services, list) or set(services) - set(SERVICES):
            checker.fail(where, f"`services` lists some of {', '.join(SERVICES)}")
            services = []
        if item.get("access", "walk_in") not in ACCESS_MODES:
            checker.fail(where, f"`access` must be one of {', '.join(ACCESS_MODES)}")
        languages = item.get("languages") or ["fr"]
        if not isinstance(languages, list) or not all(
            re.fullmatch(r"[a-z]{2,3}", str(code)) for code in languages
        ):
            checker.fail(where, "`languages` lists language codes like fr, en, ar")
            languages = ["fr"]
        desks.append(
            {
                "key": key,
                "organisation": item.get("organisation"),
                "level": item.get("level"),
                "name": checker.text(item, "name", where, True, 200),
                "address": checker.text(item, "address", where, True),
                "postcode": postcode,
                "commune_insee": commune,
                "latitude": lat,
                "longitude": lon,
                "phone": checker.text(item, "phone", where, limit=40),
                "email": checker.text(item, "email", where),
                "website": checker.text(item, "website", where),
                "on_site": "on_site" in services,
                "by_phone": "by_phone" in services,
                "online": "online" in services,
                "access_mode": item.get("access", "walk_in"),
                "step_free": bool(item.get("step_free", False)),
                "accessibility_notes": checker.text(item, "accessibility", where, limit=2000),
                "languages": " ".join(languages),
                "publics": checker.text(item, "publics", where, limit=2000),
                "documents": checker.text(item, "documents", where, limit=2000),
                "directions": checker.text(item, "directions", where, limit=2000),
                "hours_confirmed_on": checker.date(item, "hours_confirmed_on", where),
                "updated_on": checker.date(item, "updated_on", where, True),
                "demo": bool(raw.get("demo", False)),
                "slots": _spans(checker, item.get("hours", {}), where),
                "closures": _periods(checker, item.get("closures"), "closures", where, "reason"),
                "notices": _periods(checker, item.get("notices"), "notices", where, "text"),
            }
        )
        if item.get("website") and not str(item["website"]).startswith("https://"):
            checker.fail(where, "`website` must start with https://")
    if checker.problems:
        raise ContentError("\n".join(checker.problems))
    return organisations, desks


def load_desks(session: Session, path: Path) -> DeskReport:
    """Upsert the file's organisations and desks (see the module docstring for which wins)."""
    communes = {commune.insee: commune for commune in session.scalars(select(Commune))}
    organisations, desks = read_desks_file(path, communes)
    report = DeskReport()
    by_slug = {organisation.slug: organisation for organisation in session.scalars(select(Organisation))}
    for item in organisations:
        organisation = by_slug.get(item["slug"]) or Organisation(slug=item["slug"])
        organisation.name, organisation.kind = item["name"], item["kind"]
        session.add(organisation)
        by_slug[item["slug"]] = organisation
        report.organisations += 1
    session.flush()
    existing = {desk.key: desk for desk in session.scalars(select(Desk))}
    for item in desks:
        desk = existing.get(item["key"])
        if desk is not None and desk.updated_on > item["updated_on"]:
            report.kept += 1
            continue
        if desk is None:
            desk = Desk(key=item["key"])
            report.created += 1
        else:
            report.updated += 1
        for name, value in item.items():
            if name not in ("key", "organisation", "slots", "closures", "notices"):
                setattr(desk, name, value)
        desk.organisation = by_slug[item["organisation"]]
        desk.slots = [
            OpeningSlot(weekday=day, opens=opens, closes=closes) for day, opens, closes in item["slots"]
        ]
        desk.closures = [
            Closure(starts_on=start, ends_on=end, reason=text) for start, end, text in item["closures"]
        ]
        desk.notices = [
            DeskNotice(starts_on=start, ends_on=end, text=text) for start, end, text in item["notices"]
        ]
        session.add(desk)
    session.flush()
    return report
