"""A tenant's swaps: the swaps that suit them, ranked with the reasons, to propose; the swaps they are in,
to answer, and where each stands (the landlords' decisions). Other tenants are never named: each is a
household and a dwelling."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.exchange import neighbourhood, notices, photos, services, tenants
from portal.exchange.forms import ListingActionForm
from portal.exchange.models import Swap
from portal.exchange.views import current_tenant, own_listing, page
from portal.security import rate_limit
from portal.territory.services import commune_names

bp = Blueprint(
    "exchange_swaps",
    __name__,
    url_prefix="/<locale:lang_code>/echange-de-logement",
    template_folder="templates",
)
SHOWN = 20  # matches on the page, best first


def _public_listing():
    tenant = current_tenant()
    if tenant is None:
        return None, redirect(url_for("exchange.sign_in"))
    listing = own_listing(tenant)
    if listing is None or listing.state != "public":
        return None, redirect(url_for("exchange.listing"))
    return listing, None


@bp.route("/mes-echanges")
def swaps():
    listing, elsewhere = _public_listing()
    if elsewhere is not None:
        return elsewhere
    session = db.session()
    taken = tenants.open_cycles(session, listing.id)
    blocked = tenants.blocked_ids(session, listing.id)
    found = [
        match
        for match in neighbourhood.matches(session, listing)
        if match.cycle.ids not in taken and blocked.isdisjoint(match.cycle.ids)
    ]
    shown = found[:SHOWN]
    others = tenants.listings_by_id(session, {ident for match in shown for ident in match.cycle.ids})
    return page(
        "exchange/swaps.html",
        listing=listing,
        matches=shown,
        more=len(found) - len(shown),
        others=others,
        pictures=photos.photo_ids(session, {match.into for match in shown}),
        swaps=tenants.swaps_of(session, listing.id, clock.now()),
        names=commune_names(),
        form=ListingActionForm(),
    )


@bp.route("/mes-echanges/proposer", methods=["POST"])
@rate_limit("30 per hour")
def propose():
    listing, elsewhere = _public_listing()
    if elsewhere is not None or not ListingActionForm().validate_on_submit():
        abort(400)
    try:
        cycle = tuple(int(part) for part in request.form.get("cycle", "").split("-"))
    except ValueError:
        abort(400)
    session = db.session()
    try:
        swap = services.propose(session, listing, cycle, clock.now())
    except services.ExchangeRefused as refused:
        session.rollback()
        flash(
            _("This swap can no longer be proposed: a listing changed or it is already proposed.")
            if refused.code != "cycle"
            else _("This swap does not concern you."),
            "error",
        )
        return redirect(url_for("exchange_swaps.swaps"))
    notices.tell(session, swap, "proposed", but=listing.id)
    session.commit()
    flash(_("The swap is proposed: the other tenants are told by e-mail."))
    return redirect(url_for("exchange_swaps.swaps"))


@bp.route("/mes-echanges/<int:swap_id>/reponse", methods=["POST"])
def answer(swap_id: int):
    listing, elsewhere = _public_listing()
    answer = request.form.get("answer")
    if elsewhere is not None or not ListingActionForm().validate_on_submit() or answer not in ("yes", "no"):
        abort(400)
    session = db.session()
    swap = session.get(Swap, swap_id)
    if swap is None or listing.id not in {move.listing_id for move in swap.moves}:
        abort(404)
    try:
        services.answer(session, swap, listing.id, answer == "yes", clock.now())
    except services.ExchangeRefused:
        abort(409)
    if swap.state in ("agreed", "declined"):
        notices.tell(session, swap, swap.state, but=listing.id if swap.state == "declined" else None)
    session.commit()
    if swap.state == "agreed":
        flash(_("Every tenant agrees: the landlords now decide."))
    else:
        flash(_("Your answer is recorded."))
    return redirect(url_for("exchange_swaps.swaps"))


def init_app(app) -> None:
    app.register_blueprint(bp)
