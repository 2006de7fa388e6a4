"""Offers made to a household and what comes of them: accepted or refused (with the reason), the move
into the accepted dwelling, or the household leaving otherwise. Each change sets the household's status
again and is written to the audit log."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.partners import audit
from portal.partners.models import Organisation, User
from portal.rehousing import rules
from portal.rehousing.models import LEFT_REASONS, REFUSAL_REASONS, Household, Offer, Operation
from portal.rehousing.operations import Refused, household_target

audit.register(
    {
        "rehousing.offer_made": _l("Rehousing offer recorded"),
        "rehousing.offer_decided": _l("Answer to a rehousing offer recorded"),
        "rehousing.household_moved": _l("Household rehoused"),
        "rehousing.household_left": _l("Household left otherwise"),
    }
)

OFFER_FIELDS = (
    "landlord_name",
    "commune_insee",
    "in_qpv",
    "recent",
    "dwelling_type",
    "step_free",
    "rent",
    "rent_after_aid",
    "suitable",
    "offered_on",
)


def refresh_status(household: Household) -> None:
    household.status = rules.status_of(
        ((offer.decision, offer.moved_on is not None) for offer in household.offers),
        left=bool(household.left_reason),
    )


def _record(session: Session, user: User | None, household: Household, action: str, after: dict) -> None:
    landlord_id = session.get(Operation, household.operation_id).landlord_id
    audit.record(session, user, landlord_id, action, household_target(household), after=after)


def _open(household: Household) -> None:
    if household.status in ("rehoused", "left"):
        raise Refused("closed")


def add_offer(
    session: Session, user: User | None, household: Household, brought_by_id: int, values: dict
) -> Offer:
    _open(household)
    partner = session.get(Organisation, brought_by_id)
    if partner is None:
        raise Refused("partner")
    if any(offer.decision == "pending" for offer in household.offers):
        raise Refused("pending")  # one offer at a time: the household answers it first
    if any(offer.decision == "accepted" for offer in household.offers):
        raise Refused("accepted")  # its move comes next
    offer = Offer(
        operation_id=household.operation_id,
        brought_by_id=brought_by_id,
        **{name: values[name] for name in OFFER_FIELDS},
    )
    household.offers.append(offer)
    refresh_status(household)
    session.flush()
    after = {name: str(values[name]) for name in OFFER_FIELDS} | {"partner": partner.name}
    _record(session, user, household, "rehousing.offer_made", after)
    return offer


def decide(
    session: Session, user: User | None, offer: Offer, accepted: bool, reason: str, on: dt.date
) -> None:
    """The household's answer: accepted, or refused for one of REFUSAL_REASONS."""
    household = offer.household
    _open(household)
    if offer.decision != "pending":
        raise Refused("decided")
    if not accepted and reason not in REFUSAL_REASONS:
        raise Refused("reason")
    if on < offer.offered_on:
        raise Refused("before_offer")
    offer.decision = "accepted" if accepted else "refused"
    offer.refusal_reason = "" if accepted else reason
    offer.decided_on = on
    refresh_status(household)
    _record(
        session, user, household, "rehousing.offer_decided",
        {"offer": offer.id, "decision": offer.decision, "reason": offer.refusal_reason, "on": str(on)},
    )  # fmt: skip


def record_move(session: Session, user: User | None, offer: Offer, on: dt.date) -> None:
    """The household moved into the dwelling it accepted: rehoused."""
    household = offer.household
    _open(household)
    if offer.decision != "accepted":
        raise Refused("not_accepted")
    if offer.decided_on is not None and on < offer.decided_on:
        raise Refused("before_answer")
    offer.moved_on = on
    household.ended_on = on
    refresh_status(household)
    _record(session, user, household, "rehousing.household_moved", {"offer": offer.id, "on": str(on)})


def record_left(session: Session, user: User | None, household: Household, reason: str, on: dt.date) -> None:
    """The household left otherwise (own means, private sector…): its follow-up ends."""
    _open(household)
    if reason not in LEFT_REASONS:
        raise Refused("reason")
    if any(offer.decision == "pending" for offer in household.offers):
        raise Refused("pending")
    household.left_reason, household.ended_on = reason, on
    refresh_status(household)
    _record(session, user, household, "rehousing.household_left", {"reason": reason, "on": str(on)})


def needs_of(household: Household) -> rules.Needs:
    return rules.Needs(
        wished_type=household.wished_type,
        wished_communes=tuple(household.wished_communes or ()),
        accessibility=household.accessibility,
        rent_ceiling=household.rent_ceiling,
    )


def unmet_needs(household: Household, offer: Offer) -> list[str]:
    return rules.unmet_needs(
        needs_of(household),
        rules.OfferFacts(
            offer.dwelling_type, offer.commune_insee, offer.step_free, offer.rent, offer.rent_after_aid
        ),
    )


def refusal_stage(household: Household) -> tuple[int, str]:
    """(suitable offers refused, "" / "warning" / "reached")."""
    refused = rules.suitable_refusals((offer.decision, offer.suitable) for offer in household.offers)
    return refused, rules.refusal_stage(refused)
