"""The landlords' side of the exchange: confirm that a listing's tenant rents the dwelling, record the
commission's decision on each household that would move into one of the landlord's dwellings, and say
when the moves are done. Open to the landlord's administrators and editors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.backoffice.exchange.forms import MAX_BYTES, ConfirmationsForm
from portal.backoffice.permissions import current_user, role_in_organisation
from portal.exchange import confirmations, landlords, notices, photos, services
from portal.exchange.models import Listing, Swap
from portal.territory.services import commune_names

ROLES = ("admin", "editor")


def refusal_text(code: str) -> str:
    return {
        "state": _("This has already been dealt with: the page shows where things stand now."),
        "reference": _("The reference no longer matches the listing's: reload the page."),
        "not_your_tenant": _("This listing names another landlord."),
        "not_your_dwelling": _("This household would not move into one of your dwellings."),
        "decided": _("Your decision on this household is already recorded."),
    }.get(code, _("This cannot be done now."))


def _landlord(organisation):
    if organisation.kind != "landlord":
        abort(404)
    return organisation


@role_in_organisation(*ROLES)
def index(organisation):
    _landlord(organisation)
    return _page(organisation, ConfirmationsForm())


def _page(organisation, form: ConfirmationsForm, problems=(), status: int = 200):
    session = db.session()
    views = landlords.swaps(session, organisation.id, clock.now())
    pending = landlords.to_confirm(session, organisation.id)
    body = render_template(
        "exchange/landlord.html",
        organisation=organisation,
        pending=pending,
        pictures=photos.photo_ids(session, {listing.id for listing in pending}),
        swaps=views,
        communes=commune_names(),
        form=form,
        problems=[(line, problem_text(code, value)) for line, code, value in problems],
    )
    return body, status


def problem_text(code: str, value: str) -> str:
    return {
        "empty": _("The file holds no answer."),
        "columns": _('The first line must name the columns "reference" and "decision".'),
        "decision": _('Unknown decision "%(value)s": write "confirmer" or "refuser".', value=value),
        "twice": _("The reference %(value)s is on an earlier line already.", value=value),
        "unknown": _("No listing waiting for you gives the reference %(value)s.", value=value),
        "ambiguous": _(
            "Several listings give the reference %(value)s: answer them one by one on this page.", value=value
        ),
        "too_many": _("The file has more than %(value)s lines.", value=value),
    }[code]


@role_in_organisation(*ROLES)
def import_answers(organisation):
    _landlord(organisation)
    form = ConfirmationsForm()
    if not form.validate_on_submit():
        return _page(organisation, form, status=400)
    session = db.session()
    reading = confirmations.read(session, organisation.id, form.file.data.read(MAX_BYTES + 1))
    if reading.problems:
        form.file.errors = [_("The file is not recorded: correct the lines below and send it again.")]
        return _page(organisation, form, reading.problems, 400)
    confirmed, refused = confirmations.apply(session, organisation.id, reading, current_user(), clock.now())
    session.commit()
    flash(
        _(
            "The file is recorded. Listings confirmed: %(confirmed)s; refused: %(refused)s.",
            confirmed=confirmed,
            refused=refused,
        )
    )
    return _back(organisation)


def _back(organisation):
    return redirect(url_for("exchange_landlords.index", slug=organisation.slug))


@role_in_organisation(*ROLES)
def answer_listing(organisation, listing_id: int):
    _landlord(organisation)
    session = db.session()
    listing = session.get(Listing, listing_id)
    if listing is None or listing.landlord_id != organisation.id:
        abort(404)
    answer, reference = request.form.get("answer"), request.form.get("reference", "")
    if answer not in ("confirm", "refuse"):
        abort(400)
    try:
        if answer == "confirm":
            services.confirm(session, listing, organisation.id, current_user(), reference, clock.now())
        else:
            services.refuse(session, listing, organisation.id, current_user(), clock.now())
    except services.ExchangeRefused as refused:
        session.rollback()
        flash(refusal_text(refused.code), "error")
        return _back(organisation)
    session.commit()
    flash(_("The listing is public.") if answer == "confirm" else _("The listing is refused."))
    return _back(organisation)


def _swap(organisation, swap_id: int) -> Swap:
    swap = db.session().get(Swap, swap_id)
    if swap is None or organisation.id not in {move.landlord_id for move in swap.moves}:
        abort(404)
    return swap


@role_in_organisation(*ROLES)
def decide_move(organisation, swap_id: int, move_id: int):
    _landlord(organisation)
    session = db.session()
    swap = _swap(organisation, swap_id)
    decision = request.form.get("decision")
    if decision not in ("approve", "refuse"):
        abort(400)
    try:
        services.decide(
            session, swap, move_id, organisation.id, current_user(), decision == "approve", clock.now()
        )
    except services.ExchangeRefused as refused:
        session.rollback()
        flash(refusal_text(refused.code), "error")
        return _back(organisation)
    if swap.state in ("approved", "refused"):
        notices.tell(session, swap, swap.state)
    session.commit()
    if swap.state == "approved":
        flash(_("Every landlord has agreed: the swap is approved."))
    elif swap.state == "refused":
        flash(_("The swap is refused: the tenants are told by e-mail."))
    else:
        flash(_("Your decision is recorded; the other landlords have still to decide."))
    return _back(organisation)


@role_in_organisation(*ROLES)
def complete_swap(organisation, swap_id: int):
    _landlord(organisation)
    session = db.session()
    swap = _swap(organisation, swap_id)
    try:
        services.complete(session, swap, organisation.id, current_user(), clock.now())
    except services.ExchangeRefused as refused:
        session.rollback()
        flash(refusal_text(refused.code), "error")
        return _back(organisation)
    notices.tell(session, swap, "completed")
    session.commit()
    flash(_("The swap is completed: the listings are closed."))
    return _back(organisation)
