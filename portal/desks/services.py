"""Finding desks: by commune (typo-tolerant), postcode or position; filters; distance; opening status."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.desks.hours import DateRange, Hours, Slot, State, Status, status
from portal.desks.models import Closure, Desk, OpeningSlot
from portal.territory.models import Commune
from portal.territory.services import haversine_km
from portal.text import folded


def _squeezed(value: str) -> str:
    """Letters and digits only: "Sargé-lès-le-Mans" and "sarge les le mans" compare equal."""
    return re.sub(r"[^a-z0-9]", "", folded(value))


def within_one_edit(a: str, b: str) -> bool:
    """True when b is a with at most one letter inserted, deleted or replaced."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) <= 1


def find_communes(communes: list[Commune], query: str) -> list[Commune]:
    """Communes matching a postcode, or a name (exact, then start, then one typo away)."""
    query = query.strip()
    if re.fullmatch(r"\d{5}", query):
        return [commune for commune in communes if query in commune.postcode_list]
    wanted = _squeezed(query)
    if not wanted:
        return []
    for match in (
        lambda name: name == wanted,
        lambda name: name.startswith(wanted) and len(wanted) >= 3,
        lambda name: len(wanted) >= 4 and within_one_edit(name, wanted),
    ):
        found = [commune for commune in communes if match(_squeezed(commune.name))]
        if found:
            return found
    return []


@dataclass(frozen=True)
class Filters:
    min_level: int | None = None  # 2 finds registration desks and personal-support desks
    open_now: bool = False
    walk_in: bool = False
    step_free: bool = False
    language: str | None = None


@dataclass(frozen=True)
class DeskResult:
    desk: Desk
    distance_km: float | None
    status: Status


def desk_hours(desk: Desk) -> Hours:
    return Hours(
        slots=tuple(Slot(slot.weekday, slot.opens, slot.closes) for slot in desk.slots),
        closures=tuple(DateRange(closure.starts_on, closure.ends_on) for closure in desk.closures),
        confirmed_on=desk.hours_confirmed_on,
    )


def desk_status(desk: Desk, moment: dt.datetime) -> Status:
    return status(desk_hours(desk), moment)


def _candidate_rows(
    session: Session, filters: Filters, box: tuple[float, float, float, float] | None
) -> list:
    """(id, name, latitude, longitude, hours_confirmed_on) of the desks passing the column filters."""
    query = select(Desk.id, Desk.name, Desk.latitude, Desk.longitude, Desk.hours_confirmed_on)
    if filters.min_level:
        query = query.where(Desk.level >= filters.min_level)
    if filters.walk_in:
        query = query.where(Desk.access_mode.in_(("walk_in", "both")))
    if filters.step_free:
        query = query.where(Desk.step_free.is_(True))
    if filters.language:
        query = query.where((" " + Desk.languages + " ").contains(f" {filters.language} "))
    if box is not None:
        south, north, west, east = box
        query = query.where(Desk.latitude.between(south, north), Desk.longitude.between(west, east))
    return list(session.execute(query))


def _hours(session: Session, rows: list) -> dict[int, Hours]:
    """The opening hours of these desks, read in two queries (not through the ORM: it is the hot path)."""
    ids = [row.id for row in rows]
    slots: dict[int, list[Slot]] = {desk_id: [] for desk_id in ids}
    closures: dict[int, list[DateRange]] = {desk_id: [] for desk_id in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for desk_id, weekday, opens, closes in session.execute(
            select(OpeningSlot.desk_id, OpeningSlot.weekday, OpeningSlot.opens, OpeningSlot.closes).where(
                OpeningSlot.desk_id.in_(chunk)
            )
        ):
            slots[desk_id].append(Slot(weekday, opens, closes))
        for desk_id, starts_on, ends_on in session.execute(
            select(Closure.desk_id, Closure.starts_on, Closure.ends_on).where(Closure.desk_id.in_(chunk))
        ):
            closures[desk_id].append(DateRange(starts_on, ends_on))
    return {
        row.id: Hours(tuple(slots[row.id]), tuple(closures[row.id]), row.hours_confirmed_on) for row in rows
    }


def _desks(session: Session, ids: list[int]) -> dict[int, Desk]:
    """The chosen desks, with what their display needs, in a fixed number of queries."""
    if not ids:
        return {}
    found = session.scalars(
        select(Desk)
        .where(Desk.id.in_(ids))
        .options(
            selectinload(Desk.slots),
            selectinload(Desk.closures),
            joinedload(Desk.organisation),
            joinedload(Desk.commune),
        )
    )
    return {desk.id: desk for desk in found}


def _box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def search_desks(
    session: Session,
    *,
    moment: dt.datetime,
    filters: Filters = Filters(),
    point: tuple[float, float] | None = None,
    limit: int | None = None,
    radius_km: float | None = None,
) -> list[DeskResult]:
    """Desks passing the filters, nearest first when a point is given, else by name.

    With a point and a limit, the search looks in a growing box around the point, so that a large
    network is not read whole to find the ten nearest desks; only the desks returned are fully loaded.
    """
    radius = radius_km if radius_km is not None else (5.0 if point and limit else None)
    while True:
        box = _box(point[0], point[1], radius) if point and radius else None
        rows = _candidate_rows(session, filters, box)
        if point:
            ranked = [(haversine_km(point[0], point[1], row.latitude, row.longitude), row) for row in rows]
            ranked = [(distance, row) for distance, row in ranked if not radius or distance <= radius]
            ranked.sort(key=lambda item: (item[0], item[1].name))
        else:
            ranked = sorted(((None, row) for row in rows), key=lambda item: folded(item[1].name))
        hours = _hours(session, [row for _, row in ranked])
        chosen = []
        for distance, row in ranked:
            state = status(hours[row.id], moment)
            if filters.open_now and state.state not in (State.OPEN, State.CLOSING_SOON):
                continue
            chosen.append((row.id, distance, state))
            if limit and len(chosen) >= limit:
                break
        enough = limit is None or len(chosen) >= limit
        if box is None or radius_km is not None or enough or radius > 400:
            break
        radius *= 2
    desks = _desks(session, [desk_id for desk_id, _, _ in chosen])
    return [DeskResult(desks[desk_id], distance, state) for desk_id, distance, state in chosen]


def desk(session: Session, desk_id: int) -> Desk | None:
    return session.scalars(
        select(Desk)
        .where(Desk.id == desk_id)
        .options(
            selectinload(Desk.slots),
            selectinload(Desk.closures),
            selectinload(Desk.notices),
            joinedload(Desk.organisation),
            joinedload(Desk.commune),
        )
    ).first()


def spoken_languages(session: Session) -> list[str]:
    """Every language code some desk speaks, for the language filter."""
    codes = set()
    for languages in session.scalars(select(Desk.languages)):
        codes.update(languages.split())
    return sorted(codes)


def desks_in_commune(session: Session, insee: str, moment: dt.datetime) -> list[DeskResult]:
    """The desks of one commune, by name (for the commune page)."""
    desks = session.scalars(
        select(Desk)
        .where(Desk.commune_insee == insee)
        .options(selectinload(Desk.slots), selectinload(Desk.closures), joinedload(Desk.commune))
    )
    return sorted(
        (DeskResult(item, None, desk_status(item, moment)) for item in desks),
        key=lambda result: folded(result.desk.name),
    )
