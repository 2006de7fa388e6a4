"""Partners keep their desks current: their changes (contact, hours, closures, notices, confirmation), the
desks not confirmed for a while, and who is reminded of them."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.clock import months_before
from portal.desks.models import Closure, Desk, DeskNotice, OpeningSlot
from portal.partners import audit
from portal.partners.models import Membership, Organisation, User

EDITABLE = ("phone", "email", "website", "languages", "step_free", "accessibility_notes", "documents")


def stale_desks(session: Session, today: dt.date, months: int, organisation_ids=None) -> list[Desk]:
    """Desks whose hours were never confirmed, or not for `months` months, by organisation then name."""
    limit = months_before(today, months)
    query = (
        select(Desk)
        .where(or_(Desk.hours_confirmed_on.is_(None), Desk.hours_confirmed_on < limit))
        .options(selectinload(Desk.organisation), selectinload(Desk.commune))
        .order_by(Desk.organisation_id, Desk.name)
    )
    if organisation_ids is not None:
        query = query.where(Desk.organisation_id.in_(list(organisation_ids)))
    return list(session.scalars(query))


def is_stale(desk: Desk, today: dt.date, months: int) -> bool:
    return desk.hours_confirmed_on is None or desk.hours_confirmed_on < months_before(today, months)


def desk_snapshot(desk: Desk) -> dict:
    return {name: getattr(desk, name) for name in EDITABLE}


def week_snapshot(desk: Desk) -> dict:
    """The weekly hours as text per day, for the audit log."""
    return {name: hours_text(desk, weekday) for weekday, name in enumerate(WEEKDAY_FIELDS)}


def reminder_recipients(session: Session, organisation: Organisation) -> list[User]:
    """The organisation's editors and administrators who can sign in."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation.id,
                Membership.role.in_(("editor", "admin")),
                User.active.is_(True),
                User.password_hash != "",
            )
            .distinct()
            .order_by(User.email)
        )
    )


WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME = r"(\d{1,2})(?:[:hH.](\d{2})|[hH])?"  # 09:00, 9h30, 9h, 9.30, 9
SPAN = re.compile(rf"^\s*{TIME}\s*[-–à]\s*{TIME}\s*$")


def hours_text(desk: Desk, weekday: int) -> str:
    """A day's opening periods as people write them: "09:00-12:00, 13:30-17:00" (empty: closed)."""
    return ", ".join(
        f"{slot.opens:%H:%M}-{slot.closes:%H:%M}" for slot in desk.slots if slot.weekday == weekday
    )


def parse_hours(text: str) -> list[tuple[dt.time, dt.time]]:
    """The periods of a day from "09:00-12:00, 13:30-17:00" (also 9h-12h); ValueError says what is wrong."""
    spans = []
    for part in filter(None, (piece.strip() for piece in (text or "").split(","))):
        match = SPAN.match(part)
        if not match:
            raise ValueError(part)
        try:
            opens = dt.time(int(match[1]), int(match[2] or 0))
            closes = dt.time(int(match[3]), int(match[4] or 0))
        except ValueError as exc:
            raise ValueError(part) from exc
        if closes <= opens:
            raise ValueError(part)
        spans.append((opens, closes))
    spans.sort()
    for (_, first_closes), (second_opens, _) in pairwise(spans):
        if second_opens < first_closes:
            raise ValueError(text)
    return spans


# Changes a desk's organisation makes, each audited in the caller's transaction (the caller commits) and
# moving the desk's `updated_on`, so that the guides that list it are printed again.

PERIODS = {"closure": (Closure, "reason"), "notice": (DeskNotice, "text")}


def confirm_hours(session: Session, desk: Desk, user: User, today: dt.date) -> None:
    """The hours were checked: the public pages trust them again and the reminder stops."""
    before = desk.hours_confirmed_on.isoformat() if desk.hours_confirmed_on else None
    desk.hours_confirmed_on = desk.updated_on = today
    audit.record(
        session,
        user,
        desk.organisation_id,
        "desk.hours_confirmed",
        desk.name,
        before={"hours_confirmed_on": before},
        after={"hours_confirmed_on": today.isoformat()},
    )


def update_desk(
    session: Session, desk: Desk, user: User, values: dict, hours: dict[int, list[tuple]], today: dt.date
) -> None:
    """Contact, languages, accessibility, what to bring (EDITABLE) and the weekly hours; saving confirms
    the hours. Only what changed is audited."""
    before = {**desk_snapshot(desk), **week_snapshot(desk)}
    for name in EDITABLE:
        value = values[name]
        setattr(desk, name, value if name == "step_free" else (value or "").strip())
    desk.slots = [
        OpeningSlot(weekday=weekday, opens=opens, closes=closes)
        for weekday, spans in hours.items()
        for opens, closes in spans
    ]
    session.flush()
    session.refresh(desk, ["slots"])
    desk.hours_confirmed_on = desk.updated_on = today
    after = {**desk_snapshot(desk), **week_snapshot(desk)}
    audit.record_change(session, user, desk.organisation_id, "desk.updated", desk.name, before, after)


def period_snapshot(item, text_field: str) -> dict:
    return {
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        text_field: getattr(item, text_field),
    }


def add_period(
    session: Session,
    desk: Desk,
    user: User,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    text: str,
    today,
):
    """A closure (holidays, works) or a temporary notice, shown on the public desk page while it lasts."""
    model, text_field = PERIODS[kind]
    item = model(desk_id=desk.id, starts_on=starts_on, ends_on=ends_on, **{text_field: text.strip()})
    session.add(item)
    desk.updated_on = today
    audit.record(
        session,
        user,
        desk.organisation_id,
        f"desk.{kind}_added",
        desk.name,
        after=period_snapshot(item, text_field),
    )
    return item


def remove_period(session: Session, desk: Desk, user: User, kind: str, item, today: dt.date) -> None:
    _model, text_field = PERIODS[kind]
    before = period_snapshot(item, text_field)
    session.delete(item)
    desk.updated_on = today
    audit.record(session, user, desk.organisation_id, f"desk.{kind}_removed", desk.name, before=before)
