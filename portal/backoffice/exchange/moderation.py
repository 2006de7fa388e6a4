"""The moderation of the dwelling-swap exchange, by the authority's administrators and reviewers: the
reports tenants made, each with the reported message or listing (its photos too), and the decision on
it. Photos of listings are also shown to the landlord of the listing (to confirm it)."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.backoffice.exchange.controllers import refusal_text
from portal.backoffice.permissions import current_user, epci_role, signed_in
from portal.exchange import moderation, notices, photos, services, tenants
from portal.exchange.models import Listing, ListingPhoto, Report
from portal.territory.services import commune_names
from portal.urls import public_url_for

MODERATORS = ("admin", "reviewer")


@epci_role(*MODERATORS)
def reports():
    session = db.session()
    found = moderation.open_reports(session)
    listings = tenants.listings_by_id(session, {report.listing_id for report in found if report.listing_id})
    return render_template(
        "exchange/moderation.html",
        reports=found,
        handled=moderation.handled_reports(session, clock.now()),
        listings=listings,
        pictures=photos.photo_ids(session, set(listings)),
        communes=commune_names(),
    )


@epci_role(*MODERATORS)
def handle(report_id: int):
    session = db.session()
    report = session.get(Report, report_id)
    if report is None:
        abort(404)
    user = current_user()
    epci = user.organisation_with(*MODERATORS, epci=True)
    try:
        suspended = moderation.handle(
            session,
            report,
            request.form.get("outcome", ""),
            user,
            epci.id,
            clock.now(),
            photo_id=request.form.get("photo", type=int),
        )
    except services.ExchangeRefused as refused:
        session.rollback()
        flash(refusal_text(refused.code), "error")
        return redirect(url_for("exchange_landlords.reports"))
    if suspended is not None:
        tenant_locale = suspended.tenant.locale
        notices.tell_tenant(
            session, suspended, "suspended", public_url_for("exchange.listing", lang_code=tenant_locale)
        )
    session.commit()
    flash(_("The report is handled."))
    return redirect(url_for("exchange_landlords.reports"))


@signed_in
def photo(photo_id: int):
    """A listing's photo, for the moderators and for the administrators and editors of the listing's
    landlord."""
    session = db.session()
    found = session.get(ListingPhoto, photo_id)
    if found is None:
        abort(404)
    user = current_user()
    landlord_id = session.get(Listing, found.listing_id).landlord_id
    allowed = user.has_role(*MODERATORS, epci=True) or user.has_role(
        "admin", "editor", organisation_id=landlord_id
    )
    if not allowed:
        abort(403)
    response = make_response(found.data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Cache-Control"] = "private, no-store"
    return response
