"""The selection of candidates for a vacant dwelling (the plan's action 8): the active demands that fit it,
ranked by score (then by filing date, as the queue), with facts only: the demand's number, score and
seniority, the household's size, its income against the dwelling's ceiling, the rent against its income,
its priority label or DALO, whether it is in the lowest income quartile (with the territory's yearly
threshold per consumption unit), and whether housing it moves its reservation holder towards the year's
objectives. The allocation committee usually examines the first three.

A demand fits when it asks for the dwelling's type in the dwelling's commune (its first choice or another
one), the household's size suits the type (one room per person, give or take one), and its income, when
known, is under the ceiling of the dwelling's financing in the commune's zone (a demand whose income is
not known is listed, marked so). The demands are read in the order of the selection index, a window at a
time, until enough fit: the list costs a few index reads whatever the number of demands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.demands.models import DWELLING_TYPES, Demand
from portal.information.eligibility import PRODUCTS, Ceilings, Household, ceiling, household_category
from portal.priority import referrals
from portal.priority.models import Referral

SHOWN = 10  # candidates listed
EXAMINED = 3  # the committee's usual number
WINDOW = 100  # demands read at a time


@dataclass(frozen=True)
class Vacancy:
    landlord: str
    commune_insee: str
    dwelling_type: str
    financing: str
    rent: Decimal  # € a month, charges included
    in_qpv: bool = False


@dataclass
class Candidate:
    rank: int
    number: str
    score: int
    filed_on: dt.date
    household_size: int
    first_choice: bool  # the dwelling's commune is the demand's first choice
    mutation: bool
    income: int | None
    ceiling: int | None
    rent_share: float | None  # the year's rent over the household's yearly income
    dalo: bool
    lowest_quartile: bool | None = None  # None: the income or the territory's threshold is not known
    label: Referral | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def under_ceiling(self) -> bool | None:
        return None if self.income is None or self.ceiling is None else self.income <= self.ceiling

    @property
    def priority(self) -> bool:
        return self.dalo or self.label is not None


def size_range(dwelling_type: str) -> tuple[int, int]:
    """The household sizes a type suits (chances.fitting_types' rule, read the other way)."""
    rooms = DWELLING_TYPES.index(dwelling_type) + 1
    return max(1, rooms - 1), (rooms + 1 if rooms < len(DWELLING_TYPES) else 99)


def consumption_units(household: Household) -> float:
    """INSEE's scale, the dependants counted as children under 14 (the demand does not give their ages):
    1 for the first adult, 0.5 for each other adult, 0.3 for each dependant."""
    return 1 + 0.5 * (household.adults - 1) + 0.3 * household.dependants


def household_of(demand: Demand) -> Household:
    facts = demand.facts or {}
    dependants = min(max(int(facts.get("dependants") or 0), 0), max(demand.household_size - 1, 0))
    return Household(
        adults=max(1, demand.household_size - dependants),
        dependants=dependants,
        disabled_member=bool(facts.get("disabled_persons")),
    )


def fitting(session: Session, vacancy: Vacancy, after: tuple | None, limit: int) -> list[Demand]:
    """The next `limit` active demands asking for the type in the commune, in queue order, after `after`
    (score, filed_on, id) of the previous window."""
    low, high = size_range(vacancy.dwelling_type)
    query = (
        select(Demand)
        .where(
            Demand.status == "active",
            Demand.dwelling_type == vacancy.dwelling_type,
            Demand.score_total.is_not(None),
            Demand.household_size.between(low, high),
            or_(
                Demand.first_commune_insee == vacancy.commune_insee,
                Demand.other_communes.contains(vacancy.commune_insee),
            ),
        )
        .order_by(Demand.score_total.desc(), Demand.filed_on, Demand.id)
        .limit(limit)
    )
    if after is not None:
        score, filed_on, ident = after
        query = query.where(
            or_(
                Demand.score_total < score,
                (Demand.score_total == score) & (Demand.filed_on > filed_on),
                (Demand.score_total == score) & (Demand.filed_on == filed_on) & (Demand.id > ident),
            )
        )
    return list(session.scalars(query))


def candidates(
    session: Session,
    vacancy: Vacancy,
    ceilings: Ceilings,
    zone: str,
    today: dt.date,
    shown: int = SHOWN,
    quartile_income: int | None = None,
) -> list[Candidate]:
    """The first `shown` demands that fit the vacancy, in queue order (see the module's docstring), with
    their priority labels of today."""
    found: list[Candidate] = []
    after = None
    while len(found) < shown:
        window = fitting(session, vacancy, after, WINDOW)
        for demand in window:
            candidate = _candidate(demand, vacancy, ceilings, zone, len(found) + 1, quartile_income)
            if candidate.under_ceiling is not False and vacancy.commune_insee in _communes(demand):
                found.append(candidate)
                if len(found) == shown:
                    break
        if len(window) < WINDOW:
            break
        last = window[-1]
        after = (last.score_total, last.filed_on, last.id)
    labels = referrals.active_labels(session, [candidate.number for candidate in found], today)
    for candidate in found:
        candidate.label = labels.get(candidate.number)
    return found


def _communes(demand: Demand) -> set[str]:
    return {demand.first_commune_insee, *demand.other_communes.split()}


def _candidate(
    demand: Demand, vacancy: Vacancy, ceilings: Ceilings, zone: str, rank: int, quartile_income: int | None
) -> Candidate:
    facts = demand.facts or {}
    income = facts.get("income")
    income = int(income) if isinstance(income, int | float) and income >= 0 else None
    amount = None
    if vacancy.financing in PRODUCTS:
        amount = ceiling(ceilings, vacancy.financing, zone, household_category(household_of(demand)))
    rent_share = float(vacancy.rent) * 12 / income if income else None
    lowest = None
    if income is not None and quartile_income:
        lowest = income / consumption_units(household_of(demand)) < quartile_income
    return Candidate(
        rank=rank,
        number=demand.number,
        score=demand.score_total,
        filed_on=demand.filed_on,
        household_size=demand.household_size,
        first_choice=demand.first_commune_insee == vacancy.commune_insee,
        mutation=demand.mutation,
        income=income,
        ceiling=amount,
        rent_share=rent_share,
        dalo=bool(facts.get("dalo")),
        lowest_quartile=lowest,
    )
