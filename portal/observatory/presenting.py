"""How the public figures are said to applicants: the cells of the tables (a number, "not shown" where
statistical secrecy hides it, "no allocation" where it cannot be computed) and the plain-words reading of
each dwelling type ("about 1 allocation for 6 demands last year")."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, format_number, ngettext
from flask_babel import gettext as _

from portal.demands.models import DWELLING_TYPES
from portal.observatory.definitions import BY_NAME, Indicator
from portal.observatory.figures import SECRECY_THRESHOLD, Figures
from portal.observatory.services import PublicFigures, demands_per_allocation

# The figures an applicant needs, in the order of the tables' columns.
COLUMNS = ("active_demands", "allocations", "pressure", "wait_median_months", "stock")
# The commune list of the territory page leaves the stock out: it is in the commune's own page.
COMMUNE_LIST_COLUMNS = ("active_demands", "allocations", "pressure", "wait_median_months")
PUBLIC_NAMES = tuple(indicator.name for indicator in BY_NAME.values() if indicator.public)


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool = False  # withheld by statistical secrecy


@dataclass(frozen=True)
class Row:
    """One group's line: a dwelling type, "all types" or a commune."""

    key: str  # the dwelling type, "" for all types, or an INSEE code
    label: str
    cells: list[Cell]
    readings: list[str]


def columns(names=COLUMNS) -> list[Indicator]:
    return [BY_NAME[name] for name in names]


def not_shown() -> str:
    return ngettext(
        "not shown (fewer than %(num)s household)",
        "not shown (fewer than %(num)s households)",
        SECRECY_THRESHOLD,
    )


def cell(figures: Figures, name: str) -> Cell:
    """The text of one figure in a table."""
    value = getattr(figures, name)
    if name in figures.hidden:
        return Cell(not_shown(), hidden=True)
    if value is None:  # a ratio on zero allocations
        return Cell(_("no allocation"))
    kind = BY_NAME[name].kind
    if kind == "ratio":
        return Cell(format_decimal(value, "#,##0.0"))
    if kind == "months":
        return Cell(duration(value))
    return Cell(format_number(value))


def duration(months: float) -> str:
    """A wait in words ("1 month", "3 months", "4.5 months"); a whole number takes its plural form."""
    if float(months).is_integer():
        return ngettext("%(num)s month", "%(num)s months", int(months))
    return _("%(months)s months", months=format_decimal(months, "#,##0.#"))


def type_label(dwelling_type: str) -> str:
    return dwelling_type or _("All types")


def readings(figures: Figures, dwelling_type: str, territory: bool) -> list[str]:
    """What can be said in plain words of one group's figures (nothing where secrecy hides it)."""
    said = []
    ratio = demands_per_allocation(figures)
    if ratio is not None:
        said.append(_pressure_sentence(dwelling_type, territory, ratio))
    elif figures.pressure is not None and figures.pressure < 1 and "pressure" not in figures.hidden:
        said.append(_more_allocations_sentence(dwelling_type, territory))
    elif figures.allocations == 0 and "active_demands" not in figures.hidden and figures.active_demands:
        said.append(_nothing_allocated_sentence(dwelling_type, territory))
    if figures.wait_median_months is not None and "wait_median_months" not in figures.hidden:
        said.append(
            _(
                "Half of the households housed last year had waited less than %(duration)s.",
                duration=duration(figures.wait_median_months),
            )
        )
    return said


def _pressure_sentence(dwelling_type: str, territory: bool, ratio: int) -> str:
    number = format_number(ratio)
    if dwelling_type and territory:
        return ngettext(
            "For a %(type)s in the territory, about 1 allocation for %(count)s demand last year.",
            "For a %(type)s in the territory, about 1 allocation for %(count)s demands last year.",
            ratio,
            type=dwelling_type,
            count=number,
        )
    if dwelling_type:
        return ngettext(
            "For a %(type)s in this commune, about 1 allocation for %(count)s demand last year.",
            "For a %(type)s in this commune, about 1 allocation for %(count)s demands last year.",
            ratio,
            type=dwelling_type,
            count=number,
        )
    if territory:
        return ngettext(
            "In the territory, all dwelling types together, about 1 allocation for %(count)s demand last "
            "year.",
            "In the territory, all dwelling types together, about 1 allocation for %(count)s demands last "
            "year.",
            ratio,
            count=number,
        )
    return ngettext(
        "In this commune, all dwelling types together, about 1 allocation for %(count)s demand last year.",
        "In this commune, all dwelling types together, about 1 allocation for %(count)s demands last year.",
        ratio,
        count=number,
    )


def _more_allocations_sentence(dwelling_type: str, territory: bool) -> str:
    if dwelling_type and territory:
        return _(
            "For a %(type)s in the territory, more dwellings were allocated last year than there are demands "
            "in progress.",
            type=dwelling_type,
        )
    if dwelling_type:
        return _(
            "For a %(type)s in this commune, more dwellings were allocated last year than there are demands "
            "in progress.",
            type=dwelling_type,
        )
    if territory:
        return _(
            "In the territory, more dwellings were allocated last year than there are demands in progress."
        )
    return _("In this commune, more dwellings were allocated last year than there are demands in progress.")


def _nothing_allocated_sentence(dwelling_type: str, territory: bool) -> str:
    if dwelling_type and territory:
        return _("For a %(type)s in the territory, no dwelling was allocated last year.", type=dwelling_type)
    if dwelling_type:
        return _("For a %(type)s in this commune, no dwelling was allocated last year.", type=dwelling_type)
    if territory:
        return _("In the territory, no dwelling was allocated last year.")
    return _("In this commune, no dwelling was allocated last year.")


def type_rows(figures: PublicFigures, territory: bool) -> list[Row]:
    """All types first, then T1 to T5."""
    groups = [("", figures.overall)] + [
        (name, figures.by_type[name]) for name in DWELLING_TYPES if name in figures.by_type
    ]
    return [
        Row(
            key,
            type_label(key),
            [cell(group, name) for name in COLUMNS],
            readings(group, key, territory),
        )
        for key, group in groups
    ]


def public_dict(figures: Figures) -> dict:
    """The public indicators of a group for the API: hidden values are null and named in `hidden`."""
    values = {name: getattr(figures, name) for name in PUBLIC_NAMES}
    values["hidden"] = [name for name in figures.hidden if name in PUBLIC_NAMES]
    return values
