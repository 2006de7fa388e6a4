"""Photos of a tenant's listing: added (re-encoded, see photos.py) and removed by the tenant, shown to
the tenants of the exchange whose listing is public, and to the tenant."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.exchange import photos
from portal.exchange.forms import ListingActionForm, PhotoForm
from portal.exchange.models import OPEN_LISTING_STATES
from portal.exchange.views import current_tenant, listing_page, own_listing
from portal.security import rate_limit

PREFIX = "/<locale:lang_code>/echange-de-logement"
bp = Blueprint("exchange_photos", __name__, url_prefix=PREFIX)
REFUSALS = {
    "too_large": lambda: _("The photo is too large: 8 MB at most."),
    "not_image": lambda: _("This file is not a JPEG, PNG or WebP photo."),
    "too_many": lambda: _("Your listing already has 3 photos: remove one first."),
}


def _listing_or_abort():
    tenant = current_tenant()
    listing = own_listing(tenant) if tenant is not None else None
    if listing is None or listing.state not in OPEN_LISTING_STATES:
        abort(403)
    return listing


@bp.route("/mon-annonce/photos", methods=["POST"])
@rate_limit("30 per hour")
def add():
    listing = _listing_or_abort()
    form = PhotoForm()
    if not form.validate_on_submit():
        return listing_page(listing, form, 400)
    session = db.session()
    try:
        photos.add(session, listing, form.photo.data.read(photos.MAX_BYTES + 1), clock.now())
    except photos.PhotoRefused as refused:
        session.rollback()
        form.photo.errors = [REFUSALS[refused.code]()]
        return listing_page(listing, form, 400)
    session.commit()
    flash(_("The photo is added."))
    return redirect(url_for("exchange.listing"))


@bp.route("/mon-annonce/photos/<int:photo_id>/suppression", methods=["POST"])
def remove(photo_id: int):
    listing = _listing_or_abort()
    if not ListingActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    if not photos.remove(session, listing, photo_id):
        abort(404)
    session.commit()
    flash(_("The photo is removed."))
    return redirect(url_for("exchange.listing"))


@bp.route("/photos/<int:photo_id>.jpg")
def show(photo_id: int):
    tenant = current_tenant()
    viewer = own_listing(tenant) if tenant is not None else None
    photo = photos.viewable(db.session(), photo_id, viewer)
    if photo is None:
        abort(404)
    response = make_response(photo.data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)
