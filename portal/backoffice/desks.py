"""Partners keep their desks current: the desks not confirmed for a while, and the reminders to their
organisations' editors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.backoffice.models import Membership, Organisation, User
from portal.cotation.engine import months_before
from portal.desks.models import Desk

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
