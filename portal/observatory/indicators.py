"""The observatory's indicators: supply, demand and allocations, per commune, per dwelling type and for the
territory, over a period (the plan's first action: a shared observatory).

Everything is computed from the stored data in five aggregate queries, whatever the grouping asked:

- demands, grouped by first-choice commune, dwelling type and transfer (mutation): active at the end of
  the period (filed by then, not yet allocated or struck off), new in the period, and among the active
  ones the transfers, the DALO households and the priority households of the departmental plan
  (PDALHPD, the public of the collective agreement) — in two queries: every demand as its status says,
  then a correction for the demands with a dated end (the one join left is on those few, not on all);
- allocations in the period, one row each (there are about a tenth as many as demands): the allocated
  dwelling's commune and type (from the allocations file when it has the allocation, else from the demands
  file), the wait from filing to allocation, transfer or not, and, when the allocations file carries them,
  the landlord, the priority public, the priority urban district (QPV) and the lowest income quartile;
- renewals and strikings-off in the period, grouped like the demands;
- the social housing stock of the latest count not after the period's end.

These land in cells (commune, dwelling type, transfer) that add up into any grouping: the territory, a
commune, a type, a commune and a type. A landlord filter keeps the allocations and the stock of that
landlord only (demands have no landlord).

The figures computed from the cells, and statistical secrecy, are in portal.observatory.figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, case, func, literal, select
from sqlalchemy.orm import Session

from portal.demands.models import DWELLING_TYPES, Allocation, Demand, DemandEvent, HousingStock
from portal.observatory.figures import Cell, Figures, Period, figures_of

ALL = ""  # the key of "every commune" or "every dwelling type"


@dataclass(frozen=True)
class Filters:
    period: Period
    commune: str | None = None  # INSEE code
    dwelling_type: str | None = None
    landlord: str | None = None


Key = tuple[str, str, bool]  # (commune, dwelling type, transfer)


def count(session: Session, filters: Filters) -> dict[Key, Cell]:
    """The cells of the period, from the stored demands, events, allocations and stock."""
    cells: dict[Key, Cell] = defaultdict(Cell)
    _count_demands(session, filters, cells)
    _count_events(session, filters, cells)
    _count_allocations(session, filters, cells)
    _count_stock(session, filters, cells)
    return cells


def _demand_filters(filters: Filters, demand=Demand) -> list:
    conditions = []
    if filters.commune:
        conditions.append(demand.first_commune_insee == filters.commune)
    if filters.dwelling_type:
        conditions.append(demand.dwelling_type == filters.dwelling_type)
    return conditions


def _flag(column) -> object:
    """1 where a JSON fact is true (facts are stored as JSON booleans), else 0."""
    return case((column.as_boolean().is_(True), 1), else_=0)


def _count_demands(session: Session, filters: Filters, cells: dict[Key, Cell]) -> None:
    """Active at the end: filed by then, and not ended by then. A demand said allocated or struck off
    without a dated event ended at an unknown date: it is not counted as active.

    Two queries, so that the million demands are read once without a join: first every demand filed by
    the end is counted as its status says (active or not); then only the demands with a dated end (an
    allocation or a striking-off event, about one in seven) are corrected to what their end date says.
    """
    start, end = filters.period.start, filters.period.end
    said_active = case((Demand.status == "active", 1), else_=0)
    dalo, pdalhpd = _flag(Demand.facts["dalo"]), _flag(Demand.facts["pdalhpd"])
    cell_of = (Demand.first_commune_insee, Demand.dwelling_type, Demand.mutation)
    rows = session.execute(
        select(
            *cell_of,
            func.sum(said_active),
            func.sum(case((Demand.filed_on >= start, 1), else_=0)),
            func.sum(said_active * dalo),
            func.sum(said_active * pdalhpd),
        )
        .where(Demand.filed_on <= end, *_demand_filters(filters))
        .group_by(*cell_of)
    )
    for commune, dwelling, mutation, active_count, new, dalo_count, pdalhpd_count in rows:
        cell = cells[(commune, dwelling, bool(mutation))]
        cell.active += int(active_count or 0)
        cell.new += int(new or 0)
        cell.dalo_demands += int(dalo_count or 0)
        cell.pdalhpd_demands += int(pdalhpd_count or 0)
    ended = (
        select(DemandEvent.demand_id, func.min(DemandEvent.occurred_on).label("ended_on"))
        .where(DemandEvent.kind.in_(("allocation", "struck_off")))
        .group_by(DemandEvent.demand_id)
        .subquery()
    )
    # +1 for a demand still open at the end though its status says ended, -1 for one said active that
    # had ended by then, 0 when the status and the date agree.
    correction = case((ended.c.ended_on > end, 1), else_=0) - said_active
    rows = session.execute(
        select(
            *cell_of,
            func.sum(correction),
            func.sum(correction * dalo),
            func.sum(correction * pdalhpd),
        )
        .join(ended, ended.c.demand_id == Demand.id)
        .where(Demand.filed_on <= end, *_demand_filters(filters))
        .group_by(*cell_of)
    )
    for commune, dwelling, mutation, active_count, dalo_count, pdalhpd_count in rows:
        cell = cells[(commune, dwelling, bool(mutation))]
        cell.active += int(active_count or 0)
        cell.dalo_demands += int(dalo_count or 0)
        cell.pdalhpd_demands += int(pdalhpd_count or 0)


def _count_events(session: Session, filters: Filters, cells: dict[Key, Cell]) -> None:
    rows = session.execute(
        select(
            Demand.first_commune_insee,
            Demand.dwelling_type,
            Demand.mutation,
            DemandEvent.kind,
            func.count(),
        )
        .join(Demand, Demand.id == DemandEvent.demand_id)
        .where(
            DemandEvent.kind.in_(("renewed", "struck_off")),
            DemandEvent.occurred_on >= filters.period.start,
            DemandEvent.occurred_on <= filters.period.end,
            *_demand_filters(filters),
        )
        .group_by(Demand.first_commune_insee, Demand.dwelling_type, Demand.mutation, DemandEvent.kind)
    )
    for commune, dwelling, mutation, kind, number in rows:
        cell = cells[(commune, dwelling, bool(mutation))]
        if kind == "renewed":
            cell.renewals += number
        else:
            cell.struck_off += number


def _count_allocations(session: Session, filters: Filters, cells: dict[Key, Cell]) -> None:
    commune = func.coalesce(Allocation.commune_insee, DemandEvent.commune_insee)
    dwelling = func.coalesce(Allocation.dwelling_type, DemandEvent.dwelling_type)
    query = (
        select(
            commune,
            dwelling,
            Demand.mutation,
            DemandEvent.occurred_on,
            Demand.filed_on,
            Allocation.id.is_not(None),
            func.coalesce(Allocation.priority, literal("none")),
            func.coalesce(Allocation.in_qpv.cast(Integer), literal(-1)),
            func.coalesce(Allocation.lowest_quartile.cast(Integer), literal(-1)),
        )
        .join(Demand, Demand.id == DemandEvent.demand_id)
        .outerjoin(Allocation, Allocation.demand_number == Demand.number)
        .where(
            DemandEvent.kind == "allocation",
            DemandEvent.occurred_on >= filters.period.start,
            DemandEvent.occurred_on <= filters.period.end,
        )
    )
    if filters.commune:
        query = query.where(commune == filters.commune)
    if filters.dwelling_type:
        query = query.where(dwelling == filters.dwelling_type)
    if filters.landlord:
        query = query.where(Allocation.landlord == filters.landlord)
    for (
        insee,
        dwelling_type,
        mutation,
        allocated_on,
        filed_on,
        detailed,
        priority,
        qpv,
        quartile,
    ) in session.execute(query):
        cell = cells[(insee, dwelling_type, bool(mutation))]
        cell.allocations += 1
        cell.waits.append(max(0, (allocated_on - filed_on).days))
        if not detailed:
            continue
        cell.detailed_allocations += 1
        if priority == "dalo":
            cell.dalo_allocations += 1
        elif priority == "accord_collectif":
            cell.accord_allocations += 1
        elif priority == "other_priority":
            cell.other_priority_allocations += 1
        if qpv == 0 and quartile in (0, 1):
            cell.outside_qpv_known += 1
            cell.outside_qpv_lowest += quartile


def stock_year(session: Session, day: dt.date) -> int | None:
    """The latest count of the stock not after that day's year."""
    return session.scalar(select(func.max(HousingStock.year)).where(HousingStock.year <= day.year))


def _count_stock(session: Session, filters: Filters, cells: dict[Key, Cell]) -> None:
    year = stock_year(session, filters.period.end)
    if year is None:
        return
    query = (
        select(HousingStock.commune_insee, HousingStock.dwelling_type, func.sum(HousingStock.dwellings))
        .where(HousingStock.year == year)
        .group_by(HousingStock.commune_insee, HousingStock.dwelling_type)
    )
    if filters.commune:
        query = query.where(HousingStock.commune_insee == filters.commune)
    if filters.dwelling_type:
        query = query.where(HousingStock.dwelling_type == filters.dwelling_type)
    if filters.landlord:
        query = query.where(HousingStock.landlord == filters.landlord)
    for insee, dwelling_type, dwellings in session.execute(query):
        cells[(insee, dwelling_type, False)].stock += int(dwellings or 0)  # the stock has no transfer side


# --- grouping -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observatory:
    """The figures of a period: for the territory, per commune, per type, per commune and type."""

    period: Period
    stock_year: int | None
    territory: Figures
    by_type: dict[str, Figures]
    by_commune: dict[str, Figures]
    by_commune_type: dict[tuple[str, str], Figures]


def group(cells: dict[Key, Cell], key) -> dict:
    """Add the cells up by `key(commune, dwelling type)`: (all, transfers) per group."""
    totals: dict = defaultdict(lambda: (Cell(), Cell()))
    for (insee, dwelling_type, transfer), cell in cells.items():
        whole, transfers = totals[key(insee, dwelling_type)]
        whole.add(cell)
        if transfer:
            transfers.add(cell)
    return {name: figures_of(whole, transfers) for name, (whole, transfers) in totals.items()}


def observatory(session: Session, filters: Filters, communes: Iterable[str] = ()) -> Observatory:
    """Every indicator of the period, for the territory and each commune and dwelling type (every commune
    named in `communes` and every type appear, with zeros when nothing was counted)."""
    cells = count(session, filters)
    for insee in communes:
        for dwelling_type in DWELLING_TYPES:
            cells.setdefault((insee, dwelling_type, False), Cell())
    for dwelling_type in DWELLING_TYPES:  # every type appears, with zeros when nothing was counted
        cells.setdefault((ALL, dwelling_type, False), Cell())
    territory = group(cells, lambda insee, dwelling_type: ALL).get(ALL) or figures_of(Cell())
    return Observatory(
        period=filters.period,
        stock_year=stock_year(session, filters.period.end),
        territory=territory,
        by_type={
            dwelling_type: figures
            for dwelling_type, figures in sorted(group(cells, lambda i, t: t).items())
            if dwelling_type
        },
        by_commune={
            insee: figures for insee, figures in sorted(group(cells, lambda i, t: i).items()) if insee
        },
        by_commune_type={
            key: figures
            for key, figures in sorted(group(cells, lambda i, t: (i, t)).items())
            if key[0] and key[1]
        },
    )


def landlords(session: Session) -> list[str]:
    """The landlords named by the allocations and the stock (for the partners' filter)."""
    names = set(session.scalars(select(Allocation.landlord).distinct())) | set(
        session.scalars(select(HousingStock.landlord).distinct())
    )
    return sorted(name for name in names if name)
