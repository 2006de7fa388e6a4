"""The rehousing follow-up's codes in the reader's language: statuses, reasons, needs an offer misses,
refusals of a change, and the problems of a file of households."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from portal.demands.presenting import format_share


def status_label(code: str) -> str:
    return {
        "not_started": _("No offer yet"),
        "in_progress": _("Offers under way"),
        "rehoused": _("Rehoused"),
        "left": _("Left otherwise"),
    }[code]


def refusal_reason_label(code: str) -> str:
    return {
        "location": _("Location"),
        "size": _("Size or layout"),
        "rent": _("Rent too high"),
        "condition": _("Condition of the dwelling"),
        "accessibility": _("Accessibility"),
        "neighbourhood": _("Wishes another neighbourhood"),
        "other": _("Other reason"),
    }.get(code, code)


def left_reason_label(code: str) -> str:
    return {
        "own_means": _("Found a dwelling by its own means"),
        "private_sector": _("Moved to the private rented sector"),
        "specialised_housing": _("Moved to specialised housing (care home, residence)"),
        "deceased": _("Deceased"),
        "other": _("Other"),
    }.get(code, code)


def need_label(code: str) -> str:
    return {
        "type": _("not the dwelling type needed"),
        "commune": _("not in a commune wished"),
        "accessibility": _("not reachable without steps"),
        "rent": _("costs more than the household can pay"),
    }[code]


def moment_label(code: str) -> str:
    return {
        "added": _("Added to the follow-up"),
        "survey": _("Social survey"),
        "offer": _("Offer made"),
        "accepted": _("Offer accepted"),
        "refused": _("Offer refused"),
        "moved": _("Moved: rehoused"),
        "left": _("Left otherwise"),
    }[code]


def refused_change(code: str) -> str:
    return {
        "landlord": _("Choose a social landlord."),
        "partner": _("Choose a partner of the operation."),
        "reference_taken": _("Another household of this operation has that reference."),
        "closed": _("This household's follow-up is over: nothing more can be recorded."),
        "pending": _("An offer is waiting for the household's answer: record it first."),
        "accepted": _("The household accepted an offer: record its move."),
        "decided": _("The answer to this offer is already recorded."),
        "reason": _("Choose a reason from the list."),
        "before_offer": _("The answer cannot come before the offer."),
        "not_accepted": _("Only an accepted offer leads to a move."),
        "before_answer": _("The move cannot come before the answer."),
    }.get(code, _("This cannot be done now."))


def file_problem(code: str, value: str) -> str:
    return {
        "empty": _("The file holds no household."),
        "missing_column": _('The first line must name the column "%(value)s".', value=value),
        "unknown_column": _('Unknown column "%(value)s".', value=value),
        "required": _("This column must not be empty."),
        "too_long": _("At most %(value)s characters.", value=value),
        "persons": _('"%(value)s" is not a number of people (20 at most).', value=value),
        "children": _("A household counts at least one adult"),
        "type": _('"%(value)s" is not a dwelling type (T1 to T5).', value=value),
        "amount": _('"%(value)s" is not an amount in euros.', value=value),
        "yes_no": _('"%(value)s": write oui or non.', value=value),
        "commune": _('"%(value)s" is not the INSEE code of a commune of the territory.', value=value),
        "date": _('"%(value)s" is not a date like 2026-03-31 or 31/03/2026.', value=value),
        "twice": _("This reference is on line %(value)s already.", value=value),
        "too_many": _("The file has more than %(value)s lines.", value=value),
    }[code]


def percent(share: float | None) -> str:
    return "–" if share is None else format_share(share)


def euros(value) -> str:
    return "–" if value is None else format_decimal(value, "#,##0.00") + "\u00a0€"


def days(value: float | None) -> str:
    return "–" if value is None else ngettext("%(num)s day", "%(num)s days", round(value))


def partner_rows(figures) -> list[list[str]]:
    """One row per partner: name, committed, made, share of the commitment, accepted, by type."""
    rows = []
    for partner in figures.partners:
        types = sorted(set(partner.committed_by_type) | set(partner.offers_by_type))
        by_type = ", ".join(
            f"{code} {partner.offers_by_type.get(code, 0)}/{partner.committed_by_type.get(code, 0)}"
            for code in types
        )
        rows.append(
            [
                partner.name,
                partner.committed,
                partner.offers,
                percent(partner.share),
                partner.accepted,
                by_type,
            ]
        )
    return rows
