"""The yearly report of reservations in flux (CCH R.441-5; due before the end of February): for a landlord,
the dwellings it offered to each reservation holder and those allocated to each holder's candidates, by
holder, dwelling type, financing, in or outside QPV, commune and construction period, with the next
year's forecast; or the same seen from one reservation holder, landlord by landlord.

Counted from the allocations file: `offered_to` says which holder a vacated dwelling was offered to,
`holder` whose candidate it went to (a dwelling a holder gave back goes to the landlord's or another
holder's candidate). Grouped in the database: a year of 100,000 allocations is counted in well under a
second (bench/selection.py). The forecast of the next year is the year's offers, by holder and dwelling
type, times the change of the landlord's stock of that type between 1 January of the year and of the
next (the stock file; unchanged when it does not say).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.demands.models import Allocation, HousingStock

# Construction periods of the yearly report (the RPLS's usual bands).
PERIODS = (("before_1949", None, 1948), ("1949_1974", 1949, 1974), ("1975_1989", 1975, 1989),
           ("1990_2004", 1990, 2004), ("2005_2014", 2005, 2014), ("since_2015", 2015, None))  # fmt: skip
SCOPES = ("landlord", "holder")


@dataclass(frozen=True)
class Key:
    """One cell of the report: who offered, to whom, what, where, when it was built."""

    landlord: str
    holder: str
    dwelling_type: str
    financing: str
    in_qpv: bool
    commune_insee: str
    period: str


@dataclass
class Counts:
    offered: int = 0
    allocated: int = 0


def _period():
    built = Allocation.built_year
    whens = []
    for name, first, last in PERIODS:
        if first is None:
            whens.append((built <= last, name))
        elif last is None:
            whens.append((built >= first, name))
        else:
            whens.append((built.between(first, last), name))
    return case(*whens, else_="unknown")


def _grouped(session: Session, year: int, holder_column, scope: str, names: tuple[str, ...]):
    period = _period()
    columns = (Allocation.landlord, holder_column, Allocation.dwelling_type, Allocation.financing,
               Allocation.in_qpv, Allocation.commune_insee, period)  # fmt: skip
    query = select(*columns, func.count()).where(
        Allocation.allocated_on >= dt.date(year, 1, 1), Allocation.allocated_on <= dt.date(year, 12, 31)
    )
    if scope == "landlord":
        query = query.where(Allocation.landlord.in_(names))
    else:
        query = query.where(holder_column.in_(names))
    return session.execute(query.group_by(*columns)).all()


def report(session: Session, year: int, scope: str, names: tuple[str, ...]) -> dict[Key, Counts]:
    """The year's cells for a landlord (scope "landlord": the rows whose landlord is one of `names`) or a
    reservation holder (scope "holder": offered to or allocated by one of `names`)."""
    cells: dict[Key, Counts] = defaultdict(Counts)
    for *key, count in _grouped(session, year, Allocation.offered_to, scope, names):
        if key[1]:
            cells[Key(*key)].offered += count
    for *key, count in _grouped(session, year, Allocation.holder, scope, names):
        if key[1]:
            cells[Key(*key)].allocated += count
    return dict(
        sorted(cells.items(), key=lambda item: tuple(str(part) for part in item[0].__dict__.values()))
    )


def totals(cells: dict[Key, Counts], *dimensions: str) -> list[tuple[tuple, Counts]]:
    """The cells added up along some dimensions (e.g. "holder", or "holder", "dwelling_type")."""
    found: dict[tuple, Counts] = defaultdict(Counts)
    for key, counts in cells.items():
        total = found[tuple(getattr(key, name) for name in dimensions)]
        total.offered += counts.offered
        total.allocated += counts.allocated
    return sorted(found.items(), key=lambda item: tuple(str(part) for part in item[0]))


def forecast(session: Session, year: int, cells: dict[Key, Counts]) -> list[tuple[tuple[str, str, str], int]]:
    """Next year's offers by (landlord, holder, dwelling type): this year's times the stock's change."""
    landlords = sorted({key.landlord for key in cells})
    stock: dict[tuple[int, str, str], int] = defaultdict(int)
    if landlords:
        rows = session.execute(
            select(
                HousingStock.year,
                HousingStock.landlord,
                HousingStock.dwelling_type,
                func.sum(HousingStock.dwellings),
            )
            .where(HousingStock.year.in_((year, year + 1)), HousingStock.landlord.in_(landlords))
            .group_by(HousingStock.year, HousingStock.landlord, HousingStock.dwelling_type)
        )
        for stock_year, landlord, kind, dwellings in rows:
            stock[(stock_year, landlord, kind)] = int(dwellings or 0)
    result = []
    for (landlord, holder, kind), counts in totals(cells, "landlord", "holder", "dwelling_type"):
        now, then = stock.get((year, landlord, kind)), stock.get((year + 1, landlord, kind))
        ratio = then / now if now and then else 1.0
        result.append(((landlord, holder, kind), round(counts.offered * ratio)))
    return result


def due_on(year: int) -> dt.date:
    """The report of a year is due before the end of February of the next."""
    return dt.date(year + 1, 3, 1) - dt.timedelta(days=1)


CSV_COLUMNS = ("landlord", "holder", "dwelling_type", "financing", "qpv", "commune", "construction_period",
               "offered", "allocated")  # fmt: skip


def csv_rows(cells: dict[Key, Counts]) -> list[list]:
    return [
        [
            key.landlord,
            key.holder,
            key.dwelling_type,
            key.financing,
            1 if key.in_qpv else 0,
            key.commune_insee,
            key.period,
            counts.offered,
            counts.allocated,
        ]
        for key, counts in cells.items()
    ]
