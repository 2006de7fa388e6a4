"""How a grid's criteria and a score's lines are put in words, on the public pages, in the workspace
and in printed guides: the rule of each kind of criterion, its condition and scope, and why a line of a
score gives its points ("+20 points: 38 months of waiting, more than 36"; "these points end on …")."""

from __future__ import annotations

import ast
import datetime as dt

from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.cotation.engine import CEILING, FLOOR, Criterion, Line
from portal.cotation.grids import GridFile, GridText
from portal.cotation.services import current_dictionary
from portal.i18n import ngettext_signed

BUILT_IN_LABELS = {
    "filed_on": _l("filing date of the demand"),
    "household_size": _l("people in the household"),
    "dwelling_type": _l("dwelling type wished"),
    "first_commune": _l("first commune wished"),
    "mutation": _l("already a social tenant"),
}
EVENT_LABELS = {"refusal": _l("refused offers"), "offer": _l("offers"), "decision": _l("committee decisions")}


def _locale() -> str:
    return str(get_locale() or "fr")


def fact_label(name: str, grid_file: GridFile | None = None, locale: str | None = None) -> str:
    """What a fact is called for people: a computed fact's label, the dictionary's, or the demand's own."""
    locale = locale or _locale()
    if grid_file is not None and name in grid_file.text.computed:
        return GridText.pick(grid_file.text.computed[name], locale)[0]
    fact = current_dictionary().get(name)
    if fact is not None:
        return GridText.pick(fact.label, locale)[0]
    return str(BUILT_IN_LABELS.get(name, name))


def number(value: float) -> str:
    """A quantity as the reader writes it, to one decimal at most (12.0 -> 12, 12.54 -> 12,5 in French)."""
    return format_decimal(value, format="#,##0.#")


def _steps(criterion: Criterion) -> str:
    return ", ".join(
        _("%(points)s points above %(value)s", points=step.points, value=number(step.threshold))
        if step.strict
        else _("%(points)s points from %(value)s", points=step.points, value=number(step.threshold))
        for step in criterion.steps
    )


def _bands(criterion: Criterion) -> str:
    parts = []
    for band in criterion.bands:
        if band.maximum is None:
            parts.append(_("%(points)s points from %(min)s", points=band.points, min=number(band.minimum)))
        else:
            parts.append(
                _(
                    "%(points)s points from %(min)s to %(max)s",
                    points=band.points,
                    min=number(band.minimum),
                    max=number(band.maximum),
                )
            )
    return ", ".join(parts)


def _base_rule(criterion: Criterion, grid_file: GridFile | None) -> str:
    if criterion.kind == "per_month":
        text = ngettext_signed("%(num)d point per month", "%(num)d points per month", criterion.points)
        return text + (" " + _("(up to %(cap)s months)", cap=criterion.cap) if criterion.cap else "")
    if criterion.kind in ("flag", "condition"):
        return ngettext_signed("%(num)d point", "%(num)d points", criterion.points)
    if criterion.kind == "bands":
        return _bands(criterion)
    if criterion.kind == "steps":
        return _("%(fact)s: %(steps)s", fact=fact_label(criterion.fact, grid_file), steps=_steps(criterion))
    if criterion.kind == "since":
        text = ngettext_signed("%(num)d point", "%(num)d points", criterion.points)
        if criterion.months:
            text += " " + _(
                "for %(months)s months from: %(fact)s",
                months=criterion.months,
                fact=fact_label(criterion.fact, grid_file),
            )
        if criterion.fade:
            text += ", " + ngettext(
                "%(num)d point less each month", "%(num)d points less each month", criterion.fade
            )
        return text
    text = ngettext_signed("%(num)d point each time", "%(num)d points each time", criterion.points)
    text += " " + _("(at most %(cap)s times)", cap=criterion.cap) if criterion.cap else ""
    if criterion.kind == "events":
        text = _(
            "%(rule)s: %(events)s in the last %(months)s months",
            rule=text,
            events=EVENT_LABELS.get(criterion.fact, criterion.fact),
            months=criterion.months,
        )
    return text


def rule(criterion: Criterion, grid_file: GridFile | None = None) -> str:
    """How a criterion gives points, in plain words, with the condition and scope it has."""
    text = _base_rule(criterion, grid_file)
    if criterion.when and grid_file is not None:
        text += "; " + _("only when %(condition)s", condition=condition_words(criterion.when, grid_file))
    if criterion.scope is not None:
        if criterion.scope.dwelling_types:
            text += "; " + _(
                "only for demands of a %(types)s", types=", ".join(criterion.scope.dwelling_types)
            )
        if criterion.scope.communes:
            text += "; " + _(
                "only for demands naming %(communes)s", communes=", ".join(criterion.scope.communes)
            )
    return text


_COMPARISONS = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}


def condition_words(text: str, grid_file: GridFile) -> str:
    """A condition written with the facts' names, as people read it: labels, ≥, "and", "not"."""

    def words(node) -> str:
        if isinstance(node, ast.BoolOp):
            joiner = f" {_('and')} " if isinstance(node.op, ast.And) else f" {_('or')} "
            return joiner.join(words(value) for value in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _("not (%(condition)s)", condition=words(node.operand))
        if isinstance(node, ast.UnaryOp):
            return f"-{words(node.operand)}"
        if isinstance(node, ast.Compare):
            parts = [words(node.left)]
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts += [_COMPARISONS[type(op)], words(right)]
            return " ".join(parts)
        if isinstance(node, ast.Name):
            return f"« {fact_label(node.id, grid_file)} »"
        if isinstance(node, ast.Call) and node.func.id == "checked":
            return _("%(fact)s proved", fact=words(node.args[0]))
        if isinstance(node, ast.Call) and node.func.id == "months_since":
            return _("months since: %(fact)s", fact=words(node.args[0]))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _choice_label(node.value)
        return ast.unparse(node)

    return words(ast.parse(text, mode="eval").body)


def _choice_label(value: str) -> str:
    for fact in current_dictionary().facts:
        if value in fact.choice_labels:
            return f"« {GridText.pick(fact.choice_labels[value], _locale())[0]} »"
    return value


def verification_label(criterion: Criterion) -> str:
    return {
        "computed": _("Computed from your demand"),
        "declared": _("Declared by you, may be checked"),
        "checked": _("Counted once proved"),
    }[criterion.verification]


def line_label(code: str, grid_file: GridFile | None, locale: str) -> tuple[str, str]:
    """(the label of a score line, its locale): a criterion's, or the grid's floor or ceiling."""
    if code == FLOOR:
        return _("Lowest total of the grid"), locale
    if code == CEILING:
        return _("Highest total of the grid"), locale
    if grid_file is None or code not in grid_file.text.labels:
        return code, locale
    return GridText.pick(grid_file.text.labels[code], locale)


def _date(value) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "long")


def line_reason(line: Line | dict, criterion: Criterion | None, grid_file: GridFile | None = None) -> str:
    """Why a line gives its points, in plain words (a stored line is a mapping)."""
    get = line.get if isinstance(line, dict) else lambda name, default=None: getattr(line, name, default)
    quantity, code = get("quantity"), get("code")
    if code == FLOOR:
        return _("the grid gives every demand at least its lowest total")
    if code == CEILING:
        return _("the grid limits the total")
    if criterion is None:
        return ""
    if criterion.kind == "per_month":
        return ngettext("%(num)d month since you filed", "%(num)d months since you filed", int(quantity or 0))
    if criterion.kind == "bands":
        return _("%(fact)s: %(value)s", fact=fact_label(criterion.fact, grid_file), value=number(quantity))
    if criterion.kind == "steps":
        step = next((s for s in reversed(criterion.steps) if s.holds(quantity or 0)), None)
        if step is None:
            return ""
        template = (
            _("%(fact)s: %(value)s, more than %(threshold)s")
            if step.strict
            else _("%(fact)s: %(value)s, at least %(threshold)s")
        )
        return template % {
            "fact": fact_label(criterion.fact, grid_file),
            "value": number(quantity),
            "threshold": number(step.threshold),
        }
    if criterion.kind == "since":
        until = get("until")
        text = ngettext("%(num)d month ago", "%(num)d months ago", int(quantity or 0))
        return text + (" – " + _("these points end on %(date)s", date=_date(until)) if until else "")
    if criterion.kind == "events":
        return ngettext(
            "%(num)d time in the last %(months)s months",
            "%(num)d times in the last %(months)s months",
            int(quantity or 0),
            months=criterion.months,
        )
    if criterion.kind == "count":
        return ngettext("%(num)d time", "%(num)d times", int(quantity or 0))
    if criterion.kind == "condition":
        return _("your situation meets the condition")
    return _("you said this applies to you")


def exclusion_reason(grid_file: GridFile | None, code: str, locale: str) -> tuple[str, str]:
    """Why the grid does not score a demand, in the reader's locale (or French)."""
    if grid_file is None or code not in grid_file.text.exclusions:
        return _("This demand is handled by another procedure."), locale
    return GridText.pick(grid_file.text.exclusions[code], locale)


def ties_words(grid_file: GridFile) -> str:
    """The order among equal totals, in words."""
    names = {
        ("filed_on", False): _("the oldest demand first"),
        ("filed_on", True): _("the most recent demand first"),
        ("household_size", False): _("the smallest household first"),
        ("household_size", True): _("the largest household first"),
    }
    return ", ".join(str(names[(tie.fact, tie.descending)]) for tie in grid_file.grid.ties)
