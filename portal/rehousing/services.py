"""Reads of the rehousing follow-up: an operation's households a person may see (a page at a time), one
household's timeline, and the export of an operation's households as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.csvfiles import spreadsheet_safe
from portal.partners.models import Organisation
from portal.rehousing import offers
from portal.rehousing.access import Access, household_filter
from portal.rehousing.models import Household, Offer, Operation, Proposal

PER_PAGE = 50


@dataclass(frozen=True)
class HouseholdPage:
    households: list[Household]
    total: int
    page: int
    pages: int


def visible_households(operation: Operation, rights: Access) -> list:
    """The conditions on Household rows: this operation's, and those the person may see."""
    conditions = [Household.operation_id == operation.id]
    if (visible := household_filter(rights)) is not None:
        conditions.append(visible)
    return conditions


def households_page(
    session: Session, operation: Operation, rights: Access, status: str = "", page: int = 1
) -> HouseholdPage:
    """The households of an operation the person sees, by reference, PER_PAGE at a time."""
    conditions = visible_households(operation, rights)
    if status:
        conditions.append(Household.status == status)
    total = session.scalar(select(func.count()).select_from(Household).where(*conditions))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    households = session.scalars(
        select(Household)
        .where(*conditions)
        .options(selectinload(Household.offers))
        .order_by(Household.reference, Household.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return HouseholdPage(list(households), total, page, pages)


@dataclass(frozen=True)
class Moment:
    """One line of a household's timeline: when, what (a code), the offer it is about, if any."""

    on: dt.date
    what: str
    offer: Offer | None = None
    detail: str = ""


def timeline(household: Household) -> list[Moment]:
    """What happened to a household, oldest first."""
    moments = [Moment(household.created_at.date(), "added")]
    if household.survey_on is not None:
        moments.append(Moment(household.survey_on, "survey"))
    for offer in household.offers:
        moments.append(Moment(offer.offered_on, "offer", offer))
        if offer.decided_on is not None:
            moments.append(Moment(offer.decided_on, offer.decision, offer, offer.refusal_reason))
        if offer.moved_on is not None:
            moments.append(Moment(offer.moved_on, "moved", offer))
    if household.left_reason and household.ended_on is not None:
        moments.append(Moment(household.ended_on, "left", detail=household.left_reason))
    order = {"added": 0, "survey": 1, "offer": 2, "accepted": 3, "refused": 3, "moved": 4, "left": 5}
    return sorted(moments, key=lambda moment: (moment.on, order[moment.what]))


def proposed_to(session: Session, household: Household) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .join(Proposal, Proposal.organisation_id == Organisation.id)
            .where(Proposal.household_id == household.id)
            .order_by(Organisation.name)
        )
    )


EXPORT_COLUMNS = (
    "reference",
    "persons",
    "children",
    "current_type",
    "wished_type",
    "wished_communes",
    "survey_on",
    "followed_by",
    "status",
    "offers",
    "suitable_refused",
    "rehoused_commune",
    "rehoused_type",
    "rehoused_in_qpv",
    "rehoused_recent",
    "rent_after_aid_before",
    "rent_after_aid_after",
    "ended_on",
    "left_reason",
)


def export_csv(session: Session, operation: Operation, rights: Access) -> str:
    """The households the person sees, one line each, semicolon-separated for a French spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    conditions = visible_households(operation, rights)
    query = (
        select(Household)
        .where(*conditions)
        .options(selectinload(Household.offers))
        .order_by(Household.reference)
    )
    for household in session.scalars(query):
        moved = next((offer for offer in household.offers if offer.moved_on is not None), None)
        row = [
            household.reference,
            household.persons,
            household.children,
            household.current_type,
            household.wished_type,
            " ".join(household.wished_communes or ()),
            household.survey_on or "",
            household.followed_by,
            household.status,
            len(household.offers),
            offers.refusal_stage(household)[0],
            moved.commune_insee if moved else "",
            moved.dwelling_type if moved else "",
            _yes_no(moved.in_qpv) if moved else "",
            _yes_no(moved.recent) if moved else "",
            household.rent_after_aid if household.rent_after_aid is not None else "",
            moved.rent_after_aid if moved and moved.rent_after_aid is not None else "",
            household.ended_on or "",
            household.left_reason,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"
