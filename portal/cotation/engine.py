"""The scoring engine: pure functions over plain data (no Flask, no database).

A grid is a list of criteria. Each reads one fact of the demand:
- `flag`: a yes/no fact gives its points;
- `per_month`: whole months elapsed since a date fact, times the points, up to a cap;
- `bands`: a number fact falls in a band, which gives that band's points;
- `count`: a count fact times the points (negative points are penalties, e.g. per refused offer), capped.
Criteria of one exclusive `group` do not add up: only the highest counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The yes/no facts a demand can carry (a column each in the demands file) that a grid's criteria read.
FLAG_FACTS = (
    "dalo",
    "pdalhpd",
    "violence",
    "disability",
    "eviction",
    "homeless",
    "temporary_housing",
    "hosted",
    "overcrowding",
    "job_distance",
    "urban_renewal",
    "under_occupation",
)

KINDS = ("flag", "per_month", "bands", "count")
VERIFICATIONS = ("computed", "declared", "checked")


@dataclass(frozen=True)
class Band:
    minimum: float  # included
    maximum: float | None  # excluded; None: no upper bound
    points: int

    def holds(self, value: float) -> bool:
        return value >= self.minimum and (self.maximum is None or value < self.maximum)


@dataclass(frozen=True)
class Criterion:
    code: str
    family: str
    kind: str
    fact: str
    points: int = 0
    cap: int | None = None  # for per_month and count: the most months or items counted
    bands: tuple[Band, ...] = ()
    group: str | None = None
    verification: str = "declared"  # computed from the demand, declared by the applicant, or checked


@dataclass(frozen=True)
class Grid:
    code: str
    kind: str  # "general" or "mutation"
    version: int
    effective_from: dt.date
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Facts:
    """What the grid reads of one demand; missing facts count as no, zero or unknown."""

    values: dict = field(default_factory=dict)
    checked: frozenset[str] = frozenset()  # declared facts that have been checked


@dataclass(frozen=True)
class Line:
    code: str
    points: int
    counted: bool  # False when a higher criterion of the same group counts instead
    quantity: float | None = None  # months, number or count the points come from
    checked: bool = True  # False: declared and not yet checked, the score is provisional


@dataclass(frozen=True)
class Score:
    grid_code: str
    grid_version: int
    on_date: dt.date
    lines: tuple[Line, ...]

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines if line.counted)

    @property
    def provisional(self) -> bool:
        return any(line.counted and not line.checked for line in self.lines)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 when end is before start): 15 Jan to 14 Mar is 1 month."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def _line(criterion: Criterion, facts: Facts, on_date: dt.date) -> Line | None:
    value = facts.values.get(criterion.fact)
    checked = criterion.verification == "computed" or criterion.fact in facts.checked
    if criterion.kind == "flag":
        return Line(criterion.code, criterion.points, True, checked=checked) if value is True else None
    if criterion.kind == "per_month":
        if not isinstance(value, dt.date):
            return None
        months = months_between(value, on_date)
        if criterion.cap is not None:
            months = min(months, criterion.cap)
        return Line(criterion.code, months * criterion.points, True, months, checked) if months else None
    if criterion.kind == "bands":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        band = next((band for band in criterion.bands if band.holds(value)), None)
        return Line(criterion.code, band.points, True, value, checked) if band and band.points else None
    if criterion.kind == "count":
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            return None
        count = min(value, criterion.cap) if criterion.cap is not None else value
        return Line(criterion.code, count * criterion.points, True, count, checked)
    raise ValueError(f"unknown criterion kind {criterion.kind!r}")


def score(facts: Facts, grid: Grid, on_date: dt.date) -> Score:
    """The score of a demand on a date: one line per criterion that gives points."""
    lines = [line for criterion in grid.criteria if (line := _line(criterion, facts, on_date))]
    groups = {criterion.code: criterion.group for criterion in grid.criteria if criterion.group}
    best: dict[str, Line] = {}
    for line in lines:
        group = groups.get(line.code)
        if group and (group not in best or line.points > best[group].points):
            best[group] = line
    kept = tuple(
        Line(line.code, line.points, best[groups[line.code]] is line, line.quantity, line.checked)
        if line.code in groups
        else line
        for line in lines
    )
    return Score(grid.code, grid.version, on_date, kept)


def with_derived_facts(facts: Facts, on_date: dt.date, abnormal_delay_months: int) -> Facts:
    """Add the facts that follow from the others: whether the abnormal delay is exceeded on that date."""
    filed_on = facts.values.get("filed_on")
    if not isinstance(filed_on, dt.date):
        return facts
    exceeded = months_between(filed_on, on_date) >= abnormal_delay_months
    return Facts({**facts.values, "abnormal_delay_exceeded": exceeded}, facts.checked)
