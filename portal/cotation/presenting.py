"""How a grid's criteria and a score's lines are put in words, on the public pages, in the workspace
and in printed guides."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.cotation.engine import Criterion, Line
from portal.i18n import ngettext_signed
from portal.territory.services import current_territory


def rule(criterion: Criterion) -> str:
    """How a criterion gives points, in plain words."""
    if criterion.kind == "per_month":
        text = ngettext_signed("%(num)d point per month", "%(num)d points per month", criterion.points)
        return text + (" " + _("(up to %(cap)s months)", cap=criterion.cap) if criterion.cap else "")
    if criterion.kind == "flag":
        return ngettext_signed("%(num)d point", "%(num)d points", criterion.points)
    if criterion.kind == "bands":
        parts = []
        for band in criterion.bands:
            if band.maximum is None:
                parts.append(
                    _("%(points)s points from %(min)s", points=band.points, min=number(band.minimum))
                )
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
    text = ngettext_signed("%(num)d point each time", "%(num)d points each time", criterion.points)
    return text + (" " + _("(at most %(cap)s times)", cap=criterion.cap) if criterion.cap else "")


def number(value: float) -> str:
    """A quantity without trailing zeros (12.0 -> 12, 12.5 -> 12.5)."""
    return format(value, "g")


def verification_label(criterion: Criterion) -> str:
    return {
        "computed": _("Computed from your demand"),
        "declared": _("Declared by you, may be checked"),
        "checked": _("Counted once proved"),
    }[criterion.verification]


def line_reason(line: Line, criterion: Criterion) -> str:
    """Why a line gives its points, in plain words."""
    if criterion.kind == "per_month":
        return ngettext(
            "%(num)d month since you filed", "%(num)d months since you filed", int(line.quantity or 0)
        )
    if criterion.kind == "bands":
        return _("%(value)s %% of your income", value=number(line.quantity))
    if criterion.kind == "count":
        return ngettext("%(num)d time", "%(num)d times", int(line.quantity or 0))
    if criterion.fact == "abnormal_delay_exceeded":
        return _(
            "your wait is longer than the abnormal delay (%(months)s months)",
            months=current_territory().abnormal_delay_months,
        )
    return _("you said this applies to you")
