"""The dwelling-swap exchange's figures in the partners' observatory (any signed-in partner)."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_number
from flask_babel import lazy_gettext as _l

from portal import clock, db
from portal.backoffice.permissions import signed_in
from portal.exchange.figures import figures, latest_count
from portal.exchange.labels import SWAP_STATES

LISTING_STATES = {
    "awaiting_landlord": _l("Waiting for the landlord"),
    "public": _l("Visible to tenants"),
    "refused": _l("Refused by the landlord"),
    "lapsed": _l("Lapsed"),
    "withdrawn": _l("Withdrawn"),
    "moved": _l("Closed: swap done"),
    "suspended": _l("Suspended after a report"),
}


@signed_in
def exchange_figures():
    session = db.session()
    found = figures(session, clock.now())
    return render_template(
        "backoffice/observatory_exchange.html",
        figures=found,
        matches=latest_count(session),
        listing_rows=[
            [label, format_number(found.listings[state])] for state, label in LISTING_STATES.items()
        ],
        swap_rows=[[label, format_number(found.swaps[state])] for state, label in SWAP_STATES.items()],
    )
