"""The observatory's figures from counted cells (portal.observatory.indicators counts them): a period,
a cell of counts and waits, the figures computed from it (ratios, median and third-quartile waits,
shares) and what statistical secrecy lets the public see (`public()` hides what was computed on fewer
than SECRECY_THRESHOLD households)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields

SECRECY_THRESHOLD = 5  # figures on fewer households than this are not published
LOWEST_QUARTILE_TARGET = 0.25  # CCH L.441-1: a quarter of allocations outside QPV to the lowest quartile
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def year_before(cls, day: dt.date) -> Period:
        """The twelve months that end the day before `day` (what "last year" means on the public pages)."""
        try:
            start = day.replace(year=day.year - 1)
        except ValueError:  # 29 February: a year before is 1 March
            start = day.replace(year=day.year - 1, month=3, day=1)
        end = day - dt.timedelta(days=1)
        return cls(start, end)


@dataclass
class Cell:
    """What was counted for one commune, dwelling type and transfer flag; cells add up."""

    active: int = 0
    new: int = 0
    dalo_demands: int = 0
    pdalhpd_demands: int = 0
    renewals: int = 0
    struck_off: int = 0
    allocations: int = 0
    waits: list[int] = field(default_factory=list)  # days from filing to allocation, one per allocation
    detailed_allocations: int = 0  # allocations the allocations file describes
    dalo_allocations: int = 0
    accord_allocations: int = 0
    other_priority_allocations: int = 0
    outside_qpv_known: int = 0  # allocations outside QPV whose household's income quartile is known
    outside_qpv_lowest: int = 0  # … of which to a household of the lowest quartile
    stock: int = 0

    def add(self, other: Cell) -> None:
        for item in fields(self):
            if item.name == "waits":
                self.waits.extend(other.waits)
            else:
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass(frozen=True)
class Figures:
    """The indicators of one group (a commune, a type, the territory…), as shown and exported."""

    active_demands: int | None
    new_demands: int | None
    allocations: int | None
    pressure: float | None  # active demands per allocation
    wait_median_months: float | None
    wait_p75_months: float | None
    transfer_demands: int | None
    transfer_share_demands: float | None  # share of the active demands
    transfer_allocations: int | None
    transfer_share_allocations: float | None
    dalo_demands: int | None
    pdalhpd_demands: int | None
    dalo_allocations: int | None
    accord_allocations: int | None
    priority_allocations: int | None  # DALO, collective agreement and other priority publics
    detailed_allocations: int | None
    renewals: int | None
    struck_off: int | None
    lowest_quartile_share: float | None  # of the allocations outside QPV with a known quartile
    lowest_quartile_base: int | None
    stock: int | None
    hidden: tuple[str, ...] = ()  # names of the figures withheld by statistical secrecy

    def as_dict(self) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self) if item.name != "hidden"} | {
            "hidden": list(self.hidden)
        }


# Each figure with the count of households it rests on: a count rests on itself, a ratio on its base.
COUNTS = (
    "active_demands",
    "new_demands",
    "allocations",
    "transfer_demands",
    "transfer_allocations",
    "dalo_demands",
    "pdalhpd_demands",
    "dalo_allocations",
    "accord_allocations",
    "priority_allocations",
    "detailed_allocations",
    "renewals",
    "struck_off",
    "lowest_quartile_base",
)
RATIOS = {  # ratio -> the counts it is computed from (hidden if any of them is below the threshold)
    "pressure": ("allocations", "active_demands"),
    "wait_median_months": ("allocations",),
    "wait_p75_months": ("allocations",),
    "transfer_share_demands": ("active_demands",),
    "transfer_share_allocations": ("allocations",),
    "lowest_quartile_share": ("lowest_quartile_base",),
}
NOT_HOUSEHOLDS = ("stock",)  # dwellings, not households: never secret


def percentile(sorted_values: list[int], share: float) -> float:
    """The value below which `share` of the values fall (linear interpolation, as the median)."""
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    rank = share * (len(sorted_values) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures_of(cell: Cell, transfers: Cell | None = None) -> Figures:
    """The indicators of a cell; `transfers` is the part of the cell that is transfer demands."""
    transfers = transfers or Cell()
    waits = sorted(cell.waits)
    return Figures(
        active_demands=cell.active,
        new_demands=cell.new,
        allocations=cell.allocations,
        pressure=round(cell.active / cell.allocations, 1) if cell.allocations else None,
        wait_median_months=round(percentile(waits, 0.5) / DAYS_PER_MONTH, 1) if waits else None,
        wait_p75_months=round(percentile(waits, 0.75) / DAYS_PER_MONTH, 1) if waits else None,
        transfer_demands=transfers.active,
        transfer_share_demands=_share(transfers.active, cell.active),
        transfer_allocations=transfers.allocations,
        transfer_share_allocations=_share(transfers.allocations, cell.allocations),
        dalo_demands=cell.dalo_demands,
        pdalhpd_demands=cell.pdalhpd_demands,
        dalo_allocations=cell.dalo_allocations,
        accord_allocations=cell.accord_allocations,
        priority_allocations=cell.dalo_allocations
        + cell.accord_allocations
        + cell.other_priority_allocations,
        detailed_allocations=cell.detailed_allocations,
        renewals=cell.renewals,
        struck_off=cell.struck_off,
        lowest_quartile_share=_share(cell.outside_qpv_lowest, cell.outside_qpv_known),
        lowest_quartile_base=cell.outside_qpv_known,
        stock=cell.stock,
    )


def public(figures: Figures, threshold: int = SECRECY_THRESHOLD) -> Figures:
    """The figures anyone may read: a count of 1 to threshold-1 households, and every ratio resting on
    such a count, is withheld (None, and named in `hidden`). Zero says nothing about anyone and stays."""
    values = {item.name: getattr(figures, item.name) for item in fields(figures) if item.name != "hidden"}
    small = {name for name in COUNTS if values[name] is not None and 0 < values[name] < threshold}
    hidden = set(small)
    for ratio, bases in RATIOS.items():
        if values[ratio] is not None and any(
            values[base] is not None and values[base] < threshold for base in bases
        ):
            hidden.add(ratio)
    for name in hidden:
        values[name] = None
    return Figures(**values, hidden=tuple(sorted(hidden | set(figures.hidden))))
