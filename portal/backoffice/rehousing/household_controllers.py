"""The households of an operation: the list (a page at a time, by status), one household's page (its
needs, timeline, offers and what came of them), adding or changing one, importing a file of them,
proposing one to a partner, and recording offers, answers, the move or a departure.

The operation's managers do everything; a partner sees the households proposed to it (or it made an offer
to) and records its own offers and what comes of them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.backoffice.rehousing import labels
from portal.backoffice.rehousing.controllers import (
    ROLES,
    commune_choices,
    load,
    organisations,
    page_number,
)
from portal.backoffice.rehousing.forms import (
    MAX_BYTES,
    DecisionForm,
    HouseholdFileForm,
    HouseholdForm,
    LeftForm,
    MoveForm,
    OfferForm,
    ProposalForm,
)
from portal.partners.models import RESERVATION_HOLDER_KINDS
from portal.rehousing import access, households, offers, operations, services
from portal.rehousing.models import HOUSEHOLD_STATUSES, LEFT_REASONS, REFUSAL_REASONS, Household, Offer
from portal.territory.services import commune_names, communes


def _household(operation_id: int, household_id: int, manage: bool = False):
    found, rights = load(operation_id, manage=manage)
    session = db.session()
    household = session.get(Household, household_id)
    if household is None or household.operation_id != found.id:
        abort(404)
    if not access.sees_household(session, rights, household):
        abort(404)
    return found, rights, household


def _household_form(form: HouseholdForm) -> HouseholdForm:
    form.wished_communes.choices = [SelectChoice(commune.insee, commune.name) for commune in communes()]
    return form


@any_organisation_role(*ROLES)
def households_list(operation_id: int):
    found, rights = load(operation_id)
    status = request.args.get("statut", "")
    if status not in HOUSEHOLD_STATUSES:
        status = ""
    return _list_page(found, rights, status, HouseholdFileForm())


def _list_page(found, rights, status: str, file_form, problems=(), code: int = 200):
    page = services.households_page(db.session(), found, rights, status, page_number())
    return render_template(
        "rehousing/households.html",
        operation=found,
        rights=rights,
        page=page,
        status=status,
        statuses=HOUSEHOLD_STATUSES,
        file_form=file_form,
        problems=problems,
        columns=households.COLUMNS,
        required=households.REQUIRED,
    ), code


@any_organisation_role(*ROLES)
def import_households(operation_id: int):
    found, rights = load(operation_id, manage=True)
    form = HouseholdFileForm()
    if not form.validate_on_submit():
        return _list_page(found, rights, "", form, code=400)
    session = db.session()
    reading = households.read(form.file.data.read(MAX_BYTES + 1), set(commune_names()))
    if reading.problems:
        shown = [
            (line, column, labels.file_problem(code, value))
            for line, column, code, value in reading.problems[:200]
        ]
        flash(
            _("The file was not imported: %(count)s problems, listed below.", count=len(reading.problems)),
            "error",
        )
        return _list_page(found, rights, "", form, problems=(shown, len(reading.problems)), code=400)
    added, updated = operations.import_households(session, current_user(), found, reading.households)
    session.commit()
    flash(_("File imported: %(added)s households added, %(updated)s updated.", added=added, updated=updated))
    return redirect(url_for("rehousing.households", operation_id=found.id))


@any_organisation_role(*ROLES)
def new_household(operation_id: int):
    found, _rights = load(operation_id, manage=True)
    return _household_page(found, None)


@any_organisation_role(*ROLES)
def edit_household(operation_id: int, household_id: int):
    found, _rights, household = _household(operation_id, household_id, manage=True)
    return _household_page(found, household)


def _household_page(found, household: Household | None):
    """The form of a new household (None) or of one to change; saved, or shown again with its errors."""
    form = _household_form(HouseholdForm(obj=household))
    if form.validate_on_submit():
        session = db.session()
        try:
            if household is None:
                household = operations.add_household(session, current_user(), found, form.values())
            else:
                operations.update_household(session, current_user(), household, form.values())
        except operations.Refused as refused:
            session.rollback()
            form.reference.errors.append(labels.refused_change(refused.code))
        else:
            session.commit()
            flash(_("The household is saved."))
            return redirect(url_for("rehousing.household", operation_id=found.id, household_id=household.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "rehousing/household_form.html", form=form, operation=found, household=household
    ), status


def _offer_form(rights: access.Access, **kwargs) -> OfferForm:
    form = OfferForm(prefix="offer", **kwargs)
    form.commune.choices = commune_choices()
    if rights.manage:
        form.partner.choices = organisations(*RESERVATION_HOLDER_KINDS)
    else:
        form.partner.choices = organisations(*RESERVATION_HOLDER_KINDS, among=set(rights.partners))
    return form


def _proposal_form() -> ProposalForm:
    form = ProposalForm(prefix="proposal")
    form.partner.choices = organisations(*RESERVATION_HOLDER_KINDS)
    return form


def _decision_form() -> DecisionForm:
    form = DecisionForm(prefix="decision")
    form.reason.choices = [SelectChoice("", _("Choose"))] + [
        SelectChoice(code, labels.refusal_reason_label(code)) for code in REFUSAL_REASONS
    ]
    return form


def _left_form() -> LeftForm:
    form = LeftForm(prefix="left")
    form.reason.choices = [SelectChoice("", _("Choose"))] + [
        (code, labels.left_reason_label(code)) for code in LEFT_REASONS
    ]
    return form


@any_organisation_role(*ROLES)
def household(operation_id: int, household_id: int, forms: dict | None = None, code: int = 200):
    found, rights, record = _household(operation_id, household_id)
    session = db.session()
    forms = forms or {}
    proposal_form = forms.get("proposal") or _proposal_form()
    refused, stage = offers.refusal_stage(record)
    return render_template(
        "rehousing/household.html",
        operation=found,
        rights=rights,
        household=record,
        timeline=services.timeline(record),
        unmet={
            offer.id: ", ".join(labels.need_label(code) for code in offers.unmet_needs(record, offer))
            for offer in record.offers
        },
        refused=refused,
        stage=stage,
        proposed=services.proposed_to(session, record),
        communes=commune_names(),
        offer_form=forms.get("offer") or _offer_form(rights, formdata=None),
        decision_form=forms.get("decision") or _decision_form(),
        move_form=forms.get("move") or MoveForm(prefix="move", formdata=None),
        left_form=forms.get("left") or _left_form(),
        proposal_form=proposal_form,
        failed_offer=forms.get("offer_id"),
        may_act={
            offer.id: rights.manage or offer.brought_by_id in rights.partners for offer in record.offers
        },
    ), code


def _done(found, record, message: str):
    db.session().commit()
    flash(message)
    return redirect(url_for("rehousing.household", operation_id=found.id, household_id=record.id))


def _refused(found, record, refused: operations.Refused):
    db.session().rollback()
    flash(labels.refused_change(refused.code), "error")
    return redirect(url_for("rehousing.household", operation_id=found.id, household_id=record.id))


@any_organisation_role(*ROLES)
def propose(operation_id: int, household_id: int):
    found, _rights, record = _household(operation_id, household_id, manage=True)
    form = _proposal_form()
    if not form.validate_on_submit():
        return household(operation_id, household_id, forms={"proposal": form}, code=400)
    try:
        operations.propose(db.session(), current_user(), record, form.partner.data, clock.today())
    except operations.Refused as refused:
        return _refused(found, record, refused)
    return _done(found, record, _("The household is proposed to the partner: it now sees the household."))


@any_organisation_role(*ROLES)
def add_offer(operation_id: int, household_id: int):
    found, rights, record = _household(operation_id, household_id)
    form = _offer_form(rights)
    if not form.validate_on_submit():
        return household(operation_id, household_id, forms={"offer": form}, code=400)
    try:
        offers.add_offer(db.session(), current_user(), record, form.partner.data, form.values())
    except operations.Refused as refused:
        return _refused(found, record, refused)
    return _done(found, record, _("The offer is recorded."))


def _offer(record: Household, offer_id: int, rights: access.Access) -> Offer:
    offer = db.session().scalar(select(Offer).where(Offer.id == offer_id, Offer.household_id == record.id))
    if offer is None:
        abort(404)
    if not (rights.manage or offer.brought_by_id in rights.partners):
        abort(403)
    return offer


@any_organisation_role(*ROLES)
def decide(operation_id: int, household_id: int, offer_id: int):
    found, rights, record = _household(operation_id, household_id)
    offer = _offer(record, offer_id, rights)
    form = _decision_form()
    if not form.validate_on_submit():
        return household(operation_id, household_id, forms={"decision": form, "offer_id": offer.id}, code=400)
    accepted = form.decision.data == "accepted"
    try:
        offers.decide(
            db.session(), current_user(), offer, accepted, form.reason.data or "", form.decided_on.data
        )
    except operations.Refused as refused:
        return _refused(found, record, refused)
    return _done(found, record, _("The answer is recorded."))


@any_organisation_role(*ROLES)
def move(operation_id: int, household_id: int, offer_id: int):
    found, rights, record = _household(operation_id, household_id)
    offer = _offer(record, offer_id, rights)
    form = MoveForm(prefix="move")
    if not form.validate_on_submit():
        return household(operation_id, household_id, forms={"move": form, "offer_id": offer.id}, code=400)
    try:
        offers.record_move(db.session(), current_user(), offer, form.moved_on.data)
    except operations.Refused as refused:
        return _refused(found, record, refused)
    return _done(found, record, _("The household is rehoused."))


@any_organisation_role(*ROLES)
def left(operation_id: int, household_id: int):
    found, _rights, record = _household(operation_id, household_id, manage=True)
    form = _left_form()
    if not form.validate_on_submit():
        return household(operation_id, household_id, forms={"left": form}, code=400)
    try:
        offers.record_left(db.session(), current_user(), record, form.reason.data, form.ended_on.data)
    except operations.Refused as refused:
        return _refused(found, record, refused)
    return _done(found, record, _("The household's follow-up is over."))
