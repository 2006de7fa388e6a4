"""Urban-renewal operations, their households and offers, made through the area's operations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from portal.rehousing import offers, operations
from portal.rehousing.models import Household, Offer, Operation

LE_MANS, COULAINES, ALLONNES = "72181", "72095", "72003"
START = dt.date(2026, 3, 1)


def create_operation(session: Session, user, landlord_id: int, **overrides) -> Operation:
    values = {
        "name": "Les Sablons – tours 3 et 5",
        "neighbourhood": "Les Sablons",
        "qpv_code": "QN07201M",
        "commune_insee": LE_MANS,
        "landlord_id": landlord_id,
        "buildings": "Tour 3\nTour 5",
        "dwellings": 120,
        "announced_on": dt.date(2025, 9, 1),
        "rehousing_starts_on": START,
        "demolition_on": dt.date(2027, 9, 1),
    }
    values.update(overrides)
    return operations.create_operation(session, user, values)


def household_values(reference: str = "H-001", **overrides) -> dict:
    values = {
        "reference": reference,
        "persons": 3,
        "children": 1,
        "current_type": "T4",
        "rent": Decimal("480.00"),
        "rent_after_aid": Decimal("210.00"),
        "wished_type": "T3",
        "wished_communes": [LE_MANS, COULAINES],
        "accessibility": False,
        "ageing_or_disability": False,
        "stay_in_neighbourhood": False,
        "rent_ceiling": Decimal("300.00"),
        "survey_on": dt.date(2026, 3, 15),
        "followed_by": "Chargée de relogement",
    }
    values.update(overrides)
    return values


def create_household(session: Session, user, operation: Operation, reference: str = "H-001", **overrides):
    return operations.add_household(session, user, operation, household_values(reference, **overrides))


def offer_values(**overrides) -> dict:
    values = {
        "landlord_name": "Le Mans Habitat",
        "commune_insee": LE_MANS,
        "in_qpv": False,
        "recent": False,
        "dwelling_type": "T3",
        "step_free": False,
        "rent": Decimal("450.00"),
        "rent_after_aid": Decimal("230.00"),
        "suitable": True,
        "offered_on": dt.date(2026, 5, 1),
    }
    values.update(overrides)
    return values


def make_offer(session: Session, user, household: Household, partner_id: int, **overrides) -> Offer:
    return offers.add_offer(session, user, household, partner_id, offer_values(**overrides))


def rehouse(
    session: Session, user, household: Household, partner_id: int, moved=dt.date(2026, 7, 1), **overrides
):
    """An offer accepted and moved into: the household is rehoused."""
    offer = make_offer(session, user, household, partner_id, **overrides)
    offers.decide(session, user, offer, True, "", offer.offered_on + dt.timedelta(days=10))
    offers.record_move(session, user, offer, moved)
    return offer


def refuse(session: Session, user, household: Household, partner_id: int, reason="location", **overrides):
    offer = make_offer(session, user, household, partner_id, **overrides)
    offers.decide(session, user, offer, False, reason, offer.offered_on + dt.timedelta(days=7))
    return offer
