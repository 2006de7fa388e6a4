"""Realistic demonstration demands and allocations, from a fixed seed (DEMONSTRATION DATA)."""

from __future__ import annotations

import datetime as dt
import random

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cotation.grids import GridFile
from portal.demands.models import DWELLING_TYPES, Demand, DemandEvent
from portal.demands.scoring import rescore
from portal.demands.services import HASHER, lookup_secret

# The bulk of the demo demands cannot be looked up (nobody knows their birth dates): a cheap Argon2 keeps
# generating them fast. The three printed demands get the real cost.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
FLAGS = ("dalo", "pdalhpd", "violence", "disability", "eviction", "overcrowding", "job_distance")
HOSTED = ("homeless", "temporary_housing", "hosted")
# Demo data are made as on this day, so that the same seed always gives the same numbers (README lists them).
DEMO_DAY = dt.date(2026, 11, 1)
DESKS = ("G0101", "G0102", "G0201", "G0301", "G0302")
REASONS = (
    "Candidat classé après un ménage prioritaire.",
    "Ressources insuffisantes pour le loyer de ce logement (taux d'effort trop élevé).",
    "Dossier incomplet : avis d'imposition manquant.",
)


def _number(rng: random.Random, filed_on: dt.date, sequence: int) -> str:
    """A unique number (NUR) of the form 072 MM YY NNNNNN GDDDD, written without spaces."""
    return f"072{filed_on.month:02d}{filed_on.year % 100:02d}{sequence:06d}{rng.choice(DESKS)}"


def generate(
    session: Session,
    grids: list[GridFile],
    communes: list[str],
    count: int,
    today: dt.date,
    abnormal_delay_months: int,
    seed: int = 72,
) -> list[tuple[str, dt.date]]:
    """Add `count` demands (about one in eight already allocated); return three (number, birth date)."""
    rng = random.Random(seed)  # noqa: S311 - demonstration data, reproducible on purpose
    start = (session.scalar(select(func.count()).select_from(Demand)) or 0) + 1
    weights = [8 if insee == "72181" else 1 for insee in communes]  # most demands wish for Le Mans
    demo = []
    for sequence in range(start, start + count):
        filed_on = today - dt.timedelta(days=rng.randint(10, 6 * 365))
        birth_date = dt.date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        mutation = rng.random() < 0.25
        size = rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))
        dwelling = DWELLING_TYPES[min(4, max(0, size - 1 + rng.choice((-1, 0, 0, 1))))]
        facts = {
            flag: True for flag in FLAGS if rng.random() < {"dalo": 0.03, "pdalhpd": 0.06}.get(flag, 0.1)
        }
        if rng.random() < 0.3:
            facts[rng.choice(HOSTED)] = True
        facts["housing_cost_ratio"] = round(rng.uniform(10, 65), 1)
        if mutation:
            facts.update(urban_renewal=rng.random() < 0.08, under_occupation=rng.random() < 0.1)
        facts["refusals"] = rng.choice((0, 0, 0, 0, 1, 2))
        renewed_on = None
        while (renewed_on or filed_on) + dt.timedelta(days=365) < today and rng.random() < 0.9:
            renewed_on = (renewed_on or filed_on) + dt.timedelta(days=365 - rng.randint(0, 30))
        number = _number(rng, filed_on, sequence)
        allocated = rng.random() < 0.12 and (today - filed_on).days > 60
        demand = Demand(
            number=number,
            filed_on=filed_on,
            renewed_on=renewed_on,
            expires_on=(renewed_on or filed_on) + dt.timedelta(days=365),
            status="allocated" if allocated else "active",
            mutation=mutation,
            dwelling_type=dwelling,
            first_commune_insee=rng.choices(communes, weights)[0],
            other_communes=" ".join(rng.sample(communes, rng.randint(0, 3))),
            household_size=size,
            facts=facts,
            checked=[name for name in facts if rng.random() < 0.7],
            lookup_hash=(HASHER if len(demo) < 3 and not allocated else CHEAP_HASHER).hash(
                lookup_secret(number, birth_date)
            ),
        )
        demand.events.append(DemandEvent(kind="filed", occurred_on=filed_on))
        if renewed_on:
            demand.events.append(DemandEvent(kind="renewed", occurred_on=renewed_on))
        if allocated:
            day = filed_on + dt.timedelta(days=rng.randint(60, max(61, (today - filed_on).days)))
            demand.events.append(
                DemandEvent(kind="decision", occurred_on=day, rank=1, reasons="Attribution.")
            )
            demand.events.append(
                DemandEvent(
                    kind="allocation",
                    occurred_on=day,
                    dwelling_type=dwelling,
                    commune_insee=demand.first_commune_insee,
                )
            )
        elif rng.random() < 0.1:
            day = today - dt.timedelta(days=rng.randint(5, 200))
            demand.events.append(
                DemandEvent(
                    kind="decision", occurred_on=day, rank=rng.choice((2, 3)), reasons=rng.choice(REASONS)
                )
            )
        rescore(demand, grids, today, abnormal_delay_months)
        session.add(demand)
        if len(demo) < 3 and not allocated:
            demo.append((number, birth_date))
    session.flush()
    return demo
