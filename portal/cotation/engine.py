"""The scoring engine: pure functions over plain data (no Flask, no database).

A grid is a list of criteria. Each reads one fact of the demand (a fact of the territory's dictionary, one
the demand always has, or one the grid computes from others):
- `flag`: a yes/no fact gives its points;
- `per_month`: whole months elapsed since a date fact, times the points, up to a cap;
- `bands`: a number fact falls in a band [min, max), which gives that band's points;
- `count`: a count fact times the points (negative points are penalties), capped;
- `steps`: a number reaches a threshold (`from`, included) or exceeds it (`above`); the highest step
  reached gives its points (+10 from 24 months, +20 above 36 months);
- `since`: points during `months` months after a date (separation, job loss), or fading by `fade` points
  a month; the line says when they end;
- `events`: dated events of a kind (refusals without a legitimate reason) counted over the last `months`
  months, times the points, capped;
- `condition`: points when the criterion's condition holds.
Any criterion may carry a condition (`when`) and a scope (the communes or dwelling types a demand names).
Criteria of one exclusive `group` do not add up: only the highest counts. A grid may leave some demands
unscored (`exclusions`, with the reason shown to the applicant), and keep the total between a floor and a
ceiling: the difference is a line of its own, so a total is always the sum of its counted lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from portal.cotation.expressions import Context, add_months, compiled, months_between, parse

KINDS = ("flag", "per_month", "bands", "count", "steps", "since", "events", "condition")
VERIFICATIONS = ("computed", "declared", "checked")
EVENT_KINDS = ("refusal", "offer", "decision")
FLOOR, CEILING = "_floor", "_ceiling"  # the codes of the lines that keep a total within the grid's limits


@dataclass(frozen=True)
class Band:
    minimum: float  # included
    maximum: float | None  # excluded; None: no upper bound
    points: int

    def holds(self, value: float) -> bool:
        return value >= self.minimum and (self.maximum is None or value < self.maximum)


@dataclass(frozen=True)
class Step:
    threshold: float
    strict: bool  # True: the value must exceed the threshold; False: reaching it is enough
    points: int

    def holds(self, value: float) -> bool:
        return value > self.threshold if self.strict else value >= self.threshold


@dataclass(frozen=True)
class Scope:
    """The demands a criterion applies to: naming one of the communes (first choice or another wish),
    and asking one of the dwelling types; an empty list does not restrict."""

    communes: tuple[str, ...] = ()
    dwelling_types: tuple[str, ...] = ()

    def holds(self, values: dict) -> bool:
        if self.dwelling_types and values.get("dwelling_type") not in self.dwelling_types:
            return False
        return not self.communes or any(code in self.communes for code in values.get("communes", ()))


@dataclass(frozen=True)
class Criterion:
    code: str
    family: str
    kind: str
    fact: str  # for `events`, the kind of event; empty for `condition`
    points: int = 0
    cap: int | None = None  # per_month, count, events: the most months or items counted
    bands: tuple[Band, ...] = ()
    group: str | None = None
    verification: str = "declared"  # computed from the demand, declared by the applicant, or checked
    steps: tuple[Step, ...] = ()
    when: str | None = None  # a condition (expressions.py) that must hold
    scope: Scope | None = None
    months: int | None = None  # since: how long the points last; events: the window counted
    fade: int | None = None  # since: the points lost each month


@dataclass(frozen=True)
class Exclusion:
    """Demands the grid does not score (handled by another procedure): `code` names the reason's text."""

    code: str
    when: str


@dataclass(frozen=True)
class Tie:
    """One key of the order among equal totals: a fact the demand always has, oldest or smallest first."""

    fact: str  # filed_on or household_size
    descending: bool = False


@dataclass(frozen=True)
class Grid:
    code: str
    kind: str  # "general" or "mutation"
    version: int
    effective_from: dt.date
    criteria: tuple[Criterion, ...]
    computed: tuple[tuple[str, str], ...] = ()  # (name, expression), in the order they are computed
    floor: int | None = None
    ceiling: int | None = None
    ties: tuple[Tie, ...] = (Tie("filed_on"),)
    exclusions: tuple[Exclusion, ...] = ()
    types: tuple[tuple[str, str], ...] = ()  # every fact the expressions may read, with its type

    def __getstate__(self) -> dict:
        """Pickled without its compiled program (closures), which the receiving process makes again."""
        return {name: value for name, value in self.__dict__.items() if name != "_program"}


@dataclass(frozen=True)
class Event:
    kind: str
    on: dt.date
    legitimate: bool = False  # a refusal with a legitimate reason is never counted


@dataclass(frozen=True)
class Facts:
    """What the grid reads of one demand; missing facts count as no, zero or unknown."""

    values: dict = field(default_factory=dict)
    checked: frozenset[str] = frozenset()  # declared facts that have been checked
    events: tuple[Event, ...] = ()


class Line(NamedTuple):
    """One line of a score (a named tuple: a million demands make several million of them)."""

    code: str
    points: int
    counted: bool  # False when a higher criterion of the same group counts instead
    quantity: float | None = None  # months, number or count the points come from
    checked: bool = True  # False: declared and not yet checked, the score is provisional
    until: dt.date | None = None  # the day these points stop counting (since)


@dataclass(frozen=True)
class Score:
    grid_code: str
    grid_version: int
    on_date: dt.date
    lines: tuple[Line, ...]
    excluded: str | None = None  # the code of the exclusion that left the demand unscored

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines if line.counted)

    @property
    def provisional(self) -> bool:
        return any(line.counted and not line.checked for line in self.lines)


def elapsed_months(start: dt.date, end: dt.date) -> int:
    """The most months k with add_months(start, k) on or before end (31 Jan to 28 Feb is one month)."""
    months = months_between(start, end)
    return months + 1 if add_months(start, months + 1) <= end else months


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _since(criterion: Criterion, value, on_date: dt.date, checked: bool) -> Line | None:
    if not isinstance(value, dt.date) or value > on_date:
        return None
    ends = []
    if criterion.months is not None:
        ends.append(add_months(value, criterion.months))
    points = criterion.points
    elapsed = elapsed_months(value, on_date)
    if criterion.fade:
        points -= criterion.fade * elapsed
        ends.append(add_months(value, -(-criterion.points // criterion.fade)))
    until = min(ends) if ends else None
    if (until is not None and on_date >= until) or points <= 0:
        return None
    return Line(criterion.code, points, True, elapsed, checked, until)


def _line(
    criterion: Criterion, names: frozenset, values: dict, facts: Facts, on_date: dt.date
) -> Line | None:
    """The line of a criterion of the less common kinds (the others have closures: _line_function)."""
    value = values.get(criterion.fact)
    if criterion.kind == "condition":
        checked = criterion.verification == "computed" or names <= facts.checked
        return Line(criterion.code, criterion.points, True, checked=checked)
    checked = criterion.verification == "computed" or criterion.fact in facts.checked
    if criterion.kind == "count":
        if not _number(value) or value <= 0:
            return None
        count = min(value, criterion.cap) if criterion.cap is not None else value
        return Line(criterion.code, count * criterion.points, True, count, checked)
    if criterion.kind == "since":
        return _since(criterion, value, on_date, checked)
    if criterion.kind == "events":
        start = add_months(on_date, -criterion.months) if criterion.months is not None else dt.date.min
        count = sum(
            1
            for event in facts.events
            if event.kind == criterion.fact and not event.legitimate and start < event.on <= on_date
        )
        if criterion.cap is not None:
            count = min(count, criterion.cap)
        return Line(criterion.code, count * criterion.points, True, count, True) if count else None
    raise ValueError(f"unknown criterion kind {criterion.kind!r}")


def _line_function(criterion: Criterion, names: frozenset):
    """The function that gives a criterion's line, or None: plain yes/no and per-month criteria get a
    closure of their own (most criteria are these, and this runs for every criterion of every demand)."""
    code, points, fact = criterion.code, criterion.points, criterion.fact
    computed = criterion.verification == "computed"
    if criterion.kind == "flag":

        def flag(values: dict, facts: Facts, on_date: dt.date) -> Line | None:
            if values.get(fact) is True:
                return Line(code, points, True, None, computed or fact in facts.checked)
            return None

        return flag
    if criterion.kind == "per_month":
        cap = criterion.cap

        def per_month(values: dict, facts: Facts, on_date: dt.date) -> Line | None:
            value = values.get(fact)
            if not isinstance(value, dt.date):
                return None
            months = months_between(value, on_date)
            if cap is not None and months > cap:
                months = cap
            if not months:
                return None
            return Line(code, months * points, True, months, computed or fact in facts.checked)

        return per_month
    if criterion.kind == "bands":
        bands = criterion.bands

        def in_bands(values: dict, facts: Facts, on_date: dt.date) -> Line | None:
            value = values.get(fact)
            if not _number(value):
                return None
            band = next((band for band in bands if band.holds(value)), None)
            if band is None or not band.points:
                return None
            return Line(code, band.points, True, value, computed or fact in facts.checked)

        return in_bands
    if criterion.kind == "steps":
        steps = tuple(reversed(criterion.steps))

        def in_steps(values: dict, facts: Facts, on_date: dt.date) -> Line | None:
            value = values.get(fact)
            if not _number(value):
                return None
            step = next((step for step in steps if step.holds(value)), None)
            if step is None or not step.points:
                return None
            return Line(code, step.points, True, value, computed or fact in facts.checked)

        return in_steps
    return lambda values, facts, on_date: _line(criterion, names, values, facts, on_date)


class _Program:
    """A grid's expressions compiled once per process (grids travel between processes as plain data)."""

    def __init__(self, grid: Grid):
        types = grid.types
        self.computed = [(name, compiled(text, types)) for name, text in grid.computed]
        self.exclusions = [(item.code, compiled(item.when, types)) for item in grid.exclusions]
        self.criteria = []
        for criterion in grid.criteria:
            names = parse(criterion.when, dict(types)).names if criterion.when else frozenset()
            when = compiled(criterion.when, types) if criterion.when else None
            self.criteria.append((criterion.scope, when, _line_function(criterion, names)))
        self.groups = {criterion.code: criterion.group for criterion in grid.criteria if criterion.group}
        self.context = bool(self.computed or self.exclusions or any(when for _, when, _ in self.criteria))


def _program(grid: Grid) -> _Program:
    program = grid.__dict__.get("_program")
    if program is None:
        program = _Program(grid)
        object.__setattr__(grid, "_program", program)
    return program


def score(facts: Facts, grid: Grid, on_date: dt.date, ceilings: tuple | None = None) -> Score:
    """The score of a demand on a date: one line per criterion that gives points."""
    program = _program(grid)
    values = facts.values
    if program.context:
        context = Context(on_date, facts.checked, ceilings)
        values = dict(values)
        for name, run in program.computed:
            values[name] = run(values, context)
        for code, run in program.exclusions:
            if run(values, context):
                return Score(grid.code, grid.version, on_date, (), code)
    lines = []
    for scope, when, line_of in program.criteria:
        if scope is not None and not scope.holds(values):
            continue
        if when is not None and not when(values, context):
            continue
        line = line_of(values, facts, on_date)
        if line is not None:
            lines.append(line)
    groups = program.groups
    if groups:
        best: dict[str, Line] = {}
        for line in lines:
            group = groups.get(line.code)
            if group and (group not in best or line.points > best[group].points):
                best[group] = line
        lines = [
            line._replace(counted=best[groups[line.code]] is line) if line.code in groups else line
            for line in lines
        ]
    if grid.floor is not None or grid.ceiling is not None:
        total = sum(line.points for line in lines if line.counted)
        if grid.floor is not None and total < grid.floor:
            lines.append(Line(FLOOR, grid.floor - total, True))
        elif grid.ceiling is not None and total > grid.ceiling:
            lines.append(Line(CEILING, grid.ceiling - total, True))
    return Score(grid.code, grid.version, on_date, tuple(lines))
