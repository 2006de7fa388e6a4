"""Demands with their history, as the imports store them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from sqlalchemy.orm import Session

from portal.demands.models import Allocation, Demand, DemandEvent
from portal.observatory.figures import Period

_numbers = itertools.count(1)


def create_demand(
    session: Session,
    filed_on: dt.date,
    commune: str = "72181",
    dwelling_type: str = "T2",
    *,
    number: str = "",
    status: str = "active",
    mutation: bool = False,
    facts: dict | None = None,
    checked: Iterable[str] = (),
    events: Iterable[tuple] = (),
) -> Demand:
    """A demand filed on `filed_on`, valid a year; `events`: (kind, day, commune, dwelling type) tuples."""
    demand = Demand(
        number=number or f"0721226{next(_numbers):06d}F0101",
        lookup_hash="x",
        filed_on=filed_on,
        expires_on=filed_on + dt.timedelta(days=365),
        status=status,
        mutation=mutation,
        dwelling_type=dwelling_type,
        first_commune_insee=commune,
        household_size=2,
        facts=facts or {},
        checked=list(checked),
    )
    demand.events = [
        DemandEvent(kind="filed", occurred_on=filed_on),
        *(
            DemandEvent(kind=kind, occurred_on=day, commune_insee=where or "", dwelling_type=what or "")
            for kind, day, where, what in events
        ),
    ]
    session.add(demand)
    return demand


def add_demand(
    session: Session,
    index: int,
    commune: str,
    dwelling_type: str,
    filed_on: dt.date,
    status: str = "active",
    **values,
) -> Demand:
    """A demand numbered after `index` (the observatory's hand-made data sets)."""
    return create_demand(
        session, filed_on, commune, dwelling_type, number=f"{index:013d}TEST1", status=status, **values
    )


def create_allocation(
    session: Session, demand: Demand, allocated_on: dt.date, landlord: str | None = None
) -> Allocation:
    """The demand got a dwelling of its type in its first commune: its event and the allocation's row."""
    demand.status = "allocated"
    demand.events.append(
        DemandEvent(
            kind="allocation",
            occurred_on=allocated_on,
            commune_insee=demand.first_commune_insee,
            dwelling_type=demand.dwelling_type,
        )
    )
    allocation = Allocation(
        demand_number=demand.number,
        allocated_on=allocated_on,
        commune_insee=demand.first_commune_insee,
        dwelling_type=demand.dwelling_type,
        landlord=landlord,
    )
    session.add(allocation)
    return allocation


YEAR_2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
