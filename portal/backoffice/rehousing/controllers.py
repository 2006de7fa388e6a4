"""The operations of the rehousing follow-up: the list a person sees, a new operation, its dashboard,
its details, the partners' commitments, closing it, and its exports (CSV of households, PDF report).
Every page: administrators and editors of a partner organisation, then the operation's own rule
(portal/rehousing/access.py): 404 for an operation the person does not take part in."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, db
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.backoffice.rehousing import labels
from portal.backoffice.rehousing.forms import CloseForm, CommitmentForm, OperationForm
from portal.guides.delivery import preparing_response, private_pdf_response
from portal.guides.documents import document_globals, static_dir, theme_file
from portal.guides.render import render_pdf
from portal.guides.slots import Busy, render_slot
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation
from portal.rehousing import access, dashboard, operations, services
from portal.rehousing.models import Operation
from portal.territory.services import commune_names, communes

ROLES = access.ROLES


def load(operation_id: int, manage: bool = False) -> tuple[Operation, access.Access]:
    """The operation and the person's rights on it: 404 when they do not take part, 403 when the page
    changes it and they do not manage it."""
    session = db.session()
    operation = session.get(Operation, operation_id)
    if operation is None:
        abort(404)
    rights = access.access(session, current_user(), operation)
    if not rights.reads:
        abort(404)
    if manage and not rights.manage:
        abort(403)
    g.rehousing_rights = rights
    return operation, rights


def commune_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("Choose"))] + [
        SelectChoice(commune.insee, commune.name) for commune in communes()
    ]


def organisations(*kinds: str, among: set[int] | None = None) -> list[SelectChoice]:
    query = select(Organisation.id, Organisation.name).where(Organisation.kind.in_(kinds))
    if among is not None:
        query = query.where(Organisation.id.in_(among))
    return [
        SelectChoice(ident, name) for ident, name in db.session().execute(query.order_by(Organisation.name))
    ]


@any_organisation_role(*ROLES)
def index():
    session = db.session()
    user = current_user()
    found = access.visible_operations(session, user)
    today = clock.today()
    return render_template(
        "rehousing/index.html",
        operations=[(operation, dashboard.figures(session, operation, today)) for operation in found],
        may_create=access.may_create(user),
        communes=commune_names(),
    )


def _operation_form(form: OperationForm) -> OperationForm:
    user = current_user()
    form.commune.choices = commune_choices()
    among = None if access.sees_everything(user) else access.organisations_of(user)
    form.landlord.choices = organisations("landlord", among=among)
    return form


@any_organisation_role(*ROLES)
def new_operation():
    user = current_user()
    if not access.may_create(user):
        abort(403)
    form = _operation_form(OperationForm())
    if form.validate_on_submit():
        session = db.session()
        try:
            operation = operations.create_operation(session, user, form.values())
        except operations.Refused as refused:
            form.landlord.errors.append(labels.refused_change(refused.code))
        else:
            session.commit()
            flash(_("The operation is created: add the partners' commitments and the households."))
            return redirect(url_for("rehousing.operation", operation_id=operation.id))
    status = 400 if form.is_submitted() else 200
    return render_template("rehousing/operation_form.html", form=form, operation=None), status


@any_organisation_role(*ROLES)
def operation(operation_id: int):
    found, rights = load(operation_id)
    session = db.session()
    return render_template(
        "rehousing/operation.html",
        operation=found,
        rights=rights,
        figures=dashboard.figures(session, found, clock.today()),
        landlord=session.get(Organisation, found.landlord_id),
        communes=commune_names(),
        close_form=CloseForm(closed_on=found.closed_on),
    )


@any_organisation_role(*ROLES)
def edit_operation(operation_id: int):
    found, _rights = load(operation_id, manage=True)
    form = _operation_form(OperationForm(obj=found, commune=found.commune_insee, landlord=found.landlord_id))
    form.landlord.choices = organisations("landlord", among={found.landlord_id})
    if form.validate_on_submit():
        session = db.session()
        operations.update_operation(session, current_user(), found, form.values())
        session.commit()
        flash(_("The operation is saved."))
        return redirect(url_for("rehousing.operation", operation_id=found.id))
    status = 400 if form.is_submitted() else 200
    return render_template("rehousing/operation_form.html", form=form, operation=found), status


@any_organisation_role(*ROLES)
def close_operation(operation_id: int):
    found, _rights = load(operation_id, manage=True)
    form = CloseForm()
    if form.validate_on_submit():
        session = db.session()
        operations.close_operation(session, current_user(), found, form.closed_on.data)
        session.commit()
        flash(_("The follow-up is closed.") if form.closed_on.data else _("The follow-up is open again."))
    else:
        flash(form.error_list()[0][1] if form.error_list() else _("This cannot be done now."), "error")
    return redirect(url_for("rehousing.operation", operation_id=found.id))


@any_organisation_role(*ROLES)
def commitments(operation_id: int):
    found, _rights = load(operation_id, manage=True)
    session = db.session()
    form = CommitmentForm()
    form.partner.choices = organisations(*RESERVATION_HOLDER_KINDS)
    status = 200
    if form.validate_on_submit():
        operations.set_commitment(
            session, current_user(), found, form.partner.data, form.dwelling_type.data, form.offers.data
        )
        session.commit()
        flash(_("The commitment is saved."))
        return redirect(url_for("rehousing.commitments", operation_id=found.id))
    if form.is_submitted():
        status = 400
    names = {choice.value: choice.label for choice in organisations(*RESERVATION_HOLDER_KINDS)}
    return render_template("rehousing/commitments.html", operation=found, form=form, names=names), status


@any_organisation_role(*ROLES)
def export_households(operation_id: int):
    found, rights = load(operation_id)
    body = services.export_csv(db.session(), found, rights)
    response = Response("\ufeff" + body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="relogement-{found.id}.csv"'
    return response


@any_organisation_role(*ROLES)
def report(operation_id: int):
    """The operation's report, printed with the guides' machinery (one render slot, or "on its way")."""
    found, _rights = load(operation_id)
    session = db.session()
    locale = str(get_locale())
    html = render_template(
        "rehousing/report.html",
        operation=found,
        figures=dashboard.figures(session, found, clock.today()),
        landlord=session.get(Organisation, found.landlord_id),
        communes=commune_names(),
        **document_globals(locale, for_pdf=True),
    )
    try:
        with render_slot(wait=2):
            pdf = render_pdf(html, static_dir(), theme_file())
    except Busy:
        return preparing_response()
    return private_pdf_response(pdf, f"relogement-{found.id}.pdf")


def page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1
