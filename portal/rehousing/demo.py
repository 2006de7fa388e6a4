"""A demonstration operation for `portal init --demo`: a demolition in Le Mans with 48 households at every
stage (rehoused, offers under way, not started, gone otherwise, one past three refusals), offers from the
demonstration landlords and Action Logement, and the partners' commitments. Drawn with a fixed seed, made
through the area's operations (so the audit log holds them, with no person)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.partners.models import Organisation
from portal.rehousing import offers, operations
from portal.rehousing.models import Operation

TYPES = ("T1", "T2", "T3", "T4", "T5")
RENT = {"T1": 300, "T2": 390, "T3": 470, "T4": 550, "T5": 620}
COMMUNES = ("72181", "72095", "72003", "72008", "72200")
NAME = "Les Sablons – démolition des tours Delacroix (démonstration)"


def add_demo_operation(session: Session, today: dt.date, seed: int = 10) -> bool:
    """Add the demonstration operation once (False when it is there, or without demonstration landlords)."""
    if session.scalar(select(func.count()).select_from(Operation)):
        return False
    landlords = list(
        session.scalars(select(Organisation).where(Organisation.kind == "landlord").order_by(Organisation.id))
    )
    holders = list(session.scalars(select(Organisation).where(Organisation.kind == "action_logement")))
    if not landlords:
        return False
    rng = random.Random(seed)  # noqa: S311 - demonstration data, reproducible on purpose
    operation = operations.create_operation(
        session,
        None,
        {
            "name": NAME,
            "neighbourhood": "Les Sablons",
            "qpv_code": "QN07201M",
            "commune_insee": "72181",
            "landlord_id": landlords[0].id,
            "buildings": "Tour Delacroix 1\nTour Delacroix 2",
            "dwellings": 52,
            "announced_on": today - dt.timedelta(days=420),
            "rehousing_starts_on": today - dt.timedelta(days=330),
            "demolition_on": today + dt.timedelta(days=75),
        },
    )
    partners = [*landlords, *holders]
    for partner in partners:
        for kind in ("T2", "T3", "T4"):
            operations.set_commitment(session, None, operation, partner.id, kind, rng.randint(2, 6))
    for index in range(48):
        _household(session, operation, index, rng, partners, today)
    session.flush()
    return True


def _household(
    session: Session, operation: Operation, index: int, rng: random.Random, partners, today
) -> None:
    persons = rng.choices((1, 2, 3, 4, 5), (30, 25, 20, 15, 10))[0]
    wished = TYPES[min(4, max(0, persons - 1))]
    before = Decimal(RENT[wished] - rng.randint(20, 70))
    survey = operation.rehousing_starts_on + dt.timedelta(days=rng.randint(0, 120))
    household = operations.add_household(
        session,
        None,
        operation,
        {
            "reference": f"DEL-{index + 1:03d}",
            "persons": persons,
            "children": max(0, persons - 2),
            "current_type": TYPES[min(4, persons)],
            "rent": before,
            "rent_after_aid": (before * Decimal("0.4")).quantize(Decimal("1")),
            "wished_type": wished,
            "wished_communes": rng.sample(COMMUNES, rng.randint(1, 2)),
            "accessibility": rng.random() < 0.15,
            "ageing_or_disability": rng.random() < 0.2,
            "stay_in_neighbourhood": rng.random() < 0.3,
            "rent_ceiling": Decimal(RENT[wished] // 2),
            "survey_on": survey,
            "followed_by": rng.choice(("Chargée de relogement A", "Chargé de relogement B")),
        },
    )
    stage = rng.choices(("rehoused", "in_progress", "not_started", "left", "refusals"), (50, 25, 12, 8, 5))[0]
    day = survey + dt.timedelta(days=rng.randint(20, 50))
    refusals = {"rehoused": rng.randint(0, 2), "in_progress": rng.randint(0, 2), "refusals": 3}.get(stage, 0)
    for _ in range(refusals):
        values = _offer(rng, wished, day) | ({"suitable": True} if stage == "refusals" else {})
        offer = offers.add_offer(session, None, household, rng.choice(partners).id, values)
        offers.decide(
            session,
            None,
            offer,
            False,
            rng.choice(("location", "size", "neighbourhood")),
            day + dt.timedelta(days=8),
        )
        day += dt.timedelta(days=rng.randint(20, 40))
    if stage == "rehoused" and day + dt.timedelta(days=40) < today:
        offer = offers.add_offer(session, None, household, rng.choice(partners).id, _offer(rng, wished, day))
        offers.decide(session, None, offer, True, "", day + dt.timedelta(days=8))
        offers.record_move(session, None, offer, day + dt.timedelta(days=35))
    elif stage == "in_progress" and day < today:
        offers.add_offer(session, None, household, rng.choice(partners).id, _offer(rng, wished, day))
    elif stage == "left":
        offers.record_left(session, None, household, rng.choice(("own_means", "private_sector")), day)


def _offer(rng: random.Random, kind: str, day: dt.date) -> dict:
    rent = Decimal(RENT[kind] + rng.randint(-30, 60))
    return {
        "landlord_name": "Bailleur de démonstration",
        "commune_insee": rng.choice(COMMUNES),
        "in_qpv": rng.random() < 0.3,
        "recent": rng.random() < 0.3,
        "dwelling_type": kind,
        "step_free": rng.random() < 0.5,
        "rent": rent,
        "rent_after_aid": (rent * Decimal("0.42")).quantize(Decimal("1")),
        "suitable": rng.random() < 0.85,
        "offered_on": day,
    }
