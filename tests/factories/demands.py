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


LE_MANS, COULAINES = "72181", "72095"  # 2 km apart


def many_demands(
    session, count, filed_on, *, commune="72181", dwelling="T3", status="active", allocated=None, **kw
):
    made = []
    for _ in range(count):
        events = [("allocation", allocated, commune, dwelling)] if allocated else []
        made.append(
            create_demand(
                session,
                filed_on,
                commune,
                dwelling,
                status="allocated" if allocated else status,
                events=events,
                **kw,
            )
        )
    return made


def le_mans_t3(session):
    """22 demands in the cohort, hand-counted: 6 housed within 6 months, 9 within 12, 10 within 24 and
    36, 11 at all; 2 struck off; 9 still waiting. And demands that must not count."""
    filed = dt.date(2021, 3, 15)
    many_demands(session, 2, filed, allocated=dt.date(2021, 8, 1))  # 4 months
    many_demands(session, 3, filed, allocated=dt.date(2022, 3, 14))  # 11 whole months: within 12
    many_demands(session, 1, filed, allocated=dt.date(2022, 3, 15))  # 12 whole months: not within 12
    many_demands(session, 1, filed, allocated=dt.date(2024, 6, 1))  # 38 months: housed, not within 36
    many_demands(session, 2, filed, status="struck_off")
    many_demands(session, 1, filed)
    many_demands(session, 4, dt.date(2023, 11, 30), allocated=dt.date(2024, 5, 29))  # 5 whole months
    many_demands(session, 8, dt.date(2023, 11, 30))
    # Outside the cohort or the segment: too recent, too old, a transfer, a T4, another commune.
    many_demands(session, 5, dt.date(2023, 12, 1), allocated=dt.date(2024, 1, 1))
    many_demands(session, 5, dt.date(2020, 11, 30), allocated=dt.date(2020, 12, 1))
    many_demands(session, 5, dt.date(2022, 1, 10), allocated=dt.date(2022, 2, 1), mutation=True)
    many_demands(session, 5, dt.date(2022, 1, 10), dwelling="T4", allocated=dt.date(2022, 2, 1))
    many_demands(session, 3, dt.date(2022, 1, 10), commune=COULAINES, allocated=dt.date(2022, 2, 1))
    session.flush()
