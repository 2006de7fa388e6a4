"""The words for the states of a swap, shared by the tenants' pages, the landlords' pages and the
observatory."""

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
