"""Desks kept current by their organisations (hours, closures, notices) and the desk agents' tools."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock, db
from portal.backoffice.desks.forms import (
    ClosureForm,
    DeskEditForm,
    NoticeForm,
)
from portal.backoffice.permissions import (
    any_organisation_role,
    current_user,
    role_in_organisation,
)
from portal.demands.forms import LookupForm
from portal.demands.lookup import find_or_explain, refuse_other_bodies
from portal.demands.presenting import situation_context
from portal.desks import operations as desk_operations
from portal.desks.models import Closure, Desk, DeskNotice
from portal.desks.presenting import upcoming, weekday_name
from portal.partners import audit
from portal.security import rate_limit


@rate_limit("20 per minute;300 per hour", methods=["POST"])
@any_organisation_role("desk_agent", "admin")
def desk_tools():
    """What an agent needs at the counter: guides, desks, the simulator, and the applicant's demand looked
    up with them present (limited per number too, apart from the public look-up's limit, so a demand
    paused online can still be shown at a desk; recorded in the audit log; nothing kept in the session,
    so the next applicant starts afresh)."""
    refuse_other_bodies()
    form = LookupForm()
    situation = None
    if form.validate_on_submit():
        dbs = db.session()
        demand = find_or_explain(form, "desk")
        user = current_user()
        agent_of = getattr(user.organisation_with("desk_agent"), "id", None)
        audit.record(
            dbs,
            user,
            agent_of,
            "demand.looked_up_at_desk",
            form.number.data,
            after={"found": demand is not None},
        )
        dbs.commit()
        if demand is not None:
            situation = situation_context(demand)
    response = make_response(render_template("backoffice/desk_tools.html", form=form, situation=situation))
    response.headers["Cache-Control"] = "no-store"
    return response


def _organisation_desk(organisation, desk_id: int) -> Desk:
    """A desk of that organisation, or 404 (a desk of another organisation is not found through this one)."""
    desk = db.session().get(Desk, desk_id)
    if desk is None or desk.organisation_id != organisation.id:
        abort(404)
    return desk


@role_in_organisation("editor", "admin", epci_sees_all=True)
def desks(organisation):
    settings = current_app.config["PORTAL_SETTINGS"]
    rows = db.session().scalars(
        select(Desk).where(Desk.organisation_id == organisation.id).order_by(Desk.name)
    )
    today = clock.today()
    listed = [(desk, desk_operations.is_stale(desk, today, settings.desk_reminder_months)) for desk in rows]
    return render_template(
        "backoffice/desks.html", organisation=organisation, desks=listed, months=settings.desk_reminder_months
    )


@role_in_organisation("editor", "admin", epci_sees_all=True)
def confirm_desk(organisation, desk_id: int):
    """The hours were checked: the public pages trust them again and the reminder stops."""
    desk = _organisation_desk(organisation, desk_id)
    dbs = db.session()
    desk_operations.confirm_hours(dbs, desk, current_user(), clock.today())
    dbs.commit()
    flash(_("The hours of %(desk)s are confirmed.", desk=desk.name))
    return redirect(url_for("backoffice.desks", slug=organisation.slug))


@role_in_organisation("editor", "admin", epci_sees_all=True)
def edit_desk(organisation, desk_id: int):
    """Contact, languages, accessibility, what to bring and the weekly hours; saving confirms the hours."""
    desk = _organisation_desk(organisation, desk_id)
    if request.method == "GET":
        return _desk_page(organisation, desk)
    form = DeskEditForm()
    _label_days(form)
    if form.validate_on_submit():
        dbs = db.session()
        values = {name: getattr(form, name).data for name in desk_operations.EDITABLE}
        desk_operations.update_desk(dbs, desk, current_user(), values, form.hours, clock.today())
        dbs.commit()
        flash(_("The desk %(desk)s is saved.", desk=desk.name))
        return redirect(url_for("backoffice.desks", slug=organisation.slug))
    return _desk_page(organisation, desk, form=form, status=400)


def _label_days(form: DeskEditForm) -> None:
    for weekday, name in enumerate(desk_operations.WEEKDAY_FIELDS):
        getattr(form, name).label.text = weekday_name(weekday)


def _desk_page(organisation, desk, form=None, closure_form=None, notice_form=None, status=200):
    if form is None:
        form = DeskEditForm(obj=desk, formdata=None)
        _label_days(form)
        for weekday, name in enumerate(desk_operations.WEEKDAY_FIELDS):
            getattr(form, name).data = desk_operations.hours_text(desk, weekday)
    now = clock.now()
    return render_template(
        "backoffice/desk_edit.html",
        organisation=organisation,
        desk=desk,
        form=form,
        closure_form=closure_form or ClosureForm(prefix="closure", formdata=None),
        notice_form=notice_form or NoticeForm(prefix="notice", formdata=None),
        closures=upcoming(desk.closures, now),
        notices=upcoming(desk.notices, now),  # those not started yet too: partners plan them
        error_form=closure_form or notice_form,
    ), status


PERIODS = {  # URL word: (model, form, kind for the operations, its text field)
    "fermetures": (Closure, ClosureForm, "closure", "reason"),
    "avis": (DeskNotice, NoticeForm, "notice", "text"),
}


@role_in_organisation("editor", "admin", epci_sees_all=True)
def add_period(organisation, desk_id: int, kind: str):
    """A closure (holidays, works) or a temporary notice, shown on the public desk page while it lasts."""
    desk = _organisation_desk(organisation, desk_id)
    _model, form_class, name, text_field = PERIODS[kind]
    form = form_class(prefix=name)
    if not form.validate_on_submit():
        forms = {"closure_form": form} if name == "closure" else {"notice_form": form}
        return _desk_page(organisation, desk, status=400, **forms)
    dbs = db.session()
    text = getattr(form, text_field).data or ""
    desk_operations.add_period(
        dbs, desk, current_user(), name, form.starts_on.data, form.ends_on.data, text, clock.today()
    )
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))


@role_in_organisation("editor", "admin", epci_sees_all=True)
def remove_period(organisation, desk_id: int, kind: str, item_id: int):
    desk = _organisation_desk(organisation, desk_id)
    model, _form_class, name, _text_field = PERIODS[kind]
    dbs = db.session()
    item = dbs.get(model, item_id)
    if item is None or item.desk_id != desk.id:
        abort(404)
    desk_operations.remove_period(dbs, desk, current_user(), name, item, clock.today())
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))
