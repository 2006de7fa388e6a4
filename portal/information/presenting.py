"""How common information is shown, on its pages and in printed guides: the territory's tokens,
income zones, an eligibility assessment's rows and amounts in euros."""

from __future__ import annotations

from flask_babel import format_currency
from flask_babel import gettext as _

from portal.content import territory_tokens
from portal.territory.services import current_territory


def tokens() -> dict[str, str]:
    return territory_tokens(current_territory())


def zone_label(zone: str) -> str:
    return {
        "paris": _("Paris and adjacent communes"),
        "idf": _("Rest of Île-de-France"),
        "other": _("Other regions"),
    }[zone]


def assessment_rows(assessment) -> list[list[str]]:
    labels = {
        "PLAI": _("PLAI (very low incomes)"),
        "PLUS": _("PLUS (usual social housing)"),
        "PLS": _("PLS (intermediate rents)"),
    }
    return [
        [
            labels[product],
            format_euros(amount),
            _("under the ceiling") if assessment.eligible[product] else _("above the ceiling"),
        ]
        for product, amount in assessment.ceilings.items()
    ]


def format_euros(amount: int) -> str:
    return format_currency(amount, "EUR", format="#,##0\u00a0¤", currency_digits=False)
