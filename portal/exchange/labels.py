"""The words for the states of a swap (shared by the tenants' pages, the landlords' pages and the
observatory) and for the reports' reasons and outcomes (the tenants' form, the moderators' page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SWAP_STATES = {
    "proposed": _l("Waiting for the tenants"),
    "agreed": _l("Waiting for the landlords"),
    "approved": _l("Approved: moves to do"),
    "completed": _l("Completed"),
    "declined": _l("Declined by a tenant"),
    "refused": _l("Refused by a landlord"),
    "cancelled": _l("Cancelled"),
}


def swap_state(state: str) -> str:
    return str(SWAP_STATES[state])


REPORT_REASONS = {
    "insulting": _l("Insulting, threatening or discriminating words"),
    "suspicious": _l("A scam or a request for money"),
    "contact": _l("Insistent contact after I said no"),
    "photo": _l("A photo showing people, papers or the address"),
    "untrue": _l("The dwelling described does not seem real"),
    "other": _l("Something else"),
}
REPORT_OUTCOMES = {
    "dismissed": _l("Nothing to do"),
    "message_hidden": _l("Message hidden"),
    "photo_removed": _l("Photo removed"),
    "listing_suspended": _l("Listing suspended"),
}


def report_reason(code: str) -> str:
    return str(REPORT_REASONS[code])


def report_outcome(code: str) -> str:
    return str(REPORT_OUTCOMES[code])
