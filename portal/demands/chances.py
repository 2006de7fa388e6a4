"""What similar demands became (the outcome curve) and what widening a choice changes (the what-if).

The cohort: the demands filed between 6 and 3 years before the current month (each has had 36 whole
months to be housed), of the same kind (transfer or not), dwelling type and first-choice commune. Of
them, the share housed less than 6, 12, 24 and 36 whole months after filing, and where they are today:
housed, still waiting, struck off. Below MIN_COHORT demands the segment widens to the neighbouring
communes, then to the territory, and the page says which. Nothing is stored about the applicant: the
figures come from DemandOutcome, a few rows per segment and filing month, rebuilt from the demands after
every data file and every night (`rebuild_outcomes`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from portal.demands import services
from portal.demands.models import DWELLING_TYPES, Demand, DemandEvent, DemandOutcome
from portal.territory.services import commune_names as territory_names
from portal.territory.services import neighbours

HORIZONS = (6, 12, 24, 36)  # months
OLDEST, YOUNGEST = 72, 37  # the cohort's filing months, counted back from the current month
# Fewer demands than this and the figures are those of a wider segment. Well above the observatory's
# statistical secrecy (5 households): no share can point at a household.
MIN_COHORT = 20
NEIGHBOUR_KM = 10  # what "the neighbouring communes" means on the what-if
SCOPES = ("commune", "neighbours", "territory")
WRITE_BATCH = 5_000


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (15 March to 14 April: 0; to 15 April: 1)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def rebuild_outcomes(session: Session, today: dt.date) -> int:
    """Count again what the demands of the cohorts became (in the caller's transaction); the rows."""
    since = month_start(month_index(today) - OLDEST)
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0] * (len(HORIZONS) + 3))
    allocation = and_(DemandEvent.demand_id == Demand.id, DemandEvent.kind == "allocation")
    rows = session.execute(
        select(
            Demand.mutation,
            Demand.dwelling_type,
            Demand.first_commune_insee,
            Demand.filed_on,
            Demand.status,
            DemandEvent.occurred_on,
        )
        .outerjoin(DemandEvent, allocation)
        .where(Demand.filed_on >= since)
        .execution_options(yield_per=WRITE_BATCH)
    )
    for mutation, dwelling_type, commune, filed_on, status, allocated_on in rows:
        cell = cells[(mutation, dwelling_type, commune, month_index(filed_on))]
        cell[0] += 1
        if allocated_on is not None:
            waited = whole_months(filed_on, allocated_on)
            for index, months in enumerate(HORIZONS, start=1):
                cell[index] += waited < months
        cell[-2] += status == "allocated"
        cell[-1] += status == "struck_off"
    session.execute(delete(DemandOutcome))
    names = ("demands", *(f"housed_{months}" for months in HORIZONS), "housed", "ended")
    values = [
        {"mutation": key[0], "dwelling_type": key[1], "commune_insee": key[2], "filed_month": key[3]}
        | dict(zip(names, counts, strict=True))
        for key, counts in cells.items()
    ]
    for start in range(0, len(values), WRITE_BATCH):
        session.execute(insert(DemandOutcome), values[start : start + WRITE_BATCH])
    return len(values)


@dataclass(frozen=True)
class Outcome:
    """What a cohort of similar demands became; shares from 0 to 1."""

    scope: str  # one of SCOPES: how wide "similar" had to be
    demands: int
    filed_from: dt.date  # the cohort's first filing month
    filed_to: dt.date  # … and the last day of its last one
    within: tuple[tuple[int, float], ...]  # (months, share housed in less than that), by HORIZONS
    housed: float
    waiting: float
    ended: float

    def share_within(self, months: int) -> float:
        return dict(self.within)[months]

    def tenths(self, months: int = 24) -> int:
        """ "7 in 10 were housed within 2 years": the share in tenths, rounded."""
        return round(self.share_within(months) * 10)


COUNTED = ("demands", *(f"housed_{months}" for months in HORIZONS), "housed", "ended")


def cells(session: Session, mutation: bool, types, communes, today: dt.date) -> dict[tuple[str, str], tuple]:
    """The cohort's counts (COUNTED) by dwelling type and commune, for `types` and `communes` (None:
    every commune): one query, which the outcomes of several pools then add up."""
    current = month_index(today)
    query = (
        select(
            DemandOutcome.dwelling_type,
            DemandOutcome.commune_insee,
            *(func.sum(getattr(DemandOutcome, name)) for name in COUNTED),
        )
        .where(
            DemandOutcome.mutation == mutation,
            DemandOutcome.dwelling_type.in_(tuple(types)),
            DemandOutcome.filed_month.between(current - OLDEST, current - YOUNGEST),
        )
        .group_by(DemandOutcome.dwelling_type, DemandOutcome.commune_insee)
    )
    if communes is not None:
        query = query.where(DemandOutcome.commune_insee.in_(tuple(communes)))
    return {
        (kind, commune): tuple(int(value) for value in counts)
        for kind, commune, *counts in session.execute(query)
    }


def outcome_of(found: dict, types, communes, today: dt.date, scope: str) -> Outcome | None:
    """The outcome of the cells of `types` and `communes` (None: all); None below MIN_COHORT."""
    total = [0] * len(COUNTED)
    for (kind, commune), counts in found.items():
        if kind in types and (communes is None or commune in communes):
            total = [a + b for a, b in zip(total, counts, strict=True)]
    demands, *housed_within, housed, ended = total
    if demands < MIN_COHORT:
        return None
    current = month_index(today)
    return Outcome(
        scope=scope,
        demands=demands,
        filed_from=month_start(current - OLDEST),
        filed_to=month_start(current - YOUNGEST + 1) - dt.timedelta(days=1),
        within=tuple(
            (months, count / demands) for months, count in zip(HORIZONS, housed_within, strict=True)
        ),
        housed=housed / demands,
        waiting=(demands - housed - ended) / demands,
        ended=ended / demands,
    )


def cohort(session: Session, mutation: bool, types, communes, today: dt.date, scope: str) -> Outcome | None:
    """The outcome of the cohort of demands of one kind for any of `types` whose first choice is any of
    `communes` (None: every commune); None when fewer than MIN_COHORT."""
    return outcome_of(cells(session, mutation, types, communes, today), types, communes, today, scope)


def similar_outcome(
    session: Session,
    mutation: bool,
    dwelling_type: str,
    commune: str,
    today: dt.date,
    found: dict | None = None,
) -> Outcome | None:
    """The outcome of demands like this one: its first-choice commune, else the neighbouring communes,
    else the territory; None when even the territory has too few (a new territory's data). `found`: the
    cells of this kind and type in the commune and its neighbours, when the caller has read them."""
    near = neighbours(commune, NEIGHBOUR_KM)
    if found is None:
        found = cells(session, mutation, (dwelling_type,), near or (commune,), today)
    for scope, communes in (("commune", (commune,)), ("neighbours", near)):
        if communes:
            outcome = outcome_of(found, (dwelling_type,), communes, today, scope)
            if outcome is not None:
                return outcome
    return cohort(session, mutation, (dwelling_type,), None, today, "territory")


def fitting_types(household_size: int) -> tuple[str, ...]:
    """The dwelling types a household of this size is usually offered: one room per person, give or take
    one (a T1 has one main room, a T5 five or more)."""
    return tuple(
        name
        for rooms, name in enumerate(DWELLING_TYPES, start=1)
        if household_size - 1 <= rooms <= household_size + 1
    ) or (DWELLING_TYPES[-1],)


@dataclass(frozen=True)
class Option:
    """One way of widening the demand's choices, with where it would stand and what such demands became."""

    kind: str  # "now" (the choices as they are), "neighbours" or "type"
    types: tuple[str, ...]
    communes: tuple[str, ...]
    ahead: int
    total: int
    outcome: Outcome | None  # None: too few such demands to say

    @property
    def added_types(self) -> tuple[str, ...]:
        return self.types[1:]

    @property
    def added_communes(self) -> tuple[str, ...]:
        return self.communes[1:]


def what_if(
    session: Session, demand: Demand, today: dt.date, ties=(), own_ahead: int | None = None
) -> tuple[Outcome | None, list[Option]]:
    """What similar demands became (`similar_outcome`), and the demand as it is, then with the
    neighbouring communes, then with each other dwelling type that fits its household: the same score,
    another pool of demands and of past outcomes. Nothing is written. `own_ahead`: the demands ahead in
    its own segment, when the caller has counted them. The cohorts are read in one query."""
    first, kind = demand.first_commune_insee, demand.mutation
    near = neighbours(first, NEIGHBOUR_KM)
    others = [other for other in fitting_types(demand.household_size) if other != demand.dwelling_type]
    ways = [("now", (demand.dwelling_type,), (first,))]
    if len(near) > 1:
        ways.append(("neighbours", (demand.dwelling_type,), near))
    ways += [("type", (demand.dwelling_type, other), (first,)) for other in others]
    found = cells(session, kind, (demand.dwelling_type, *others), near or (first,), today)
    options = []
    for way, types, communes in ways:
        ahead, total = services.pool_position(session, demand, types, communes, ties, own_ahead)
        if way == "now":
            own_ahead = ahead
        outcome = outcome_of(found, types, communes, today, "commune" if way != "neighbours" else way)
        options.append(Option(way, types, communes, ahead, total, outcome))
    similar = similar_outcome(session, kind, demand.dwelling_type, first, today, found)
    return similar, options


def commune_names(codes) -> list[str]:
    names = territory_names()
    return [names.get(code, code) for code in codes]
