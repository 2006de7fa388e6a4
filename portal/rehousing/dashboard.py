"""An operation's figures, counted in the database (a few grouped queries, whatever its size): where its
households stand, the national programme's indicators for the households rehoused (outside a QPV, in a
new or recently renovated dwelling, the change in what they pay after housing benefit), each partner's
offers against its commitments, and the delays.

Indicators of the national urban-renewal programme (ANRU): among the households rehoused, the share
rehoused outside a priority urban district (QPV), the share in a dwelling new or renovated in the last
five years, and the change of the rent after aid (the old dwelling's against the new one's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from portal.partners.models import Organisation
from portal.rehousing import rules
from portal.rehousing.models import HOUSEHOLD_STATUSES, OPEN_STATUSES, Commitment, Household, Offer, Operation

LONG_WAIT_DAYS = 183  # an open household surveyed more than six months ago is late
SOON_DAYS = 90  # the demolition is close: every household left to rehouse is shown as urgent


@dataclass
class PartnerFigures:
    """One partner's offers against its commitment, in total and by dwelling type."""

    name: str
    committed: int = 0
    offers: int = 0
    accepted: int = 0
    committed_by_type: dict[str, int] = field(default_factory=dict)
    offers_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return rules.share(self.offers, self.committed)


@dataclass
class Figures:
    households: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HOUSEHOLD_STATUSES, 0))
    rehoused_outside_qpv: int = 0
    rehoused_recent: int = 0
    burden_known: int = 0  # rehoused households whose rent after aid is known before and after
    burden_change: float | None = None  # mean change of the rent after aid, € a month
    burden_increased: int = 0
    partners: list[PartnerFigures] = field(default_factory=list)
    move_delay_days: float | None = None  # median, from the survey to the move
    first_offer_days: float | None = None  # median, from the survey to the first offer
    waiting_long: int = 0  # open households surveyed more than LONG_WAIT_DAYS ago
    refusals_reached: int = 0  # households that refused three suitable offers
    days_to_demolition: int | None = None

    @property
    def rehoused(self) -> int:
        return self.by_status["rehoused"]

    @property
    def open(self) -> int:
        return sum(self.by_status[status] for status in OPEN_STATUSES)

    @property
    def progress(self) -> float | None:
        return rules.share(self.rehoused + self.by_status["left"], self.households)

    @property
    def outside_qpv_share(self) -> float | None:
        return rules.share(self.rehoused_outside_qpv, self.rehoused)

    @property
    def recent_share(self) -> float | None:
        return rules.share(self.rehoused_recent, self.rehoused)

    @property
    def urgent(self) -> bool:
        return self.open > 0 and self.days_to_demolition is not None and self.days_to_demolition <= SOON_DAYS

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> Figures:
        partners = [PartnerFigures(**partner) for partner in values.get("partners", [])]
        return cls(**{**values, "partners": partners})


def figures(session: Session, operation: Operation, today: dt.date) -> Figures:
    """The operation's figures today (its kept final figures once its households were deleted)."""
    if operation.final_figures:
        return Figures.from_dict(operation.final_figures)
    found = Figures()
    of_operation = Household.operation_id == operation.id
    for status, count in session.execute(
        select(Household.status, func.count()).where(of_operation).group_by(Household.status)
    ):
        found.by_status[status] = count
    found.households = sum(found.by_status.values())
    _indicators(session, operation, found)
    found.partners = _partners(session, operation)
    _delays(session, operation, found, today)
    if operation.demolition_on is not None:
        found.days_to_demolition = (operation.demolition_on - today).days
    return found


def _indicators(session: Session, operation: Operation, found: Figures) -> None:
    change = Offer.rent_after_aid - Household.rent_after_aid
    known = and_(Offer.rent_after_aid.is_not(None), Household.rent_after_aid.is_not(None))
    row = session.execute(
        select(
            func.sum(case((Offer.in_qpv, 0), else_=1)),
            func.sum(case((Offer.recent, 1), else_=0)),
            func.sum(case((known, 1), else_=0)),
            func.avg(case((known, change))),
            func.sum(case((and_(known, change > 0), 1), else_=0)),
        )
        .join(Household, Household.id == Offer.household_id)
        .where(
            Offer.operation_id == operation.id,
            Offer.decision == "accepted",
            Offer.moved_on.is_not(None),
            Household.status == "rehoused",
        )
    ).one()
    outside, recent, known_count, mean, increased = row
    found.rehoused_outside_qpv, found.rehoused_recent = int(outside or 0), int(recent or 0)
    found.burden_known, found.burden_increased = int(known_count or 0), int(increased or 0)
    found.burden_change = round(float(mean), 2) if mean is not None else None


def _partners(session: Session, operation: Operation) -> list[PartnerFigures]:
    rows: dict[int, PartnerFigures] = {}
    names = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_(
                    select(Commitment.organisation_id)
                    .where(Commitment.operation_id == operation.id)
                    .union(select(Offer.brought_by_id).where(Offer.operation_id == operation.id))
                )
            )
        ).all()
    )
    for commitment in operation.commitments:
        partner = rows.setdefault(
            commitment.organisation_id, PartnerFigures(names[commitment.organisation_id])
        )
        partner.committed += commitment.offers
        partner.committed_by_type[commitment.dwelling_type] = commitment.offers
    accepted = func.sum(case((Offer.decision == "accepted", 1), else_=0))
    for partner_id, dwelling_type, offers, taken in session.execute(
        select(Offer.brought_by_id, Offer.dwelling_type, func.count(), accepted)
        .where(Offer.operation_id == operation.id)
        .group_by(Offer.brought_by_id, Offer.dwelling_type)
    ):
        partner = rows.setdefault(partner_id, PartnerFigures(names[partner_id]))
        partner.offers += offers
        partner.accepted += int(taken or 0)
        partner.offers_by_type[dwelling_type] = offers
    return sorted(rows.values(), key=lambda partner: partner.name)


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    return (end - start).days if start is not None and end is not None else None


def _delays(session: Session, operation: Operation, found: Figures, today: dt.date) -> None:
    of_operation = Household.operation_id == operation.id
    moves = session.execute(
        select(Household.survey_on, Household.ended_on).where(of_operation, Household.status == "rehoused")
    )
    found.move_delay_days = rules.median(d for s, e in moves if (d := _days(s, e)) is not None)
    firsts = session.execute(
        select(Household.survey_on, func.min(Offer.offered_on))
        .join(Offer, Offer.household_id == Household.id)
        .where(of_operation, Household.survey_on.is_not(None))
        .group_by(Household.id, Household.survey_on)
    )
    found.first_offer_days = rules.median(d for s, e in firsts if (d := _days(s, e)) is not None)
    found.waiting_long = session.scalar(
        select(func.count()).where(
            of_operation,
            Household.status.in_(OPEN_STATUSES),
            Household.survey_on < today - dt.timedelta(days=LONG_WAIT_DAYS),
        )
    )
    refused = func.sum(case((and_(Offer.decision == "refused", Offer.suitable), 1), else_=0)).cast(Integer)
    found.refusals_reached = session.scalar(
        select(func.count()).select_from(
            select(Offer.household_id)
            .where(Offer.operation_id == operation.id)
            .group_by(Offer.household_id)
            .having(refused >= 3)
            .subquery()
        )
    )
