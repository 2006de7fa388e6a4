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
from portal.desks import operations as backoffice_desks
from portal.desks.models import Closure, Desk, DeskNotice, OpeningSlot
from portal.desks.views import upcoming, weekday_name
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
        agent_of = next((m.organisation_id for m in user.memberships if m.role == "desk_agent"), None)
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
    listed = [(desk, backoffice_desks.is_stale(desk, today, settings.desk_reminder_months)) for desk in rows]
    return render_template(
        "backoffice/desks.html", organisation=organisation, desks=listed, months=settings.desk_reminder_months
    )


@role_in_organisation("editor", "admin", epci_sees_all=True)
def confirm_desk(organisation, desk_id: int):
    """The hours were checked: the public pages trust them again and the reminder stops."""
    desk = _organisation_desk(organisation, desk_id)
    dbs = db.session()
    before = desk.hours_confirmed_on.isoformat() if desk.hours_confirmed_on else None
    desk.hours_confirmed_on = desk.updated_on = clock.today()
    audit.record(
        dbs,
        current_user(),
        organisation.id,
        "desk.hours_confirmed",
        desk.name,
        before={"hours_confirmed_on": before},
        after={"hours_confirmed_on": desk.hours_confirmed_on.isoformat()},
    )
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
        before = {**backoffice_desks.desk_snapshot(desk), **backoffice_desks.week_snapshot(desk)}
        for name in backoffice_desks.EDITABLE:
            value = getattr(form, name).data
            setattr(desk, name, value if name == "step_free" else (value or "").strip())
        desk.slots = [
            OpeningSlot(weekday=weekday, opens=opens, closes=closes)
            for weekday, spans in form.hours.items()
            for opens, closes in spans
        ]
        dbs.flush()
        dbs.refresh(desk, ["slots"])
        after = {**backoffice_desks.desk_snapshot(desk), **backoffice_desks.week_snapshot(desk)}
        changed = [name for name in after if before[name] != after[name]]
        desk.hours_confirmed_on = desk.updated_on = clock.today()
        audit.record(
            dbs,
            current_user(),
            organisation.id,
            "desk.updated",
            desk.name,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        dbs.commit()
        flash(_("The desk %(desk)s is saved.", desk=desk.name))
        return redirect(url_for("backoffice.desks", slug=organisation.slug))
    return _desk_page(organisation, desk, form=form, status=400)


def _label_days(form: DeskEditForm) -> None:
    for weekday, name in enumerate(backoffice_desks.WEEKDAY_FIELDS):
        getattr(form, name).label.text = weekday_name(weekday)


def _desk_page(organisation, desk, form=None, closure_form=None, notice_form=None, status=200):
    if form is None:
        form = DeskEditForm(obj=desk, formdata=None)
        _label_days(form)
        for weekday, name in enumerate(backoffice_desks.WEEKDAY_FIELDS):
            getattr(form, name).data = backoffice_desks.hours_text(desk, weekday)
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


PERIODS = {
    "fermetures": (Closure, ClosureForm, "closure", "reason"),
    "avis": (DeskNotice, NoticeForm, "notice", "text"),
}


@role_in_organisation("editor", "admin", epci_sees_all=True)
def add_period(organisation, desk_id: int, kind: str):
    """A closure (holidays, works) or a temporary notice, shown on the public desk page while it lasts."""
    desk = _organisation_desk(organisation, desk_id)
    model, form_class, name, text_field = PERIODS[kind]
    form = form_class(prefix=name)
    if not form.validate_on_submit():
        forms = {"closure_form": form} if name == "closure" else {"notice_form": form}
        return _desk_page(organisation, desk, status=400, **forms)
    item = model(
        desk_id=desk.id,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        **{text_field: (getattr(form, text_field).data or "").strip()},
    )
    dbs = db.session()
    dbs.add(item)
    desk.updated_on = clock.today()
    audit.record(
        dbs, current_user(), organisation.id, f"desk.{name}_added", desk.name, after=_period(item, text_field)
    )
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))


@role_in_organisation("editor", "admin", epci_sees_all=True)
def remove_period(organisation, desk_id: int, kind: str, item_id: int):
    desk = _organisation_desk(organisation, desk_id)
    model, _form_class, name, text_field = PERIODS[kind]
    dbs = db.session()
    item = dbs.get(model, item_id)
    if item is None or item.desk_id != desk.id:
        abort(404)
    before = _period(item, text_field)
    dbs.delete(item)
    desk.updated_on = clock.today()
    audit.record(dbs, current_user(), organisation.id, f"desk.{name}_removed", desk.name, before=before)
    dbs.commit()
    flash(_("The desk %(desk)s is saved.", desk=desk.name))
    return redirect(url_for("backoffice.edit_desk", slug=organisation.slug, desk_id=desk.id))


def _period(item, text_field: str) -> dict:
    return {
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        text_field: getattr(item, text_field),
    }
