"""A listed tenant changes what they are looking for (types, communes, maximum rent, step-free, the
reason) without listing again: the listing stays as the landlord confirmed it."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal import clock, db
from portal.demands.models import DWELLING_TYPES
from portal.exchange import services
from portal.exchange.forms import WishesForm
from portal.exchange.models import OPEN_LISTING_STATES, Listing
from portal.exchange.neighbourhood import codes
from portal.exchange.views import current_tenant, own_listing, page
from portal.security import rate_limit
from portal.territory.services import communes

bp = Blueprint(
    "exchange_wishes",
    __name__,
    url_prefix="/<locale:lang_code>/echange-de-logement",
    template_folder="templates",
)


def current_input(listing: Listing) -> services.ListingInput:
    """The listing as its input, to change its wishes only."""
    values = {field.name: getattr(listing, field.name) for field in dataclasses.fields(services.ListingInput)}
    for name in ("financings", "wish_types", "wish_communes"):
        values[name] = codes(values[name])
    for name in ("surface", "rent", "wish_max_rent"):
        values[name] = float(values[name])
    return services.ListingInput(**values)


@bp.route("/mon-annonce/souhaits", methods=["GET", "POST"])
@rate_limit("20 per hour", methods=["POST"])
def wishes():
    tenant = current_tenant()
    if tenant is None:
        return redirect(url_for("exchange.sign_in"))
    listing = own_listing(tenant)
    if listing is None or listing.state not in OPEN_LISTING_STATES:
        abort(404)
    territory = communes()
    form = WishesForm(
        data=None
        if request.method == "POST"
        else {
            "wish_types": codes(listing.wish_types),
            "wish_communes": codes(listing.wish_communes),
            "wish_max_rent": int(listing.wish_max_rent),
            "wish_step_free": listing.wish_step_free,
            "reason": listing.reason,
        }
    )
    form.set_choices(territory, DWELLING_TYPES)
    if request.method == "GET" or not form.validate_on_submit():
        return page("exchange/wishes_form.html", 200 if request.method == "GET" else 400, form=form)
    data = dataclasses.replace(
        current_input(listing),
        wish_types=tuple(form.wish_types.data),
        wish_communes=tuple(form.wish_communes.data),
        wish_max_rent=float(form.wish_max_rent.data),
        wish_step_free=form.wish_step_free.data,
        reason=form.reason.data or "",
    )
    session = db.session()
    try:
        cancelled = services.change_wishes(
            session, listing, data, {commune.insee for commune in territory}, clock.now()
        )
    except services.ExchangeRefused:
        session.rollback()
        abort(400)
    session.commit()
    flash(
        ngettext(
            "Your wishes are saved. %(num)s proposed swap no longer suited them and is cancelled.",
            "Your wishes are saved. %(num)s proposed swaps no longer suited them and are cancelled.",
            cancelled,
        )
        if cancelled
        else _("Your wishes are saved.")
    )
    return redirect(url_for("exchange.listing"))


def init_app(app) -> None:
    app.register_blueprint(bp)
