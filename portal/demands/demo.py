"""Realistic demonstration demands, allocations and social housing stock, from a fixed seed
(DEMONSTRATION DATA). The allocations' details and the stock agree with the demands: every allocated
demand has its allocation row, in a commune, dwelling type and landlord the stock has dwellings of."""

from __future__ import annotations

import datetime as dt
import os
import random
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cotation.grids import GridFile
from portal.demands.models import DWELLING_TYPES, Allocation, Demand, DemandEvent, HousingStock
from portal.demands.scoring import rescore
from portal.demands.services import hash_lookup
from portal.territory.models import Commune

FLAGS = ("dalo", "pdalhpd", "violence", "disability", "eviction", "overcrowding", "job_distance")
HOSTED = ("homeless", "temporary_housing", "hosted")
# Demo data are made as on this day, so that the same seed always gives the same numbers (README lists them).
DEMO_DAY = dt.date(2026, 11, 1)
DESKS = ("G0101", "G0102", "G0201", "G0301", "G0302")
# The demo territory's social landlords (the landlord organisations of content/desks.yaml, by code).
LANDLORDS = ("OPH-AGGLO", "BAILLEUR-DEP", "ESH-DEMO")
SHARE_BY_TYPE = {"T1": 0.08, "T2": 0.22, "T3": 0.36, "T4": 0.25, "T5": 0.09}  # of a commune's stock
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
    ceilings: tuple | None,
    seed: int = 72,
) -> list[tuple[str, dt.date]]:
    """Add `count` demands (about one in eight already allocated); return three (number, birth date)."""
    rng = random.Random(seed)  # noqa: S311 - demonstration data, reproducible on purpose
    # The allocations' details draw from their own sequence: the demands stay those README lists.
    details = random.Random(seed + 1)  # noqa: S311
    start = (session.scalar(select(func.count()).select_from(Demand)) or 0) + 1
    weights = [8 if insee == "72181" else 1 for insee in communes]  # most demands wish for Le Mans
    demo = []
    births: list[tuple[Demand, dt.date]] = []
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
        # A demand not renewed in time is struck off a month after it lapsed.
        lapsed = not allocated and (renewed_on or filed_on) + dt.timedelta(days=395) < today
        demand = Demand(
            number=number,
            filed_on=filed_on,
            renewed_on=renewed_on,
            expires_on=(renewed_on or filed_on) + dt.timedelta(days=365),
            status="allocated" if allocated else "struck_off" if lapsed else "active",
            mutation=mutation,
            dwelling_type=dwelling,
            first_commune_insee=rng.choices(communes, weights)[0],
            other_communes=" ".join(rng.sample(communes, rng.randint(0, 3))),
            household_size=size,
            facts=facts,
            checked=[name for name in facts if rng.random() < 0.7],
            lookup_hash="",  # below, all at once
        )
        births.append((demand, birth_date))
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
            session.add(_allocation(details, demand, day))
        elif rng.random() < 0.1:
            day = today - dt.timedelta(days=rng.randint(5, 200))
            demand.events.append(
                DemandEvent(
                    kind="decision", occurred_on=day, rank=rng.choice((2, 3)), reasons=rng.choice(REASONS)
                )
            )
        if lapsed:
            struck_on = (renewed_on or filed_on) + dt.timedelta(days=395)
            demand.events.append(
                DemandEvent(kind="struck_off", occurred_on=struck_on, reasons="Non renouvelée.")
            )
        rescore(demand, grids, today, ceilings)
        session.add(demand)
        # Shown demands run for months after the demo's day: the look-up offers their renewal reminders.
        if len(demo) < 3 and demand.status == "active" and demand.expires_on > today + dt.timedelta(days=180):
            demo.append((number, birth_date))
    # Every demo demand is hashed with the look-up's own parameters (a cheaper hash would make its number
    # answer faster than an unknown one); Argon2 leaves the GIL, so threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        hashes = pool.map(lambda pair: hash_lookup(pair[0].number, pair[1]), births)
        for (demand, _birth), value in zip(births, hashes, strict=True):
            demand.lookup_hash = value
    session.flush()
    return demo


def landlords_of(insee: str) -> tuple[str, ...]:
    """The demo landlords with dwellings in a commune: all of them in Le Mans, one or two elsewhere."""
    if insee == "72181":
        return LANDLORDS
    first = int(insee) % len(LANDLORDS)
    return LANDLORDS[first : first + 1 + int(insee) % 2] or LANDLORDS[:1]


def _allocation(rng: random.Random, demand: Demand, day: dt.date) -> Allocation:
    """The details of a demo allocation, drawn from the demand's facts."""
    facts = demand.facts
    if facts.get("dalo"):
        priority = "dalo"
    elif any(facts.get(name) for name in ("pdalhpd", "violence", "homeless", "eviction")):
        priority = "other_priority"
    else:
        priority = "accord_collectif" if rng.random() < 0.1 else "none"
    allocation = Allocation(
        demand_number=demand.number,
        allocated_on=day,
        commune_insee=demand.first_commune_insee,
        dwelling_type=demand.dwelling_type,
        landlord=rng.choice(landlords_of(demand.first_commune_insee)),
        priority=priority,
        in_qpv=rng.random() < (0.35 if demand.first_commune_insee == "72181" else 0.1),
        lowest_quartile=rng.choice((True, False, False, None)),
    )
    _flux(allocation)
    return allocation


# The demonstration organisations (content/desks.yaml) that hold reservations, and the landlords' own.
HOLDERS = ("action-logement", "etat-sarthe", "le-mans-metropole")
OWN = {"OPH-AGGLO": "lmh", "BAILLEUR-DEP": "sarthe-habitat-demo", "ESH-DEMO": "esh-demo"}


def _flux(allocation: Allocation) -> None:
    """The reservation holders, financing and age of a demo allocation's dwelling, drawn from its own
    number (the demo's other draws stay as they were)."""
    rng = random.Random(allocation.demand_number)  # noqa: S311 - demonstration data, reproducible on purpose
    holder = rng.choices((*HOLDERS, OWN[allocation.landlord]), (30, 25, 10, 35))[0]
    allocation.offered_to = holder
    allocation.holder = holder if rng.random() < 0.85 else OWN[allocation.landlord]  # some given back
    allocation.financing = rng.choices(("PLAI", "PLUS", "PLS"), (25, 60, 15))[0]
    allocation.built_year = rng.randint(1955, 2024)


def generate_stock(session: Session, years: tuple[int, ...], seed: int = 72) -> int:
    """Social dwellings per commune, type and landlord for these years (about a third of Le Mans's
    population lives in social housing, fewer elsewhere); returns the rows added."""
    rng = random.Random(seed)  # noqa: S311 - demonstration data, reproducible on purpose
    rows = 0
    for commune in session.scalars(select(Commune).order_by(Commune.insee)):
        people = commune.population or 2000
        dwellings = people * (0.35 if commune.insee == "72181" else 0.08) / 2.1  # 2.1 people a dwelling
        landlords = landlords_of(commune.insee)
        for offset, year in enumerate(sorted(years)):
            growth = 1 + 0.01 * offset  # the stock grows a little each year
            for dwelling_type, share in SHARE_BY_TYPE.items():
                for landlord in landlords:
                    count = dwellings * share * growth / len(landlords) * rng.uniform(0.8, 1.2)
                    session.add(
                        HousingStock(
                            year=year,
                            commune_insee=commune.insee,
                            dwelling_type=dwelling_type,
                            landlord=landlord,
                            financing="PLUS",
                            dwellings=max(1, round(count)),
                        )
                    )
                    rows += 1
    session.flush()
    return rows
